package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// maxResponseDataChars bounds how much of the endpoint's answer a failed
// verify shows, so a huge error page cannot flood the terminal.
const maxResponseDataChars = 2000

// verifyRun is one webhook test.
type verifyRun struct {
	customerID string
	// timeoutKey is the timeouts attribute bounding the test ("" for none).
	timeoutKey string
	// wait is how long a failing test is repeated (verify_wait; 0: once).
	wait time.Duration
	// secrets are the header values, when known, scrubbed from anything the endpoint echoed back.
	secrets []string
	// headerNames are the configured header names: the values under them in
	// the endpoint's answer are scrubbed even when the values are unknown.
	headerNames []string
	// answer is how the endpoint's answer to a failed test is shown.
	answer endpointAnswer
}

// endpointAnswer is how a failed test shows what the endpoint answered.
type endpointAnswer int

const (
	// answerShown: the caller knows the header values (the resource), which
	// the client hides in every form; names catch the rest.
	answerShown endpointAnswer = iota
	// answerWithheld: the caller knows only names (the action), and some echo
	// shape will always escape rules built on names: only its size is shown.
	answerWithheld
	// answerScrubbedByName: shown on request when only names are known,
	// with long random-looking strings hidden as well.
	answerScrubbedByName
)

// testOutcome tells a test that passed, one the receiver failed, and one
// that could not run because the API refused or failed the call itself.
type testOutcome int

const (
	testPassed testOutcome = iota
	testFailed
	testNotRun
)

// runTest runs the API's webhook test (again while it fails, for run.wait) and says why when it did not pass.
func runTest(ctx context.Context, client *sovx.Client, run verifyRun) (testOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	result, err := client.VerifyWebhookWithin(ctx, run.customerID, run.wait, run.secrets...)
	switch {
	case err != nil:
		d := apiErrorDiagnostic(fmt.Sprintf("run the test of the webhook of customer %q", run.customerID), run.timeoutKey, err)
		diags.AddError("Webhook test could not run: "+d.Summary(), d.Detail())
		return testNotRun, diags
	case result.Succeeded:
		return testPassed, diags
	}
	diags.AddError("Webhook test failed", failedTestDetail(result, run))
	return testFailed, diags
}

// Bounds of what a failed test shows of the endpoint's answer: scrubbing by name reads at most maxScrubbed bytes of
// it, with at most maxScrubbedNames names (a webhook has a handful; a GET that lists thousands is not heeded).
const (
	maxScrubbed      = 16 << 10
	maxScrubbedNames = 200
)

// failedTestDetail says what the API reported, and what the endpoint answered as far as run.answer allows.
func failedTestDetail(result *sovx.VerifyResult, run verifyRun) string {
	if len(run.headerNames) > maxScrubbedNames {
		return fmt.Sprintf("The API sent a test payload to the webhook of customer %q and reported a failure. Its "+
			"message and the endpoint's answer are not shown: the API lists %d header names, more than the %d "+
			"the provider scrubs them of.", run.customerID, len(run.headerNames), maxScrubbedNames)
	}
	// The client redacted every form of the values it knows; the names
	// catch what stands under them when the values are not known.
	scrub := func(text string) string {
		text = sovx.RedactHeaderValues(text, run.headerNames)
		if run.answer != answerShown {
			text = sovx.RedactRandomTokens(text)
		}
		return text
	}
	detail := fmt.Sprintf("The API sent a test payload to the webhook of customer %q and reported: %s",
		run.customerID, scrub(result.Message))
	switch data := formatResponseData(result.ResponseData, scrub); {
	case data == "":
	case run.answer == answerWithheld:
		detail += fmt.Sprintf("\n\nThe endpoint's answer (%d bytes) is not shown: it may quote the header values, "+
			"which this action cannot know. Set show_response_data = true to see it, with what the provider can "+
			"recognise as a secret hidden.", len(result.ResponseData))
	default:
		detail += "\n\nThe endpoint answered:\n" + data
	}
	if result.TraceID != "" {
		detail += "\n\ntrace_id: " + result.TraceID
	}
	return detail
}

// formatResponseData scrubs the endpoint's answer of secrets, then pretty-prints and bounds it.
func formatResponseData(raw json.RawMessage, scrub func(string) string) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if len(raw) > maxScrubbed {
		raw = raw[:maxScrubbed] // no longer JSON: scrubbed as text
	}
	var text string
	// A JSON string (a non-JSON body the API wrapped) reads better unquoted.
	if json.Unmarshal(raw, &text) == nil {
		text = scrub(text)
	} else {
		text = scrub(string(raw))
		var pretty bytes.Buffer
		if json.Indent(&pretty, []byte(text), "  ", "  ") == nil {
			text = pretty.String()
		}
	}
	return "  " + sovx.Shown(text, maxResponseDataChars)
}
