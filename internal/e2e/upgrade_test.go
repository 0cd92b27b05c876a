package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestUpgradeFromTheLastReleasePlansNoChange: state written by the last
// release (0.1.0, before verified and api_endpoint existed; testdata made by
// its binary) of a webhook whose test passed and one that never asked for
// one: the new provider plans no change, with and without refresh.
func TestUpgradeFromTheLastReleasePlansNoChange(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{})
	t.Cleanup(api.Close)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://hooks.example/pin", Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "key-1"}}})
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: "https://example.com/hook"})
	w := newWorkspace(t, api, `
resource "sovx_customer_webhook" "tested" {
  customer_id = "cus_1"
  url         = "https://hooks.example/pin"
  headers     = { "X-API-Key" = { value = "key-1" } }
}

resource "sovx_customer_webhook" "untested" {
  customer_id = "cus_2"
  url         = "https://example.com/hook"
  verify      = false
}
`)
	host := "registry.terraform.io"
	if engine == "OpenTofu" {
		host = "registry.opentofu.org"
	}
	state := strings.ReplaceAll(readFile(t, filepath.Join("testdata", "last-release-state.json")), "PROVIDER_HOST", host)
	w.writeFile("terraform.tfstate", state)
	for _, args := range [][]string{{"-refresh=false"}, nil} {
		if out, err := w.run(append([]string{"plan", "-detailed-exitcode", "-no-color"}, args...)...); err != nil {
			t.Fatalf("plan %v over the last release's state: %v, want no changes\n%s", args, err, out)
		}
	}
	if n := api.CountWrites() + api.CountRequests("VERIFY", ""); n != 0 {
		t.Errorf("the plans sent %d write(s) or test(s)", n)
	}
	// A change applied without refresh over that state: what the plan said
	// (api_endpoint not known yet) is what the apply stores.
	w.writeFile("main.tf", strings.Replace(readFile(t, filepath.Join(w.dir, "main.tf")), "https://example.com/hook", "https://example.com/hook2", 1))
	w.mustRun("apply", "-auto-approve", "-refresh=false", "-no-color")
	if got, _ := api.Webhook("cus_2"); got.URL != "https://example.com/hook2" {
		t.Errorf("the API holds %q after the apply, want the new URL", got.URL)
	}
	if out, err := w.run("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Fatalf("the plan after the apply is not clean: %v\n%s", err, out)
	}
}
