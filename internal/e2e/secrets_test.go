package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
