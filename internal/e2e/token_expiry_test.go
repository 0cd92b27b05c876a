package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestTokenExpiringMidApplyKeepsStateEqualToTheAPI: the session token
// expires at any point of a six-webhook apply (plan: 6 GETs; apply: 6 GETs,
// 6 POSTs, 6 tests). Whatever failed, the state then holds exactly the
// webhooks the API holds, and what the user sees names the token: an error
// for what failed, a warning for a webhook created whose test could not run
// (kept, its test pending in the next plan). With a fresh token the apply
// converges, and destroy leaves nothing at the API.
func TestTokenExpiringMidApplyKeepsStateEqualToTheAPI(t *testing.T) {
	for _, after := range []int{0, 4, 8, 11, 14, 17, 19, 21, 23} {
		t.Run(fmt.Sprintf("after %d requests", after), func(t *testing.T) {
			t.Parallel()
			expireTokenMidApply(t, after)
		})
	}
}

var sixCustomers = []string{"cus_1", "cus_2", "cus_3", "cus_4", "cus_5", "cus_6"}

func expireTokenMidApply(t *testing.T, after int) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: sixCustomers})
	t.Cleanup(api.Close)
	hook := sovxtest.NewReceiver()
	t.Cleanup(hook.Close)
	w := newWorkspace(t, api, fmt.Sprintf(`
resource "sovx_customer_webhook" "w" {
  for_each    = toset(["%s"])
  customer_id = each.key
  url         = %q
}
`, strings.Join(sixCustomers, `", "`), hook.URL))
	fresh := api.ExpireTokenAfter(after)
	out, err := w.run("apply", "-auto-approve", "-no-color")
	switch {
	case err != nil && !says(out, "Error: API token invalid or expired"):
		t.Fatalf("the apply failed without naming the token:\n%s", out)
	case err == nil && !says(out, "Warning: Webhook test could not run: API token invalid or expired"):
		t.Fatalf("the apply passed without a warning naming the token:\n%s", out)
	case says(out, "Fix the receiving endpoint"):
		t.Fatalf("the message blames the receiver for the token:\n%s", out)
	}
	if inState, atAPI := stateCustomers(w), apiCustomers(api); !slices.Equal(inState, atAPI) {
		t.Fatalf("state holds %v, the API %v\n%s", inState, atAPI, out)
	}
	w.setEnv("SOVX_TOKEN=" + fresh)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if out, err := w.run("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Fatalf("the apply with a fresh token did not converge:\n%s", out)
	}
	w.mustRun("destroy", "-auto-approve", "-no-color")
	if left := apiCustomers(api); len(left) > 0 {
		t.Fatalf("destroy left webhooks at the API: %v", left)
	}
}

// stateCustomers lists the customers whose webhook the state holds.
func stateCustomers(w *workspace) []string {
	var out []string
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate")); err != nil {
		return nil // the plan failed: no state was written
	}
	for _, line := range strings.Fields(w.mustRun("state", "list")) {
		if key, ok := strings.CutPrefix(line, `sovx_customer_webhook.w["`); ok {
			out = append(out, strings.TrimSuffix(key, `"]`))
		}
	}
	slices.Sort(out)
	return out
}

// apiCustomers lists the customers whose webhook the API holds.
func apiCustomers(api *sovxtest.Server) []string {
	var out []string
	for _, c := range sixCustomers {
		if _, ok := api.Webhook(c); ok {
			out = append(out, c)
		}
	}
	return out
}
