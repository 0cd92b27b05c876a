package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestSavedPlanAppliesOnlyToItsAPI: a plan saved with SOVX_ENDPOINT set to
// one API and applied where it points at another (an apply job that leaves
// it out, say) writes nothing to the other API, for a create, an update and
// a destroy, and fails naming both endpoints. A different token is fine.
func TestSavedPlanAppliesOnlyToItsAPI(t *testing.T) {
	planned := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	t.Cleanup(planned.Close)
	other := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Token: planned.Token})
	t.Cleanup(other.Close)
	config := func(url string) string {
		return fmt.Sprintf("resource \"sovx_customer_webhook\" \"w\" {\n  customer_id = \"cus_1\"\n  url = %q\n  verify = false\n}\n", url)
	}
	w := newWorkspace(t, planned, config("https://example.com/a"))
	applyElsewhere := func(what string, planArgs ...string) {
		t.Helper()
		w.setEnv("SOVX_ENDPOINT=" + planned.URL)
		w.mustRun(append([]string{"plan", "-out=tfplan", "-no-color"}, planArgs...)...)
		w.setEnv("SOVX_ENDPOINT=" + other.URL)
		out := w.mustFail("apply", "-no-color", "tfplan")
		if n := other.CountWrites(); n != 0 {
			t.Fatalf("%s: the saved plan wrote %d time(s) to the API it was not planned against:\n%s", what, n, out)
		}
		if !says(out, planned.URL) || !says(out, other.URL) {
			t.Fatalf("%s: the error does not name both endpoints:\n%s", what, out)
		}
	}

	// A create: Terraform's own check of the final plan stops it, as the
	// planned api_endpoint differs (the apply's re-plan reads once).
	applyElsewhere("create")
	if n := other.CountRequests(http.MethodGet, "cus_1"); n > 1 {
		t.Errorf("create: the other API got %d GETs, want at most the re-plan's one", n)
	}
	w.setEnv("SOVX_ENDPOINT=" + planned.URL)
	w.mustRun("apply", "-auto-approve", "-no-color")

	// An update and a destroy: refused by the provider before any request.
	other.ResetRequests()
	w.write(config("https://example.com/b"))
	applyElsewhere("update")
	applyElsewhere("destroy", "-destroy")
	if n := len(other.Requests()); n != 0 {
		t.Errorf("update and destroy sent %d request(s) to the API they were not planned against", n)
	}

	// Applied at the same endpoint with another token (a writer's), the saved plan goes through.
	w.setEnv("SOVX_ENDPOINT=" + planned.URL)
	w.mustRun("plan", "-out=tfplan", "-no-color")
	w.setEnv("SOVX_TOKEN=" + planned.ExpireTokenAfter(0))
	w.mustRun("apply", "-no-color", "tfplan")
	if got, _ := planned.Webhook("cus_1"); got.URL != "https://example.com/b" {
		t.Errorf("the planned API holds %q after the apply, want the new URL", got.URL)
	}
}
