package sovx_test

// One test per row of CONTRACT.md: every choice the reference leaves open is
// made each way, by the fake's dialects or by a hand-written server, and the
// client's decision must not change.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// dialects are the fake's fixed dialects and a handful of seeded random ones.
func dialects() []sovxtest.Dialect {
	out := []sovxtest.Dialect{sovxtest.DefaultDialect(), sovxtest.LeanDialect()}
	for seed := uint64(1); seed <= 8; seed++ {
		out = append(out, sovxtest.RandomDialect(seed))
	}
	return out
}

// forEachDialect runs f against a fresh fake speaking each dialect, with
// customer cus_1 (no webhook) and a client for it.
func forEachDialect(t *testing.T, f func(t *testing.T, api *sovxtest.Server, c *sovx.Client)) {
	for _, d := range dialects() {
		t.Run(d.Name, func(t *testing.T) {
			api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true, Dialect: d})
			t.Cleanup(api.Close)
			f(t, api, newClient(t, api))
		})
	}
}

// answering is a server that answers every request with status and body,
// with or without a token: not the API, whose every endpoint answers 401
// to a request without one.
func answering(t *testing.T, status int, contentType, body string, header ...string) *sovx.Client {
	t.Helper()
	return serving(t, false, status, contentType, body, header...)
}

// apiAnswering is answering, except that it answers 401 to a request
// without a token, as the reference says every endpoint of the API does.
func apiAnswering(t *testing.T, status int, contentType, body string, header ...string) *sovx.Client {
	t.Helper()
	return serving(t, true, status, contentType, body, header...)
}

func serving(t *testing.T, asksForToken bool, status int, contentType, body string, header ...string) *sovx.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if asksForToken && r.Header.Get("Authorization") == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1", Token: "t", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContractErrorCodesAreOptional(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		ctx := context.Background()
		_, err := c.GetWebhook(ctx, "cus_1")
		if !sovx.IsWebhookNotConfigured(err) || sovx.IsCustomerNotFound(err) {
			t.Errorf("GET of a customer without webhook: %v, want webhook not configured", err)
		}
		_, err = c.ConfigureWebhook(ctx, "cus_nope", sovx.WebhookConfig{URL: "https://e.com"})
		if !sovx.IsCustomerNotFound(err) {
			t.Errorf("POST for an unknown customer: %v, want customer not found", err)
		}
		_, err = c.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "ftp://e.com"})
		if e, ok := sovx.AsAPIError(err); !ok || e.StatusCode != http.StatusBadRequest || e.Message == "" {
			t.Errorf("POST of a bad URL: %+v, want the API's 400 with its message", e)
		}
	})
}

func TestContractErrorBodyShapes(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		wantMsg, wantCode       string
	}{
		{"nested", "application/json", `{"success":false,"error":{"code":"X","message":"url is required"}}`, "url is required", "X"},
		{"string", "application/json", `{"success":false,"error":"url is required"}`, "url is required", ""},
		{"flat", "application/json", `{"success":false,"message":"url is required","code":"X"}`, "url is required", "X"},
		{"no envelope", "application/json", `{"error":"url is required"}`, "url is required", ""},
		{"no message", "application/json", `{"success":false}`, `{"success":false}`, ""},
		{"problem details", "application/problem+json",
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"url is required","instance":"/x"}`,
			"Unprocessable Entity: url is required", ""},
		{"problem details, title only", "application/problem+json", `{"title":"url is required","status":422}`, "url is required", ""},
		{"errors list", "application/json", `{"errors":[{"code":"E1","message":"url is required"}]}`, "url is required", "E1"},
		{"numeric code", "application/json", `{"code":422,"msg":"url is required"}`, "url is required", "422"},
		{"bare json string", "application/json", `"url is required"`, "url is required", ""},
		{"plain text", "text/plain", "upstream said no\n", "upstream said no", ""},
		{"html with title", "text/html", "<html><head><title>422 Nope</title></head><body><h1>x</h1></body></html>", "422 Nope", ""},
		{"html without title", "text/html", "<html><body><h1>Nope</h1><p>try &amp; again</p></body></html>", "Nope try & again", ""},
		{"empty", "", "", "Unprocessable Entity", ""},
		{"json array", "application/json", `["nope"]`, `["nope"]`, ""},
		{"other service's json", "application/json", `{"message":"no Route matched"}`, "no Route matched", ""},
		{"success true on an error status", "application/json", `{"success":true,"message":"odd"}`, "odd", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := answering(t, http.StatusUnprocessableEntity, tc.contentType, tc.body).GetWebhook(context.Background(), "cus_1")
			e, ok := sovx.AsAPIError(err)
			if !ok || e.StatusCode != 422 || e.Message != tc.wantMsg || e.Code != tc.wantCode {
				t.Errorf("error = %+v, want status 422, message %q, code %q", e, tc.wantMsg, tc.wantCode)
			}
		})
	}
}

// errorBodies are 404 bodies of every shape, the API's envelope included:
// none of them may decide whether the 404 is the API's.
var errorBodies = map[string]string{
	"envelope":        `{"success":false,"error":{"code":"WEBHOOK_NOT_FOUND","message":"Webhook not configured"}}`,
	"html":            "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>nginx</body></html>",
	"plain text":      "404 page not found\n",
	"gateway json":    `{"message":"Not Found"}`,
	"problem details": `{"type":"about:blank","title":"Not Found","status":404,"detail":"Customer cus_1 has no webhook configured"}`,
	"bare string":     `"Not Found"`,
	"empty":           "",
}

// A 404 is the API's when the same path answers 401 without a token (the
// reference: every endpoint needs the token); the body's shape decides
// nothing. The check is made once per client, and only after a 404.
func TestContractA404IsTheAPIsWhenTheRouteAsksForAToken(t *testing.T) {
	for name, body := range errorBodies {
		t.Run(name+"/not the API", func(t *testing.T) {
			c := answering(t, http.StatusNotFound, "", body)
			ctx := context.Background()
			_, getErr := c.GetWebhook(ctx, "cus_1")
			delErr := c.DeleteWebhook(ctx, "cus_1")
			_, verifyErr := c.VerifyWebhook(ctx, "cus_1")
			_, postErr := c.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://e.com"})
			for op, err := range map[string]error{"get": getErr, "delete": delErr, "verify": verifyErr, "post": postErr} {
				e, _ := sovx.AsAPIError(err)
				if sovx.IsNotFound(err) || sovx.IsWebhookNotConfigured(err) || sovx.IsCustomerNotFound(err) ||
					!sovx.IsWrongEndpoint(err) || e == nil || !strings.HasSuffix(e.Endpoint, "/sovx/v1") {
					t.Errorf("%s: %+v: a 404 from a route that needs no token must not read as not-found, and must name the endpoint", op, e)
				}
			}
		})
		t.Run(name+"/the API", func(t *testing.T) {
			c := apiAnswering(t, http.StatusNotFound, "", body)
			ctx := context.Background()
			_, getErr := c.GetWebhook(ctx, "cus_1")
			delErr := c.DeleteWebhook(ctx, "cus_1")
			for op, err := range map[string]error{"get": getErr, "delete": delErr} {
				if !sovx.IsNotFound(err) || sovx.IsWrongEndpoint(err) {
					t.Errorf("%s: %v: the API's 404 must read as not found", op, err)
				}
			}
		})
	}
}

// The endpoint check costs one request per client, only after a 404, and
// never carries the token.
func TestContractEndpointCheckIsAskedOnce(t *testing.T) {
	var withToken, withoutToken atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			withoutToken.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		withToken.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	c, err := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1", Token: "t", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"cus_1", "cus_2", "cus_3"} {
		if _, err := c.GetWebhook(context.Background(), id); !sovx.IsNotFound(err) {
			t.Fatalf("GET %s: %v", id, err)
		}
	}
	if w, wo := withToken.Load(), withoutToken.Load(); w != 3 || wo != 1 {
		t.Errorf("%d requests with the token, %d without; want 3 and 1", w, wo)
	}
	if _, err := c.ExistingWebhook(context.Background(), "cus_4"); err != nil {
		t.Errorf("ExistingWebhook: a 404 means nothing to take over, got %v", err)
	}
}

func TestContract404MeaningPerOperation(t *testing.T) {
	type want struct{ customer, webhook bool }
	cases := []struct {
		body string
		get  want // also verify
	}{
		{`{"success":false}`, want{webhook: true}},
		{`{"success":false,"error":"Not Found"}`, want{webhook: true}},
		{`{"success":false,"error":{"code":"NOT_FOUND","message":"Not Found"}}`, want{webhook: true}},
		{`{"success":false,"error":{"code":"WEBHOOK_MISSING"}}`, want{webhook: true}},
		{`{"success":false,"message":"customer cus_1 has no webhook"}`, want{webhook: true}},
		{`{"success":false,"message":"Customer or webhook not configured"}`, want{webhook: true}},
		{`{"success":false,"error":{"code":"ERR_CUSTOMER_UNKNOWN","message":"Not Found"}}`, want{customer: true}},
		{`{"success":false,"error":"No such customer"}`, want{customer: true}},
		{`{"title":"Not Found","status":404,"detail":"Customer cus_1 has no webhook configured"}`, want{webhook: true}},
		{`{"title":"Not Found","status":404,"detail":"Customer cus_1 does not exist"}`, want{customer: true}},
		{`Customer not found`, want{customer: true}},
		{``, want{webhook: true}},
		{`<html><head><title>Not Found</title></head></html>`, want{webhook: true}},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			c := apiAnswering(t, http.StatusNotFound, "application/json", tc.body)
			ctx := context.Background()
			_, getErr := c.GetWebhook(ctx, "cus_1")
			_, verifyErr := c.VerifyWebhook(ctx, "cus_1")
			for op, err := range map[string]error{"get": getErr, "verify": verifyErr} {
				if got := (want{sovx.IsCustomerNotFound(err), sovx.IsWebhookNotConfigured(err)}); got != tc.get || !sovx.IsNotFound(err) {
					t.Errorf("%s: customer=%v webhook=%v, want %+v", op, got.customer, got.webhook, tc.get)
				}
			}
			_, postErr := c.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://e.com"})
			_, putErr := c.UpdateWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://e.com"})
			delErr := c.DeleteWebhook(ctx, "cus_1")
			for op, err := range map[string]error{"post": postErr, "put": putErr, "delete": delErr} {
				if !sovx.IsCustomerNotFound(err) || sovx.IsWebhookNotConfigured(err) {
					t.Errorf("%s: %v, want customer not found (the documented meaning)", op, err)
				}
			}
		})
	}
}

func TestContractAnySuccessStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		ctx := context.Background()
		if _, err := c.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://e.com"}); err != nil {
			t.Fatalf("POST answered %d: %v", api.Dialect().CreatedStatus, err)
		}
		if err := c.DeleteWebhook(ctx, "cus_1"); err != nil {
			t.Fatalf("DELETE (envelope %v): %v", api.Dialect().DeleteEnvelope, err)
		}
		if _, ok := api.Webhook("cus_1"); ok {
			t.Error("the webhook is still stored")
		}
	})
	for _, status := range []int{200, 201, 202, 204} {
		c := answering(t, status, "", "")
		if err := c.DeleteWebhook(context.Background(), "cus_1"); err != nil {
			t.Errorf("DELETE answered %d with no body: %v", status, err)
		}
	}
}

func TestContractDeleteWithoutWebhook(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		err := c.DeleteWebhook(context.Background(), "cus_1")
		if err != nil && !sovx.IsNotFound(err) {
			t.Errorf("DELETE without a webhook: %v, want success or the API's 404", err)
		}
		if want := api.Dialect().DeleteWithoutWebhook404; sovx.IsNotFound(err) != want {
			t.Errorf("DELETE without a webhook: %v; the dialect answers 404: %v", err, want)
		}
	})
}

func TestContractNoHeaders(t *testing.T) {
	for name, data := range map[string]string{
		"empty":   `"headers":[]`,
		"null":    `"headers":null`,
		"omitted": `"x":1`,
	} {
		body := fmt.Sprintf(`{"success":true,"data":{"url":"https://e.com",%s}}`, data)
		w, err := answering(t, 200, "application/json", body).GetWebhook(context.Background(), "cus_1")
		if err != nil || w.URL != "https://e.com" || len(w.HeaderNames) != 0 {
			t.Errorf("%s: %+v, %v; want the URL and no headers", name, w, err)
		}
	}
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://e.com"})
		if w, err := c.GetWebhook(context.Background(), "cus_1"); err != nil || len(w.HeaderNames) != 0 {
			t.Errorf("%+v, %v; want no headers", w, err)
		}
	})
}

func TestContractHeaderOrder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://e.com", Headers: []sovxtest.Header{
			{Key: "X-B", Value: "1"}, {Key: "X-A", Value: "2"}, {Key: "X-C", Value: "3"}}})
		w, err := c.GetWebhook(context.Background(), "cus_1")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(w.HeaderNames) != "[X-A X-B X-C]" {
			t.Errorf("header names = %v, want X-A, X-B, X-C (sorted, whatever the API's order)", w.HeaderNames)
		}
	})
}

// GET masks every header value, in a spelling the reference leaves open.
// The client keeps the names alone: no value it reads, whatever it looks
// like, can stand for a real one or be sent back.
func TestContractHeaderValuesAreNeverRead(t *testing.T) {
	for name, header := range map[string]string{
		"example":   `{"key":"K","value":"***masked***"}`,
		"stars":     `{"key":"K","value":"********"}`,
		"partial":   `{"key":"K","value":"s3c******2d"}`,
		"empty":     `{"key":"K","value":""}`,
		"omitted":   `{"key":"K"}`,
		"null":      `{"key":"K","value":null}`,
		"not text":  `{"key":"K","value":{"masked":true}}`,
		"plaintext": `{"key":"K","value":"looks-real-1234"}`,
	} {
		body := `{"success":true,"data":{"url":"https://e.com","headers":[` + header + `]}}`
		w, err := answering(t, 200, "application/json", body).GetWebhook(context.Background(), "cus_1")
		if err != nil || fmt.Sprint(w.HeaderNames) != "[K]" {
			t.Errorf("%s: %+v, %v; want the header name K", name, w, err)
		}
	}
	for _, style := range sovxtest.MaskStyles {
		d := sovxtest.DefaultDialect()
		d.Mask = style
		api := sovxtest.NewServer(sovxtest.Options{Dialect: d})
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://e.com", Headers: []sovxtest.Header{{Key: "K", Value: "secret-value"}}})
		w, err := newClient(t, api).GetWebhook(context.Background(), "cus_1")
		api.Close()
		if err != nil || fmt.Sprint(w.HeaderNames) != "[K]" {
			t.Errorf("%s: %+v, %v; want the header name K", style, w, err)
		}
	}
	// What a read returns has no place for a value.
	var fields []string
	for f := range reflect.TypeFor[sovx.Webhook]().Fields() {
		fields = append(fields, f.Name)
	}
	if fmt.Sprint(fields) != "[URL HeaderNames TraceID]" {
		t.Errorf("sovx.Webhook has the fields %v: a read keeps the URL, the header names and the trace id only", fields)
	}
}

func TestContractUnknownFieldsAndOrder(t *testing.T) {
	body := `{"meta":{"trace_id":"t9","region":"eu","extra":{"a":[1]}},"data":{"object":"webhook","headers":[{"key":"K","value":"***masked***","set_at":"2026"}],"url":"https://e.com","id":7},"success":true,"livemode":false}`
	w, err := answering(t, 200, "application/json", body).GetWebhook(context.Background(), "cus_1")
	if err != nil || w.URL != "https://e.com" || fmt.Sprint(w.HeaderNames) != "[K]" || w.TraceID != "t9" {
		t.Fatalf("get = %+v, %v", w, err)
	}
}

func TestContractTraceID(t *testing.T) {
	cases := []struct {
		name, body string
		header     []string
		want       string
	}{
		{"meta", `{"success":false,"meta":{"trace_id":"m1"}}`, []string{"X-Request-Id", "h1"}, "m1"},
		{"X-Trace-Id", `{"success":false}`, []string{"X-Trace-Id", "h2"}, "h2"},
		{"X-Request-Id", `{"success":false}`, []string{"X-Request-Id", "h3"}, "h3"},
		{"none", `{"success":false}`, nil, ""},
		{"non-JSON body", `oops`, []string{"X-Request-Id", "h4"}, "h4"},
	}
	for _, tc := range cases {
		_, err := answering(t, 400, "application/json", tc.body, tc.header...).GetWebhook(context.Background(), "cus_1")
		if e, ok := sovx.AsAPIError(err); !ok || e.TraceID != tc.want {
			t.Errorf("%s: %+v, want trace id %q", tc.name, e, tc.want)
		}
	}
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://e.com"})
		w, err := c.GetWebhook(context.Background(), "cus_1")
		if err != nil {
			t.Fatal(err)
		}
		if wantTrace := api.Dialect().TraceID != sovxtest.TraceIDAbsent; (w.TraceID != "") != wantTrace {
			t.Errorf("trace id %q; the dialect sends one: %v", w.TraceID, wantTrace)
		}
	})
}

func TestContractContentTypeIsNotChecked(t *testing.T) {
	for _, ct := range []string{"application/json; charset=utf-8", "text/plain", "application/vnd.sovx+json", ""} {
		w, err := answering(t, 200, ct, `{"success":true,"data":{"url":"https://e.com"}}`).GetWebhook(context.Background(), "cus_1")
		if err != nil || w.URL != "https://e.com" {
			t.Errorf("Content-Type %q: %+v, %v", ct, w, err)
		}
	}
}

func TestContractVerifyWording(t *testing.T) {
	for msg, want := range map[string]bool{
		"Webhook test successful":                   true,
		"webhook test successful.":                  true,
		"  WEBHOOK TEST SUCCESSFUL  ":               true,
		"Webhook test successful (HTTP 200)":        true,
		"Webhook test successful - answered in 8ms": true,
		"Webhook test successfully queued":          false,
		"Webhook test failed":                       false,
		"Webhook test failed: HTTP 500":             false,
		"Test successful":                           false,
		"":                                          false,
		"Delivery failed with status 502":           false,
	} {
		if got := sovx.VerifySucceeded(msg); got != want {
			t.Errorf("VerifySucceeded(%q) = %v, want %v", msg, got, want)
		}
	}
	ok, failing := sovxtest.NewReceiver(), sovxtest.NewReceiver()
	defer ok.Close()
	defer failing.Close()
	failing.Answer(http.StatusBadGateway, `{"reason":"upstream down"}`)
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, c *sovx.Client) {
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: ok.URL})
		if res, err := c.VerifyWebhook(context.Background(), "cus_1"); err != nil || !res.Succeeded {
			t.Errorf("verify of a working endpoint: %+v, %v", res, err)
		}
		api.SetWebhook("cus_1", sovxtest.Webhook{URL: failing.URL})
		res, err := c.VerifyWebhook(context.Background(), "cus_1")
		if err != nil || res.Succeeded || res.Message == "" || string(res.ResponseData) != `{"reason":"upstream down"}` {
			t.Errorf("verify of a failing endpoint: %+v, %v", res, err)
		}
	})
}

func TestContractAuthStatuses(t *testing.T) {
	forEachDialect(t, func(t *testing.T, api *sovxtest.Server, _ *sovx.Client) {
		bad := newClient(t, api, func(cfg *sovx.Config) { cfg.Token = "wrong" })
		if _, err := bad.GetWebhook(context.Background(), "cus_1"); !sovx.IsUnauthorized(err) || sovx.IsForbidden(err) {
			t.Errorf("rejected token: %v", err)
		}
	})
	_, err := answering(t, http.StatusForbidden, "application/json", `{"success":false,"error":"forbidden"}`).GetWebhook(context.Background(), "cus_1")
	if !sovx.IsForbidden(err) || sovx.IsUnauthorized(err) {
		t.Errorf("403: %v", err)
	}
	var apiErr *sovx.APIError
	if !errors.As(err, &apiErr) || apiErr.Op != sovx.OpGet {
		t.Errorf("403 error %+v does not name its operation", apiErr)
	}
}
