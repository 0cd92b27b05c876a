package sovx_test

import (
	"context"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// benchClient is a client of a fake API that knows cus_1, and the fake.
func benchClient(b *testing.B) (*sovx.Client, *sovxtest.Server) {
	b.Helper()
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	b.Cleanup(api.Close)
	c, err := sovx.NewClient(sovx.Config{Endpoint: api.URL, Token: api.Token})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	return c, api
}

// BenchmarkGetWebhook is the client's request/response path (build, send
// over a reused loopback connection, decode) against the fake API.
func BenchmarkGetWebhook(b *testing.B) {
	c, api := benchClient(b)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}})
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GetWebhook(ctx, "cus_1"); err != nil {
			b.Fatal(err)
		}
	}
	if conns := api.Connections(); conns > 2 {
		b.Errorf("%d connections for sequential requests: not reused", conns)
	}
}

// BenchmarkUpdateWebhook adds request encoding and secret masking setup.
func BenchmarkUpdateWebhook(b *testing.B) {
	c, _ := benchClient(b)
	cfg := sovx.WebhookConfig{URL: "https://example.com/hook", Headers: []sovx.Header{
		{Key: "Authorization", Value: "Bearer t"}, {Key: "X-API-Key", Value: "k"}}}
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.UpdateWebhook(ctx, "cus_1", cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExistingWebhookNone is a create's existence check where there is
// nothing: a 404, which is decoded as an error and redacted.
func BenchmarkExistingWebhookNone(b *testing.B) {
	c, _ := benchClient(b)
	ctx := context.Background()
	for b.Loop() {
		if w, err := c.ExistingWebhook(ctx, "cus_1"); err != nil || w != nil {
			b.Fatal(w, err)
		}
	}
}
