package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// maxResponseDataChars bounds how much of the endpoint's answer a failed
// verify shows, so a huge error page cannot flood the terminal.
const maxResponseDataChars = 2000

// verifyRun is one webhook test.
type verifyRun struct {
	customerID string
	// block is the timeouts attribute bounding the test ("" for none).
	block string
	// after says what a failure leaves behind.
	after string
	// secrets are the header values, when known, scrubbed from anything the
	// endpoint echoed back.
	secrets []string
	// headerNames are the configured header names: the values under them in
	// the endpoint's answer are scrubbed even when the values are unknown.
	headerNames []string
}

// verifyWebhook runs the API's webhook test and turns a failed test, or a
// failed call, into an error diagnostic.
func verifyWebhook(ctx context.Context, client *sovx.Client, run verifyRun) diag.Diagnostics {
	var diags diag.Diagnostics
	result, err := client.VerifyWebhook(ctx, run.customerID)
	if err != nil {
		d := apiErrorDiagnostic(fmt.Sprintf("verify the webhook of customer %q", run.customerID), run.block, err)
		detail := d.Detail()
		if run.after != "" {
			detail += "\n\n" + run.after
		}
		diags.AddError(d.Summary(), detail)
		return diags
	}
	if result.Succeeded {
		return diags
	}
	scrub := func(text string) string {
		return webhook.RedactHeaderValues(sovx.Redact(text, withJSONEscaped(run.secrets)), run.headerNames)
	}
	detail := fmt.Sprintf("The API sent a test payload to the webhook of customer %q and reported: %s",
		run.customerID, scrub(result.Message))
	if data := formatResponseData(result.ResponseData, scrub); data != "" {
		detail += "\n\nThe endpoint answered:\n" + data
	}
	if result.TraceID != "" {
		detail += "\n\ntrace_id: " + result.TraceID
	}
	if run.after != "" {
		detail += "\n\n" + run.after
	}
	diags.AddError("Webhook test failed", detail)
	return diags
}

// formatResponseData pretty-prints the endpoint's answer, scrubbed of
// secrets and truncated.
func formatResponseData(raw json.RawMessage, scrub func(string) string) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	text := string(raw)
	var pretty bytes.Buffer
	if json.Indent(&pretty, raw, "  ", "  ") == nil {
		text = "  " + pretty.String()
	}
	// A JSON string (a non-JSON body the API wrapped) reads better unquoted.
	var s string
	if json.Unmarshal(raw, &s) == nil {
		text = "  " + s
	}
	text = scrub(text)
	if r := []rune(text); len(r) > maxResponseDataChars {
		text = string(r[:maxResponseDataChars]) + fmt.Sprintf("\n  … (%d more characters not shown)", len(r)-maxResponseDataChars)
	}
	return text
}

// withJSONEscaped adds each secret's JSON-escaped spelling, the form it takes
// inside an echoed JSON body.
func withJSONEscaped(secrets []string) []string {
	out := append([]string(nil), secrets...)
	for _, s := range secrets {
		if b, err := json.Marshal(s); err == nil && string(b[1:len(b)-1]) != s {
			out = append(out, string(b[1:len(b)-1]))
		}
	}
	return out
}
