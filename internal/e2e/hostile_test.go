package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestHostileServerTextNeverReachesTheTerminal: a server that puts ESC and
// BEL sequences, pieces of the token, its base64, header values in JSON's
// optional escapes, a 500 KB trace id and multi-megabyte texts in every
// place it can (an error's code, message, details and trace id; a failed
// test's message and the endpoint's answer; a stored URL the provider
// quotes). Terraform's output and the TRACE log show none of the control
// bytes, no 8 characters of the token or its base64 in a row, no header
// value in any escaped form; each failure prints under 20 KB, within a
// minute.
func TestHostileServerTextNeverReachesTheTerminal(t *testing.T) {
	const token = "tok-HOSTILE-5c9e27b1d4"
	const value = "välue/SECRET\twith  two"
	d := sovxtest.DefaultDialect()
	d.VerifyFailure = "Webhook test failed \x1b[2J\x1b[H\x07 Apply complete! (%d)"
	api := sovxtest.NewServer(sovxtest.Options{Token: token, Customers: []string{"cus_1", "cus_2"}, Dialect: d})
	t.Cleanup(api.Close)
	hook := sovxtest.NewReceiver()
	t.Cleanup(hook.Close)
	// The endpoint quotes the header value with JSON's optional escapes
	// (\u00e4, \/) and its tab escaped, in a megabyte of answer.
	hook.Answer(http.StatusBadRequest, `{"got":"v\u00e4lue\/SECRET\twith  two","esc":"\u001b]8;;https://evil\u0007x","pad":"`+
		strings.Repeat("p", 2<<20)+`"}`)
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: "https://evil.example/\x1b[2J" + strings.Repeat("a", 3<<20)})

	basic := base64.StdEncoding.EncodeToString([]byte("Authorization: Bearer " + token))
	errorBody, _ := json.Marshal(map[string]any{
		"error": map[string]any{"code": "E\x1b[31mRED", "message": "rejected \x1b]8;;https://evil\x07link\x1b]8;;\x07 " +
			"token " + token[:17] + " header line " + basic + " split " + token[:10] + "\n" + token[10:] + strings.Repeat(" m", 1<<20),
			"details": []any{map[string]any{"field": "url\x1b[1m", "message": "bad\x07", "value": value}}},
		"meta": map[string]any{"trace_id": token + strings.Repeat("t", 500<<10)},
	})
	w := newWorkspace(t, api, fmt.Sprintf(`
resource "sovx_customer_webhook" "w" {
  for_each    = toset(["cus_1", "cus_2"])
  customer_id = each.key
  url         = %q
  headers     = { "X-API-Key" = { value = %q } }
}
`, hook.URL, value))
	w.setEnv("SOVX_TOKEN="+token, "TF_LOG=TRACE", "TF_LOG_PATH="+filepath.Join(w.dir, "trace.log"))

	// cus_2: "Webhook already configured" quotes the stored URL at plan.
	// cus_1, once targeted: a failed test, then an error answer.
	check := func(what, out string) {
		t.Helper()
		if len(out) > 20<<10 {
			t.Errorf("%s: %d bytes of output, want under 20 KB", what, len(out))
		}
		leaked(t, what, out, token, value, basic)
	}
	start := time.Now()
	check("existing webhook", w.mustFail("plan", "-no-color"))
	check("failed test", w.mustFail("apply", "-auto-approve", "-no-color", "-target=sovx_customer_webhook.w[\"cus_1\"]"))
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity, Body: string(errorBody)})
	out := w.mustFail("apply", "-auto-approve", "-no-color", "-target=sovx_customer_webhook.w[\"cus_1\"]")
	check("error answer", out)
	if !says(out, "url\\u001b[1m: bad\\u0007") {
		t.Errorf("the error does not show the field-level detail (sanitized):\n%s", out)
	}
	if took := time.Since(start); took > time.Minute {
		t.Errorf("the three failures took %s", took.Round(time.Second))
	}
	trace, err := os.ReadFile(filepath.Join(w.dir, "trace.log"))
	if err != nil {
		t.Fatal(err)
	}
	leaked(t, "TRACE log", string(trace), token, value, basic)
}

// leaked fails the test for a control byte, 8 characters of the token or
// of base64 in a row, or the header value in any of its escaped forms.
func leaked(t *testing.T, what, text, token, value, base64Line string) {
	t.Helper()
	if i := strings.IndexAny(text, "\x1b\x07\r"); i >= 0 {
		t.Errorf("%s: a control byte at %d: %q", what, i, text[max(0, i-60):min(len(text), i+60)])
	}
	// The token's part of the encoded header line: "Authorization: Bearer "
	// itself is no secret.
	prefix := len("Authorization: Bearer ")
	tokenPart := base64Line[(prefix*8+5)/6 : (prefix+len(token))/3*4]
	for _, s := range []string{token, tokenPart, base64.StdEncoding.EncodeToString([]byte(token))} {
		for i := 0; i+8 <= len(s); i++ {
			if j := strings.Index(text, s[i:i+8]); j >= 0 {
				t.Errorf("%s: %q of %q shows: %q", what, s[i:i+8], s, text[max(0, j-40):min(len(text), j+48)])
				return
			}
		}
	}
	for _, form := range []string{value, `v\u00e4lue`, `SECRET\twith`, "SECRET with two", `\/SECRET`} {
		if strings.Contains(text, form) {
			t.Errorf("%s: the header value shows as %q", what, form)
		}
	}
}

// TestUppercaseLocalhostIsLoopback: an endpoint on http://LOCALHOST is
// loopback like localhost: no clear-text refusal, and its requests (and so
// the token) never go through HTTP_PROXY.
func TestUppercaseLocalhostIsLoopback(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	t.Cleanup(api.Close)
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		proxied.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	w := newWorkspace(t, api, "resource \"sovx_customer_webhook\" \"w\" {\n  customer_id = \"cus_1\"\n  url = \"https://example.com/h\"\n  verify = false\n}\n")
	w.setEnv("SOVX_ENDPOINT="+strings.Replace(api.URL, "127.0.0.1", "LOCALHOST", 1), "HTTP_PROXY="+proxy.URL,
		"http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	out := w.mustRun("plan", "-no-color")
	if n := proxied.Load(); n != 0 || says(out, "not encrypted") {
		t.Fatalf("%d request(s) went through the proxy:\n%s", n, out)
	}
	if n := api.CountRequests(http.MethodGet, "cus_1"); n != 1 {
		t.Fatalf("the API got %d GET(s) directly, want the plan's 1", n)
	}
}
