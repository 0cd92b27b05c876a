package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// apiErrorDiagnostic turns a client error into a diagnostic that says what happened and what to do. doing is what the
// provider was attempting, e.g.
func apiErrorDiagnostic(doing, timeoutKey string, err error) diag.Diagnostic {
	summary, advice := explain(err, timeoutKey)
	if summary == "" {
		summary = "Could not " + doing
	}
	detail := fmt.Sprintf("Could not %s: %s", doing, err)
	if advice != "" {
		detail += "\n\n" + advice
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// withNote adds a paragraph to the detail of every error in diags.
func withNote(diags diag.Diagnostics, note string) diag.Diagnostics {
	out := make(diag.Diagnostics, len(diags))
	for i, d := range diags {
		out[i] = d
		if d.Severity() == diag.SeverityError {
			out[i] = diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\n"+note)
		}
	}
	return out
}

// asWarnings turns errors into warnings with the same words, for a create
// that must not fail once the API holds what it wrote (see testCreated).
func asWarnings(diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, len(diags))
	for i, d := range diags {
		out[i] = diag.NewWarningDiagnostic(d.Summary(), d.Detail())
	}
	return out
}

// explain names a client error and says what to do about it ("" when
// there is nothing more to say than the error itself).
func explain(err error, timeoutKey string) (summary, advice string) {
	var transport *sovx.TransportError
	var decode *sovx.DecodeError
	var redirect *sovx.RedirectError
	switch {
	case errors.As(err, &redirect):
		return "The API endpoint redirected the request", redirected(redirect)
	case errors.As(err, &transport):
		return transportAdvice(transport, timeoutKey)
	case errors.As(err, &decode):
		return "Unexpected answer from the API", fmt.Sprintf("%s answered, but not like the SX Customer Webhooks API: "+
			"check the provider's endpoint (or %s); it must be the API's base URL, for example %s.",
			decode.Endpoint, EnvEndpoint, sovx.DefaultEndpoint)
	}
	if apiErr, ok := sovx.AsAPIError(err); ok {
		return statusAdvice(apiErr, timeoutKey)
	}
	return "", ""
}

func redirected(e *sovx.RedirectError) string {
	if e.ToHTTPS {
		return fmt.Sprintf("%s redirects to https: set the provider's endpoint (or %s) to the https:// address. "+
			"The provider never follows redirects, so nothing was written or deleted.", e.Endpoint, EnvEndpoint)
	}
	return fmt.Sprintf("The provider never follows redirects, so the session token and header values were not sent "+
		"to %s, and nothing was written or deleted. Set the provider's endpoint (or %s) to the API's own base URL.",
		orUnknown(e.Location), EnvEndpoint)
}

// statusAdvice explains an answer by its status (and, for a 404, by whether the endpoint proved to be the API).
func statusAdvice(e *sovx.APIError, timeoutKey string) (summary, advice string) {
	switch {
	case sovx.IsWrongEndpoint(e):
		return "The endpoint did not answer like the SX Customer Webhooks API", fmt.Sprintf("%s answered 404, and the "+
			"same request without a token was not refused as the API refuses it, so the endpoint is probably wrong. "+
			"Check the provider's endpoint (or %s): it must be the API's base URL including /sovx/v1, for example %s. "+
			"Terraform state was left as it was.", e.Endpoint, EnvEndpoint, sovx.DefaultEndpoint)
	case sovx.IsUnauthorized(e):
		return "API token invalid or expired",
			fmt.Sprintf("The API rejected the session token. Set %s (or the provider's token) to a valid, current token.", EnvToken)
	case sovx.IsForbidden(e):
		return "API token lacks permission", "The API accepted the session token but does not let it do this. Use a " +
			"token of the account that owns this customer, with permission to manage its webhooks."
	case sovx.IsCustomerNotFound(e):
		return "Customer not found",
			"The API has no customer with this id. Check customer_id, and that the token belongs to the right account."
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		return "The API rejected the webhook configuration", "Correct the configuration as the API's message says, then apply again."
	case e.StatusCode == http.StatusTooManyRequests:
		advice = fmt.Sprintf("The API answered 429 (too many requests) for %s, until the operation ran out of time. "+
			"Other runs or tools on the same account are probably using its quota. Apply again later, or when several "+
			"runs share the account, give each a share with max_requests_per_second (or %s)", e.RateLimitedFor, EnvMaxRPS)
		if timeoutKey != "" {
			advice += fmt.Sprintf(", or allow more time with timeouts { %s = \"15m\" }", timeoutKey)
		}
		return "The API kept rate limiting requests", advice + "."
	case e.StatusCode == http.StatusNotImplemented:
		return "The endpoint does not implement this request", fmt.Sprintf("%s answered 501 Not Implemented, which "+
			"no retry changes. Check the provider's endpoint (or %s): it must be the API's base URL, for example %s.",
			e.Endpoint, EnvEndpoint, sovx.DefaultEndpoint)
	case e.StatusCode >= 500:
		return "The API failed with a server error", serverErrorAdvice(e)
	}
	return "", ""
}

// serverErrorAdvice says what a 5xx means for state and what to do, naming
// only what happened (retries, a trace id, a gateway's status).
func serverErrorAdvice(e *sovx.APIError) string {
	advice := "Terraform state still matches what was last applied: apply again later"
	if e.Attempts > 1 {
		advice = fmt.Sprintf("The request was sent %d times. ", e.Attempts) + advice
	}
	switch {
	case e.StatusCode == http.StatusBadGateway || e.StatusCode == http.StatusGatewayTimeout:
		advice += fmt.Sprintf(". A %d comes from a gateway or proxy in front of the API: if it persists, check the "+
			"provider's endpoint (or %s), now %s", e.StatusCode, EnvEndpoint, e.Endpoint)
	case e.TraceID != "":
		advice += "; if it persists, give the trace id (" + e.TraceID + ") to SX support"
	}
	return advice + "."
}

// transportAdvice explains a call that got no answer.
func transportAdvice(e *sovx.TransportError, timeoutKey string) (summary, advice string) {
	switch {
	case e.IsDeadline() && timeoutKey != "":
		return "The operation ran out of time", fmt.Sprintf("The API did not complete in the time the resource's %q "+
			"timeout allows (including retries). Raise it in a timeouts block, for example timeouts { %s = \"10m\" }, "+
			"or apply again later.", timeoutKey, timeoutKey)
	case e.IsDeadline():
		return "The operation ran out of time", "The API did not complete in the time allowed (including retries)."
	case e.IsCancelled():
		return "Cancelled", "Terraform was interrupted (for example with Ctrl-C) while the request was under way."
	}
	return unreachable(e)
}

func orUnknown(location string) string {
	if location == "" {
		return "another address"
	}
	return location
}

// unreachable says why no answer came from the endpoint, and the one thing to do about it.
func unreachable(e *sovx.TransportError) (summary, advice string) {
	check := fmt.Sprintf("Check the provider's endpoint (or %s), now %s", EnvEndpoint, e.Endpoint)
	switch e.Cause() {
	case sovx.CauseUnknownHost:
		return "API host not found", check + ": its host name does not resolve. Nothing was retried: a retry cannot fix that."
	case sovx.CauseRefused:
		return "API connection refused", check + ": nothing accepts connections at its host and port."
	case sovx.CauseTimeout:
		return "The API did not answer in time", fmt.Sprintf("%s did not answer within request_timeout (%s), retries "+
			"included. For a slow API raise request_timeout or max_retries; otherwise check the endpoint and your network.", e.Endpoint, e.Timeout)
	case sovx.CauseProxy:
		proxy := "the proxy"
		if e.Proxy != "" {
			proxy += " " + e.Proxy
		}
		return "Could not reach the proxy", fmt.Sprintf("Requests to %s go through %s (HTTPS_PROXY, or HTTP_PROXY), "+
			"which did not accept the connection. Check HTTPS_PROXY, or leave the API's host out of the proxy with "+
			"NO_PROXY.", e.Endpoint, proxy)
	case sovx.CauseTLS:
		return "The API's certificate is not trusted", check + ": its TLS certificate could not be verified. If your " +
			"network uses its own certificate authority, point SSL_CERT_FILE at it."
	}
	return "Could not reach the API", check + ", and your network."
}

// readWebhook GETs a customer's webhook for the data source and the action,
// with a diagnostic that says what to do when there is none.
func readWebhook(ctx context.Context, client *sovx.Client, customerID string, diags *diag.Diagnostics) (*sovx.Webhook, bool) {
	remote, err := client.GetWebhook(ctx, customerID)
	switch {
	case sovx.IsWebhookNotConfigured(err):
		diags.AddAttributeError(path.Root("customer_id"), "No webhook configured",
			fmt.Sprintf("Customer %q has no webhook configured (the API answered 404; if the customer id is new to you, "+
				"check that it exists in this account). Create one with the sovx_customer_webhook resource first.", customerID))
		return nil, false
	case err != nil:
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("read the webhook of customer %q", customerID), "", err))
		return nil, false
	}
	return remote, true
}
