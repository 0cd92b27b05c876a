package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestFiftyWebhooksInParallel applies, refreshes and destroys 50 webhooks
// with Terraform's default parallelism (10) against an API with latency:
// every webhook right, the expected calls and no more (no retry storm), the
// parallelism used, connections reused.
func TestFiftyWebhooksInParallel(t *testing.T) {
	const n = 50
	customers := numberedCustomers(n)
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
	defer api.Close()
	w := newWorkspace(t, api, fmt.Sprintf(`
resource "sovx_customer_webhook" "pin" {
  for_each    = toset(["%s"])
  customer_id = each.key
  url         = "https://example.com/hooks/${each.key}"
  headers     = { "X-API-Key" = { value = "key-${each.key}" } }
  verify      = false
}
`, strings.Join(customers, `", "`)))
	api.SetLatency(50 * time.Millisecond)

	phase := func(name string, want map[string]int, args ...string) {
		t.Helper()
		api.ResetRequests()
		api.ResetStats()
		start := time.Now()
		w.mustRun(args...)
		got := map[string]int{}
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, "VERIFY"} {
			if c := api.CountRequests(m, ""); c > 0 {
				got[m] = c
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: the API got %v, want exactly %v", name, got, want)
		}
		if peak := api.MaxInFlight(); peak < 6 || peak > 10 {
			t.Errorf("%s: at most %d requests were in flight, want Terraform's parallelism of 10", name, peak)
		}
		total := len(api.Requests())
		if conns := api.Connections(); conns*3 > int64(total) {
			t.Errorf("%s: %d connections for %d requests: connections are not reused", name, conns, total)
		}
		t.Logf("%s: %v in %s, peak %d in flight, %d connections", name, got, time.Since(start).Round(time.Millisecond),
			api.MaxInFlight(), api.Connections())
	}

	// A create is checked once at plan and once right before its POST (the
	// apply's own plan of it: the create uses that answer).
	phase("create", map[string]int{http.MethodGet: 2 * n, http.MethodPost: n}, "apply", "-auto-approve", "-no-color")
	for _, id := range customers {
		if hook, ok := api.Webhook(id); !ok || hook.URL != "https://example.com/hooks/"+id || hook.Headers[0].Value != "key-"+id {
			t.Fatalf("%s holds %+v", id, hook)
		}
	}
	phase("refresh", map[string]int{http.MethodGet: n}, "plan", "-no-color", "-detailed-exitcode")
	phase("destroy", map[string]int{http.MethodGet: n, http.MethodDelete: n}, "destroy", "-auto-approve", "-no-color")
	if left := storedCount(api, customers); left != 0 {
		t.Errorf("%d webhooks left after destroy", left)
	}
}

// numberedCustomers is cus_00, cus_01, … n customer ids.
func numberedCustomers(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("cus_%02d", i)
	}
	return ids
}
