package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// maxResponseDataChars bounds how much of the endpoint's answer a failed
// verify shows, so a huge error page cannot flood the terminal.
const maxResponseDataChars = 2000

// verifyWebhook runs the API's webhook test and turns a failed test into an
// error diagnostic. secrets are the header values just sent, scrubbed from
// anything the endpoint echoed back. after says what a failure leaves behind.
func verifyWebhook(ctx context.Context, client *sovx.Client, customerID, after string, secrets []string) diag.Diagnostics {
	var diags diag.Diagnostics
	result, err := client.VerifyWebhook(ctx, customerID)
	if err != nil {
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("verify the webhook of customer %q", customerID), err))
		return diags
	}
	if result.Succeeded {
		return diags
	}
	detail := fmt.Sprintf("The API sent a test payload to the webhook of customer %q and reported: %s",
		customerID, sovx.Redact(result.Message, secrets))
	if data := formatResponseData(result.ResponseData, secrets); data != "" {
		detail += "\n\nThe endpoint answered:\n" + data
	}
	if result.TraceID != "" {
		detail += "\n\ntrace_id: " + result.TraceID
	}
	if after != "" {
		detail += "\n\n" + after
	}
	diags.AddError("Webhook test failed", detail)
	return diags
}

// formatResponseData pretty-prints the endpoint's answer, without secrets
// and truncated.
func formatResponseData(raw json.RawMessage, secrets []string) string {
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
	text = sovx.Redact(text, withJSONEscaped(secrets))
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
