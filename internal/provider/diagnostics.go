package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// apiErrorDiagnostic turns a client error into a diagnostic that says what
// happened and what to do. doing is what the provider was attempting, e.g.
// "create the webhook of customer cus_1".
func apiErrorDiagnostic(doing string, err error) diag.Diagnostic {
	summary, advice := "Could not "+doing, ""
	var transport *sovx.TransportError
	var decode *sovx.DecodeError
	apiErr, isAPI := sovx.AsAPIError(err)
	switch {
	case errors.Is(err, sovx.ErrNoToken):
		summary = "No API token configured"
		advice = fmt.Sprintf("Set the %s environment variable (or the provider's token argument) to a session token.", EnvToken)
	case sovx.IsUnauthorized(err):
		summary = "API token invalid or expired"
		advice = fmt.Sprintf("The API rejected the session token. Set %s (or the provider's token) to a valid, current token.", EnvToken)
	case sovx.IsCustomerNotFound(err):
		summary = "Customer not found"
		advice = "The API has no customer with this id. Check customer_id, and that the token belongs to the right account."
	case isAPI && (apiErr.StatusCode == http.StatusBadRequest || apiErr.StatusCode == http.StatusUnprocessableEntity):
		summary = "The API rejected the webhook configuration"
		advice = "Correct the configuration as the API's message says, then apply again."
	case isAPI && apiErr.StatusCode == http.StatusTooManyRequests:
		summary = "The API is rate limiting requests"
		advice = "Retries were exhausted. Apply again later, lower -parallelism, or raise max_retries."
	case isAPI && apiErr.StatusCode >= 500:
		summary = "The API failed with a server error"
		advice = "Retries were exhausted. Terraform state still matches what was last applied: apply again later; " +
			"if it persists, give the trace id to SX support."
	case errors.As(err, &transport) && transport.IsDeadline():
		summary = "The operation ran out of time"
		advice = "The API did not complete in the time the resource's timeouts allow (including retries). " +
			"Raise them in a timeouts block, for example timeouts { create = \"10m\" }, or apply again later."
	case errors.As(err, &transport):
		summary = "Could not reach the API"
		advice = "Check the provider's endpoint and your network. For a slow API raise request_timeout or max_retries."
		if transport.IsTimeout() {
			summary = "The API did not answer in time"
		}
	case errors.As(err, &decode):
		summary = "Unexpected answer from the API"
		advice = "The endpoint may not be the SX Customer Webhooks API: check the provider's endpoint (it must include /sovx/v1)."
	}
	detail := fmt.Sprintf("Could not %s: %s", doing, err)
	if advice != "" {
		detail += "\n\n" + advice
	}
	return diag.NewErrorDiagnostic(summary, detail)
}
