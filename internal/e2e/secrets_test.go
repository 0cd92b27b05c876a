package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestSecretsNeverLeak runs create, plan, update, import, a failed verify,
// an API error and a rejected token with TF_LOG=TRACE, and fails on any
// secret in the terminal output or the log file, or a write-only value in
// the state.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		token      = "tok-SECRET-7d1c0e"
		wrongToken = "tok-SECRET-wrong-93aa"
		value1     = "hdr-SECRET-a1f4"
		wo1        = "wo-SECRET-b2e9"
		value2     = "hdr-SECRET-c3d8"
		wo2        = "wo-SECRET-d4c7"
	)
	secrets := []string{token, wrongToken, value1, wo1, value2, wo2}
	writeOnly := []string{wo1, wo2}

	api := sovxtest.NewServer(sovxtest.Options{Token: token, Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	// When failing, the receiver echoes every header it got back in its
	// error body, in every shape and encoding an endpoint may use: the worst
	// case for a verify failure message.
	receiver := sovxtest.NewReceiver()
	defer receiver.Close()
	echoAll := func(r *http.Request) string {
		echo := map[string]any{"headers": r.Header}
		for _, name := range []string{"Authorization", "X-Api-Key"} {
			v := r.Header.Get(name)
			echo[name+" shapes"] = sovxtest.EchoShapes(name, v)
			echo[name+" encoded"] = []string{base64.StdEncoding.EncodeToString([]byte(v)), url.QueryEscape(v),
				strings.ToLower(url.QueryEscape(v))}
		}
		body, _ := json.Marshal(echo)
		return string(body)
	}

	config := func(value, wo string, version int, url string) string {
		return fmt.Sprintf(`
resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_1"
  url         = %q
  headers = {
    "Authorization" = { value = %q }
    "X-API-Key"     = { value_wo = %q }
  }
  headers_wo_version = %d
}
`, url, "Bearer "+value, wo, version)
	}
	w := newWorkspace(t, api, config(value1, wo1, 1, receiver.URL))
	logPath := filepath.Join(w.dir, "terraform-trace.log")
	w.setEnv("TF_LOG=TRACE", "TF_LOG_PATH="+logPath)

	w.mustRun("apply", "-auto-approve", "-no-color")
	if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("plan after create is not clean:\n%s", out)
	}
	w.write(config(value2, wo2, 2, receiver.URL+"/v2"))
	w.mustRun("apply", "-auto-approve", "-no-color")
	if stored, _ := api.Webhook("cus_1"); stored.Headers[1].Value != wo2 {
		t.Fatalf("the rotated write-only value did not reach the API: %+v", stored.Headers)
	}

	// Import: forget the webhook, import it (masked values), converge.
	w.mustRun("state", "rm", "sovx_customer_webhook.pin")
	w.mustRun("import", "-no-color", "sovx_customer_webhook.pin", "cus_1")
	w.mustRun("apply", "-auto-approve", "-no-color")

	// Verify failure with an endpoint that echoes the headers.
	receiver.AnswerWith(http.StatusUnauthorized, echoAll)
	w.write(config(value2, wo2, 3, receiver.URL+"/v3"))
	if out := w.mustFail("apply", "-auto-approve", "-no-color"); !says(out, "Webhook test failed") ||
		!says(out, "(sensitive value)") {
		t.Fatalf("verify failure output lacks the test result or the scrubbed echo:\n%s", out)
	}
	receiver.Answer(http.StatusOK, "")

	// An API error, then a rejected token.
	api.InjectFault(sovxtest.Fault{Method: http.MethodPut, Status: http.StatusUnprocessableEntity,
		Body: `{"success":false,"error":{"code":"VALIDATION_FAILED","message":"header rejected"}}`})
	w.write(config(value2, wo2, 4, receiver.URL+"/v4"))
	if out := w.mustFail("apply", "-auto-approve", "-no-color"); !says(out, "header rejected") {
		t.Fatalf("API error output lacks the API's message:\n%s", out)
	}
	api.ClearFaults()
	w.setEnv("SOVX_TOKEN=" + wrongToken)
	if out := w.mustFail("plan", "-no-color"); !says(out, "API token invalid or expired") {
		t.Fatalf("401 output:\n%s", out)
	}
	// An API that quotes the token it rejected, in several forms.
	api.InjectFault(sovxtest.Fault{Method: http.MethodGet, Status: http.StatusUnauthorized, Body: fmt.Sprintf(
		`{"error":"invalid token: Bearer %s","seen":"%s","query":"?access_token=%s"}`,
		wrongToken, base64.StdEncoding.EncodeToString([]byte("Bearer "+wrongToken)), url.QueryEscape(wrongToken))})
	if out := w.mustFail("plan", "-no-color"); !says(out, "API token invalid or expired") || !says(out, "invalid token: Bearer (sensitive value)") {
		t.Fatalf("401 quoting the token:\n%s", out)
	}
	api.ClearFaults()

	trace := readFile(t, logPath)
	if !strings.Contains(trace, "sovx API request") || !strings.Contains(trace, "[TRACE]") {
		t.Fatalf("the TRACE log does not hold the provider's request lines; the check below would prove nothing")
	}
	leaks := 0
	for _, secret := range secrets {
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)),
			base64.StdEncoding.EncodeToString([]byte("Bearer " + secret))} {
			for where, text := range map[string]string{"terminal output": w.output.String(), "TF_LOG=TRACE file": trace} {
				if n := strings.Count(text, form); n > 0 {
					leaks++
					t.Errorf("%s holds the secret %q (as %q) %d time(s)", where, secret, form, n)
				}
			}
		}
	}
	state := readFile(t, filepath.Join(w.dir, "terraform.tfstate"))
	for _, secret := range writeOnly {
		if strings.Contains(state, secret) {
			leaks++
			t.Errorf("the state holds the write-only value %q", secret)
		}
	}
	if n := api.MaskViolations(); n != 0 {
		t.Errorf("the mask string was sent to the API %d time(s)", n)
	}
	t.Logf("checked %d secrets over %d bytes of output and %d bytes of TRACE log: %d leaks",
		len(secrets), w.output.Len(), len(trace), leaks)
}

// TestWebhookURLSecretsNeverLeak sets a webhook URL with a password and a
// query token from a sensitive variable, fails it every way the provider
// can, with TF_LOG=TRACE, and fails on either secret in any output or log:
// a test payload that cannot reach it (the API quoting the URL), the API
// rejecting it (quoting it, also URL-encoded), another customer's webhook
// with secrets of its own in the way, an endpoint that does not answer, a
// proxy with credentials that does not answer, and a URL that fails
// validation.
func TestWebhookURLSecretsNeverLeak(t *testing.T) {
	const (
		password      = "pw-SECRET-5e1a"
		token         = "tk-SECRET-9f3b"
		otherPassword = "pw-SECRET-other-7c"
		otherToken    = "tk-SECRET-other-8d"
		proxyPassword = "pw-SECRET-proxy-1f"
	)
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1", "cus_2"}, Strict: true})
	defer api.Close()
	nowhere := closedAddress(t)
	hookURL := fmt.Sprintf("http://receiver:%s@%s/pin?token=%s", password, nowhere, token)
	w := newWorkspace(t, api, `
variable "customer" {
  type = string
}

variable "hook_url" {
  type      = string
  sensitive = true
}

resource "sovx_customer_webhook" "pin" {
  customer_id = var.customer
  url         = var.hook_url
  headers = {
    "X-API-Key" = { value = "key" }
  }
}
`)
	logPath := filepath.Join(w.dir, "terraform-trace.log")
	w.setEnv("TF_LOG=TRACE", "TF_LOG_PATH="+logPath, "TF_VAR_hook_url="+hookURL, "SOVX_MAX_RETRIES=0")

	w.setEnv("TF_VAR_customer=cus_1")
	if out := w.mustFail("apply", "-auto-approve", "-no-color"); !says(out, "Webhook test failed") ||
		!says(out, "http://(sensitive value)@"+nowhere+"/pin?(sensitive value)") {
		t.Fatalf("a test payload that cannot reach the URL:\n%s", out)
	}
	w.setEnv("TF_VAR_customer=cus_2")
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusBadRequest, Body: fmt.Sprintf(
		`{"error":{"code":"INVALID_URL","message":"url %s is not allowed (%s)"}}`, hookURL, url.QueryEscape(hookURL))})
	if out := w.mustFail("apply", "-auto-approve", "-no-color"); !says(out, "The API rejected the webhook configuration") {
		t.Fatalf("the API rejecting the URL:\n%s", out)
	}
	api.ClearFaults()
	api.SetWebhook("cus_3", sovxtest.Webhook{URL: fmt.Sprintf("https://other:%s@other.example/in?token=%s", otherPassword, otherToken)})
	w.setEnv("TF_VAR_customer=cus_3")
	if out := w.mustFail("plan", "-no-color"); !says(out, "Webhook already configured") || !says(out, "https://(sensitive value)@other.example/in?(sensitive value)") {
		t.Fatalf("another customer's webhook in the way:\n%s", out)
	}
	w.setEnv("TF_VAR_customer=cus_4", "SOVX_ENDPOINT=http://"+nowhere+"/sovx/v1")
	if out := w.mustFail("plan", "-no-color"); !says(out, "API connection refused") {
		t.Fatalf("an endpoint that does not answer:\n%s", out)
	}
	// Go never proxies a loopback host: an API elsewhere, through a proxy
	// that does not answer, named in the error without its credentials.
	w.setEnv("SOVX_ENDPOINT=https://api.sovx.test/sovx/v1", "HTTPS_PROXY=http://proxy:"+proxyPassword+"@"+nowhere)
	if out := w.mustFail("plan", "-no-color"); !says(out, "Could not reach the proxy") || !says(out, "http://(sensitive value)@"+nowhere) {
		t.Fatalf("a proxy that does not answer:\n%s", out)
	}
	w.setEnv("TF_VAR_hook_url=ftp://receiver:" + password + "@" + nowhere + "/pin?token=" + token)
	if out := w.mustFail("plan", "-no-color"); !says(out, "Invalid webhook URL") {
		t.Fatalf("a URL that fails validation:\n%s", out)
	}

	trace := readFile(t, logPath)
	if !strings.Contains(trace, "sovx API request") {
		t.Fatalf("the TRACE log does not hold the provider's request lines; the check below would prove nothing")
	}
	if os.Getenv("KEEP_TRACE") != "" {
		_ = os.WriteFile("/tmp/trace.log", []byte(trace), 0o600)
	}
	for _, secret := range []string{password, token, otherPassword, otherToken, proxyPassword} {
		for _, form := range []string{secret, url.QueryEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret))} {
			for where, text := range map[string]string{"terminal output": w.output.String(), "TF_LOG=TRACE file": trace} {
				if n := strings.Count(text, form); n > 0 {
					t.Errorf("%s holds %q (as %q) %d time(s)", where, secret, form, n)
				}
			}
		}
	}
}

// closedAddress is a loopback host:port nothing listens on.
func closedAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
