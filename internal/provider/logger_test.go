package provider

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TRACE-level logs of successful, retried and failed calls hold request
// lines but neither the token nor any header value.
func TestClientLogsAtTraceHoldNoSecrets(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Token: "tok-SECRET-1234", Strict: true})
	defer api.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)

	client, err := sovx.NewClient(sovx.Config{
		Endpoint: api.URL, Token: api.Token, Logger: tflogLogger{},
		MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	headers := []sovx.Header{{Key: "Authorization", Value: "Bearer hdr-SECRET-5678"}, {Key: "X-API-Key", Value: "key-SECRET-9012"}}
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: 503, Times: 1,
		Body: `{"error":{"message":"echo key-SECRET-9012 tok-SECRET-1234"}}`})
	if _, err := client.ConfigureWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://example.com/h", Headers: headers}); err != nil {
		t.Fatal(err)
	}
	api.InjectFault(sovxtest.Fault{Method: http.MethodPut, Status: 500})
	_, _ = client.UpdateWebhook(ctx, "cus_1", sovx.WebhookConfig{URL: "https://example.com/h", Headers: headers})
	_, _ = client.GetWebhook(ctx, "cus_1")

	out := logs.String()
	for _, secret := range []string{"tok-SECRET-1234", "hdr-SECRET-5678", "key-SECRET-9012"} {
		if strings.Contains(out, secret) {
			t.Errorf("log output contains secret %q", secret)
		}
	}
	for _, want := range []string{`"@message":"sovx API request"`, `"method":"POST"`, `"status":500`, `"trace_id":"`, `"@message":"sovx API attempt failed; trying again"`, `"attempt":2`, `"duration_ms"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %s:\n%s", want, out)
		}
	}
}
