package sovx_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func newClient(t *testing.T, api *sovxtest.Server, tweak ...func(*sovx.Config)) *sovx.Client {
	t.Helper()
	cfg := sovx.Config{
		Endpoint: api.URL, Token: api.Token, UserAgent: "terraform-provider-sovx/test Terraform/1.11.4",
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, RetryAfterMax: time.Second,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := sovx.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newAPI(t *testing.T) *sovxtest.Server {
	t.Helper()
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	t.Cleanup(api.Close)
	return api
}

func TestClientRoundTrip(t *testing.T) {
	api := newAPI(t)
	c := newClient(t, api)
	ctx := context.Background()
	cfg := sovx.WebhookConfig{URL: "https://example.com/hook", Headers: []sovx.Header{{Key: "X-API-Key", Value: "secret-key"}}}

	res, err := c.ConfigureWebhook(ctx, "cus_1", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Message != "Webhook configured successfully" || res.URL != cfg.URL || res.TraceID == "" {
		t.Errorf("configure result = %+v", res)
	}
	got, err := c.GetWebhook(ctx, "cus_1")
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != cfg.URL || fmt.Sprint(got.HeaderNames) != "[X-API-Key]" {
		t.Errorf("get = %+v, want the URL and the header X-API-Key", got)
	}
	upd, err := c.UpdateWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://example.com/v2"})
	if err != nil || upd.Message != "Webhook updated successfully" {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	if stored, _ := api.Webhook("cus_1"); stored.URL != "https://example.com/v2" || len(stored.Headers) != 0 {
		t.Errorf("stored after update = %+v", stored)
	}
	if err := c.DeleteWebhook(ctx, "cus_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWebhook(ctx, "cus_1"); !sovx.IsWebhookNotConfigured(err) || sovx.IsCustomerNotFound(err) {
		t.Errorf("get after delete: %v, want webhook-not-configured", err)
	}

	// Every request carried the documented headers, but the one check that
	// the endpoint is the API, made after the first 404 (the GET after the
	// delete): the same request without the token.
	reqs := api.Requests()
	if last := reqs[len(reqs)-1]; last.Method != http.MethodGet || last.Header.Get("Authorization") != "" {
		t.Errorf("the last request is %s %s with Authorization %q, want the endpoint check without a token", last.Method, last.Path, last.Header.Get("Authorization"))
	}
	for _, r := range reqs[:len(reqs)-1] {
		if r.Header.Get("Authorization") != "Bearer "+api.Token || r.Header.Get("Accept") != "application/json" ||
			r.Header.Get("User-Agent") != "terraform-provider-sovx/test Terraform/1.11.4" {
			t.Errorf("%s %s headers = %v", r.Method, r.Path, r.Header)
		}
		if len(r.Body) > 0 && r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s has a body without Content-Type: application/json", r.Method, r.Path)
		}
	}
}

func TestVerifyWebhook(t *testing.T) {
	api := newAPI(t)
	c := newClient(t, api)
	ctx := context.Background()

	ok, failing := sovxtest.NewReceiver(), sovxtest.NewReceiver()
	defer ok.Close()
	defer failing.Close()
	failing.Answer(http.StatusBadGateway, `{"reason":"upstream down"}`)

	api.SetWebhook("cus_1", sovxtest.Webhook{URL: ok.URL})
	res, err := c.VerifyWebhook(ctx, "cus_1")
	if err != nil || !res.Succeeded || res.Message != sovx.VerifySuccessMessage || res.ResponseData != nil {
		t.Fatalf("verify ok endpoint = %+v, %v", res, err)
	}
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: failing.URL})
	res, err = c.VerifyWebhook(ctx, "cus_1")
	if err != nil || res.Succeeded || !strings.HasPrefix(res.Message, "Webhook test failed") {
		t.Fatalf("verify failing endpoint = %+v, %v", res, err)
	}
	if string(res.ResponseData) != `{"reason":"upstream down"}` {
		t.Errorf("response_data = %s", res.ResponseData)
	}
	api.RemoveWebhook("cus_1")
	if _, err := c.VerifyWebhook(ctx, "cus_1"); !sovx.IsWebhookNotConfigured(err) {
		t.Errorf("verify without webhook: %v", err)
	}
}

func TestCustomerIDIsPathEscaped(t *testing.T) {
	api := newAPI(t)
	c := newClient(t, api)
	for _, id := range []string{"../x", "a/b", "cus 1", "cus?x=1", "cus#f"} {
		_, err := c.GetWebhook(context.Background(), id)
		if !sovx.IsCustomerNotFound(err) {
			t.Errorf("id %q: err = %v, want customer not found", id, err)
		}
	}
	for _, r := range api.Requests() {
		if !strings.HasPrefix(r.Path, "/sovx/v1/customers/") || strings.Count(r.Path, "/") != 5 {
			t.Errorf("request left the customer's path: %s", r.Path)
		}
	}
	wantIDs := map[string]bool{"../x": true, "a/b": true, "cus 1": true, "cus?x=1": true, "cus#f": true}
	for _, r := range api.Requests() {
		if !wantIDs[r.CustomerID] {
			t.Errorf("the API saw customer id %q", r.CustomerID)
		}
	}
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.GetWebhook(context.Background(), id); !errors.Is(err, sovx.ErrInvalidCustomerID) {
			t.Errorf("id %q: err = %v, want ErrInvalidCustomerID before any request", id, err)
		}
	}
	if n := len(api.Requests()); n != 5+1 {
		t.Errorf("%d requests reached the API, want 5 and the one endpoint check", n)
	}
}

// A client without a token cannot be made, so no request can go without one.
func TestNoTokenNoClient(t *testing.T) {
	if _, err := sovx.NewClient(sovx.Config{Endpoint: sovx.DefaultEndpoint}); !errors.Is(err, sovx.ErrNoToken) {
		t.Fatalf("NewClient without a token: %v, want ErrNoToken", err)
	}
}

func TestUnexpectedShapeIsAClearError(t *testing.T) {
	for _, body := range []string{`not json`, `{"success":true}`, `[]`, `{"success":true,"data":"x"}`} {
		api := newAPI(t)
		api.InjectFault(sovxtest.Fault{Status: 200, Body: body})
		_, err := newClient(t, api).GetWebhook(context.Background(), "cus_1")
		var de *sovx.DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "unexpected response") {
			t.Errorf("body %q: err = %v, want a DecodeError", body, err)
		}
	}
}

func TestEnvelopeDecoding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"success": true,
			"data":    map[string]any{"url": "https://your-domain.com/webhook/pin-notification"},
			"meta":    map[string]any{"timestamp": "2026-01-15T10:30:00.000Z", "version": "v1", "trace_id": "5b8f3a9d"},
		})
	}))
	defer srv.Close()
	c, _ := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1/", Token: "t"})
	w, err := c.GetWebhook(context.Background(), "cus_1")
	if err != nil || w.URL != "https://your-domain.com/webhook/pin-notification" || len(w.HeaderNames) != 0 || w.TraceID != "5b8f3a9d" {
		t.Fatalf("get = %+v, %v: a GET without headers means none", w, err)
	}
}

func TestParseEndpoint(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.sandbox.sovera.io/sovx/v1":  true,
		"https://gw.example/proxy/sovx/v1":       true,
		"https://api.sandbox.sovera.io":          false,
		"https://api.sandbox.sovera.io/sovx":     false,
		"https://api.sandbox.sovera.io/v1":       false,
		"http://127.0.0.1:8080/sovx/v1/":         true,
		"api.sandbox.sovera.io/sovx/v1":          false,
		"ftp://x/sovx/v1":                        false,
		"https:///sovx/v1":                       false,
		"https://x/sovx/v1?debug=1":              false,
		"https://user:pass@x/sovx/v1":            false,
		"https://api.sandbox.sovera.io/sovx/v1#": true,
	} {
		if _, err := sovx.ParseEndpoint(raw); (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q) err = %v, want ok=%v", raw, err, ok)
		}
	}
}

// An API error quotes what it rejected, in its code as well as its
// message: header values, the token, the webhook URL's password and query.
func TestErrorMessagesNeverQuoteSecrets(t *testing.T) {
	api := newAPI(t)
	const url = "https://user:pw-hunter3@e.com/hook?token=tk-hunter4"
	api.InjectFault(sovxtest.Fault{Method: "PUT", Status: 400, Body: `{"error":{"code":"BAD_VALUE hunter2-secret Bearer ` +
		sovxtest.DefaultToken + `","message":"header X-Key value 'hunter2-secret' is not allowed for ` + url + `; token tk-hunter4"}}`})
	_, err := newClient(t, api).UpdateWebhook(context.Background(), "cus_1",
		sovx.WebhookConfig{URL: url, Headers: []sovx.Header{{Key: "X-Key", Value: "hunter2-secret"}}})
	e, ok := sovx.AsAPIError(err)
	if !ok || !strings.Contains(e.Message, "(sensitive value)") || !strings.Contains(e.Message, "https://(sensitive value)@e.com/hook?(sensitive value)") {
		t.Fatalf("err = %v: the API's quotes must be redacted, and the URL shown without its secret parts", err)
	}
	for _, secret := range []string{"hunter2-secret", sovxtest.DefaultToken, "pw-hunter3", "tk-hunter4"} {
		if strings.Contains(err.Error(), secret) || strings.Contains(e.Code, secret) {
			t.Errorf("the error quotes %q: code %q, %v", secret, e.Code, err)
		}
	}
}

func TestRedactorHidesEveryForm(t *testing.T) {
	const secret = `s3cr/t+ "ü"&<x>`
	r := sovx.NewRedactor("tok_123", secret, "")
	quoted, _ := json.Marshal(secret)
	forms := map[string]string{
		"as is":              secret,
		"token with Bearer":  "Bearer tok_123",
		"json escaped":       string(quoted[1 : len(quoted)-1]),
		"json, no html esc.": `s3cr/t+ \"ü\"&<x>`,
		"\\u escaped":        `\u0073\u0033\u0063\u0072\u002f\u0074\u002b\u0020\u0022\u00fc\u0022\u0026\u003c\u0078\u003e`,
		"query escaped":      url.QueryEscape(secret),
		"lower-case hex":     strings.ToLower(url.QueryEscape(secret)),
		"path escaped":       url.PathEscape(secret),
		"base64":             base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 url, raw":    base64.RawURLEncoding.EncodeToString([]byte(secret)),
	}
	for name, form := range forms {
		got := r.Redact(`{"echo":"` + form + `","n":1}`)
		if strings.Contains(got, form) || !strings.Contains(got, sovx.Redacted) {
			t.Errorf("%s: %q survived: %s", name, form, got)
		}
	}
	short := sovx.NewRedactor("1", "on")
	if got := short.Redact(`{"debug":"1","mode":"on","trace_id":"00000000-0001-4000","note":"done"}`); got !=
		`{"debug":"(sensitive value)","mode":"(sensitive value)","trace_id":"00000000-0001-4000","note":"done"}` {
		t.Errorf("short secrets: %s, want them hidden where they stand alone only", got)
	}
	if got := (sovx.Redactor{}).Redact("text"); got != "text" {
		t.Errorf("the zero Redactor changed text: %q", got)
	}
}

// TestDocumentedStatuses: each error status the reference lists for each call
// reaches the caller as an *APIError with that status, the API's message, the
// operation and one attempt (4xx are never retried).
func TestDocumentedStatuses(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		ctx := context.Background()
		badToken := newClient(t, api, func(cfg *sovx.Config) { cfg.Token = "wrong" })
		cases := []struct {
			name   string
			call   func() error
			op     sovx.Operation
			status int
		}{
			{"401 invalid token", func() error { _, err := badToken.GetWebhook(ctx, "cus_1"); return err }, sovx.OpGet, 401},
			{"404 on GET", func() error { _, err := c.GetWebhook(ctx, "cus_x"); return err }, sovx.OpGet, 404},
			{"404 on POST", func() error {
				_, err := c.ConfigureWebhook(ctx, "cus_x", sovx.WebhookConfig{URL: "https://e.com"})
				return err
			}, sovx.OpConfigure, 404},
			{"400 invalid URL", func() error {
				_, err := c.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "ftp://e.com"})
				return err
			}, sovx.OpConfigure, 400},
			{"400 invalid header key", func() error {
				_, err := c.UpdateWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://e.com", Headers: []sovx.Header{{Key: "X Key", Value: "v"}}})
				return err
			}, sovx.OpUpdate, 400},
			{"404 on DELETE", func() error { return c.DeleteWebhook(ctx, "cus_x") }, sovx.OpDelete, 404},
			{"404 on verify", func() error { _, err := c.VerifyWebhook(ctx, "cus_1"); return err }, sovx.OpVerify, 404},
		}
		for _, tc := range cases {
			apiErr, ok := sovx.AsAPIError(tc.call())
			if !ok || apiErr.StatusCode != tc.status || apiErr.Op != tc.op || tc.status == 404 && !apiErr.RouteConfirmed || apiErr.Message == "" || apiErr.Attempts != 1 {
				t.Errorf("%s: %+v, want the API's %d for %s with a message after 1 attempt", tc.name, apiErr, tc.status, tc.op)
			}
		}
		if n := api.CountWrites(); n != 4 {
			t.Errorf("the API got %d writes, want the 4 rejected ones", n)
		}
	})
}
