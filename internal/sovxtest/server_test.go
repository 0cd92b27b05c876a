package sovxtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// call sends a raw request, so these tests pin the fake to the reference
// without going through the client.
func call(t *testing.T, s *sovxtest.Server, method, path, token, body string) (int, map[string]any, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, string(raw)
}

const hooks = "/customers/cus_1/webhooks"

func newServer(t *testing.T) *sovxtest.Server {
	s := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	t.Cleanup(s.Close)
	return s
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func TestDocumentedResponses(t *testing.T) {
	s := newServer(t)
	tok := s.Token
	reference := `{"url":"https://your-domain.com/webhook/pin-notification","headers":[{"key":"Authorization","value":"Bearer token123"},{"key":"X-API-Key","value":"secret-key"}]}`

	status, body, _ := call(t, s, "POST", hooks, tok, reference)
	data, _ := body["data"].(map[string]any)
	meta, _ := body["meta"].(map[string]any)
	if status != 201 || body["success"] != true || data["message"] != "Webhook configured successfully" ||
		data["url"] != "https://your-domain.com/webhook/pin-notification" || meta["version"] != "v1" || meta["trace_id"] == "" || meta["timestamp"] == "" {
		t.Errorf("POST = %d %v", status, body)
	}

	status, _, raw := call(t, s, "GET", hooks, tok, "")
	// The default dialect writes the reference's example byte for byte, up to meta.
	want := `{"success":true,"data":{"url":"https://your-domain.com/webhook/pin-notification","headers":[{"key":"Authorization","value":"***masked***"},{"key":"X-API-Key","value":"***masked***"}]},"meta":{"timestamp":"`
	if status != 200 || !strings.HasPrefix(raw, want) {
		t.Errorf("GET = %d %s, want masked values", status, raw)
	}
	if stored, _ := s.Webhook("cus_1"); stored.Headers[1].Value != "secret-key" {
		t.Errorf("stored = %+v, want the real values kept", stored)
	}

	status, body, _ = call(t, s, "PUT", hooks, tok, `{"url":"https://your-domain.com/webhook/v2/pin-notification","headers":[{"key":"X-API-Key","value":"rotated-secret-key"}]}`)
	data, _ = body["data"].(map[string]any)
	if status != 200 || data["message"] != "Webhook updated successfully" {
		t.Errorf("PUT = %d %v", status, body)
	}

	status, _, raw = call(t, s, "DELETE", hooks, tok, "")
	if status != 204 || raw != "" {
		t.Errorf("DELETE = %d %q, want 204 with an empty body", status, raw)
	}
}

func TestDocumentedErrors(t *testing.T) {
	s := newServer(t)
	tok := s.Token
	cases := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"missing token", "GET", hooks, "", "", 401, "UNAUTHORIZED"},
		{"bad token", "POST", hooks, "nope", `{"url":"https://x.com"}`, 401, "UNAUTHORIZED"},
		{"unknown customer GET", "GET", "/customers/cus_x/webhooks", tok, "", 404, "CUSTOMER_NOT_FOUND"},
		{"unknown customer POST", "POST", "/customers/cus_x/webhooks", tok, `{"url":"https://x.com"}`, 404, "CUSTOMER_NOT_FOUND"},
		{"unknown customer PUT", "PUT", "/customers/cus_x/webhooks", tok, `{"url":"https://x.com"}`, 404, "CUSTOMER_NOT_FOUND"},
		{"unknown customer DELETE", "DELETE", "/customers/cus_x/webhooks", tok, "", 404, "CUSTOMER_NOT_FOUND"},
		{"unknown customer verify", "POST", "/customers/cus_x/webhooks/verify", tok, "", 404, "CUSTOMER_NOT_FOUND"},
		{"no webhook GET", "GET", hooks, tok, "", 404, "WEBHOOK_NOT_FOUND"},
		{"no webhook verify", "POST", hooks + "/verify", tok, "", 404, "WEBHOOK_NOT_FOUND"},
		{"url not http", "POST", hooks, tok, `{"url":"ftp://x.com/h"}`, 400, "INVALID_URL"},
		{"url without host", "POST", hooks, tok, `{"url":"https:///h"}`, 400, "INVALID_URL"},
		{"header key", "PUT", hooks, tok, `{"url":"https://x.com","headers":[{"key":"X Key","value":"v"}]}`, 400, "INVALID_HEADER_KEY"},
		{"missing url", "POST", hooks, tok, `{"headers":[]}`, 422, "VALIDATION_FAILED"},
		{"url wrong type", "POST", hooks, tok, `{"url":42}`, 422, "VALIDATION_FAILED"},
		{"headers wrong type", "POST", hooks, tok, `{"url":"https://x.com","headers":{}}`, 422, "VALIDATION_FAILED"},
		{"header value wrong type", "POST", hooks, tok, `{"url":"https://x.com","headers":[{"key":"K","value":1}]}`, 422, "VALIDATION_FAILED"},
		{"not json", "POST", hooks, tok, `url=x`, 422, "VALIDATION_FAILED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := call(t, s, tc.method, tc.path, tc.token, tc.body)
			if status != tc.status || errorCode(body) != tc.code || body["success"] != false {
				t.Errorf("%s %s = %d %v, want %d %s", tc.method, tc.path, status, body, tc.status, tc.code)
			}
		})
	}
	if _, ok := s.Webhook("cus_1"); ok {
		t.Error("a rejected request stored a webhook")
	}
}

// Strict mode refuses a write that sends back, as a header's value, a mask
// GET showed, in every mask style; the real value, and a value that only
// looks like a mask to another style, pass.
func TestStrictModeRefusesAMaskSentBack(t *testing.T) {
	for _, style := range sovxtest.MaskStyles {
		t.Run(style.String(), func(t *testing.T) {
			d := sovxtest.DefaultDialect()
			d.Mask = style
			s := sovxtest.NewServer(sovxtest.Options{Strict: true, Dialect: d, Customers: []string{"cus_1"}})
			t.Cleanup(s.Close)
			s.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://x.com", Headers: []sovxtest.Header{{Key: "K", Value: "real-secret-value"}}})
			_, body, _ := call(t, s, "GET", hooks, s.Token, "")
			shown, _ := body["data"].(map[string]any)["headers"].([]any)[0].(map[string]any)["value"].(string)
			status, body, _ := call(t, s, "PUT", hooks, s.Token, `{"url":"https://x.com","headers":[{"key":"k","value":"`+shown+`"}]}`)
			if style != sovxtest.MaskOmitted && (status != 400 || errorCode(body) != "MASK_SENT" || s.MaskViolations() != 1) {
				t.Errorf("PUT of the mask %q = %d %v with %d violation(s), want 400 MASK_SENT and 1", shown, status, body, s.MaskViolations())
			}
			if status, _, _ := call(t, s, "PUT", hooks, s.Token, `{"url":"https://x.com","headers":[{"key":"K","value":"real-secret-value"}]}`); status != 200 {
				t.Errorf("PUT of the real value = %d, want 200", status)
			}
		})
	}
}

func TestVerifySendsTheTestPayloadWithHeaders(t *testing.T) {
	s := newServer(t)
	receiver := sovxtest.NewReceiver()
	defer receiver.Close()
	receiver.Answer(http.StatusOK, `{"why":"nope"}`)
	s.SetWebhook("cus_1", sovxtest.Webhook{URL: receiver.URL, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k"}}})

	code, body, _ := call(t, s, "POST", hooks+"/verify", s.Token, "")
	data, _ := body["data"].(map[string]any)
	if code != 200 || data["message"] != "Webhook test successful" || data["response_data"] != nil {
		t.Errorf("verify = %d %v", code, body)
	}
	if got := receiver.Deliveries(); len(got) != 1 || got[0].Header.Get("X-API-Key") != "k" || got[0].Payload["event"] != "webhook.test" {
		t.Errorf("receiver got %+v", got)
	}

	receiver.Answer(http.StatusInternalServerError, `{"why":"nope"}`)
	code, body, _ = call(t, s, "POST", hooks+"/verify", s.Token, "")
	data, _ = body["data"].(map[string]any)
	rd, _ := data["response_data"].(map[string]any)
	if code != 200 || !strings.HasPrefix(data["message"].(string), "Webhook test failed: ") || rd["why"] != "nope" {
		t.Errorf("failing verify = %d %v", code, body)
	}
}

func TestFaultsAndRecording(t *testing.T) {
	s := newServer(t)
	s.InjectFault(sovxtest.Fault{Method: "GET", Status: 503, Times: 2, RetryAfter: "1"})
	for i, want := range []int{503, 503, 404} {
		if status, _, _ := call(t, s, "GET", hooks, s.Token, ""); status != want {
			t.Errorf("GET #%d = %d, want %d", i+1, status, want)
		}
	}
	if n := s.CountRequests("GET", "cus_1"); n != 3 {
		t.Errorf("recorded %d GETs, want 3", n)
	}
	s.ClearFaults()
	s.InjectFault(sovxtest.Fault{CustomerID: "cus_2", Status: 500})
	if status, _, _ := call(t, s, "GET", hooks, s.Token, ""); status != 404 {
		t.Errorf("a fault for another customer applied to cus_1: %d", status)
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := newServer(t)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"url":"https://x.com/` + strings.Repeat("a", i) + `"}`
			if status, _, _ := call(t, s, "PUT", hooks, s.Token, body); status != 200 {
				t.Errorf("PUT = %d", status)
			}
			call(t, s, "GET", hooks, s.Token, "")
		}()
	}
	wg.Wait()
	if n := len(s.Requests()); n != 100 {
		t.Errorf("recorded %d requests, want 100", n)
	}
}
