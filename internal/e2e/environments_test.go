package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The several-environments guide's example, applied as it is against two
// APIs with different tokens: each webhook lands in its own environment.
func TestSeveralEnvironmentsExample(t *testing.T) {
	staging := sovxtest.NewServer(sovxtest.Options{Token: "tok-SECRET-staging", Customers: []string{"cus_123"}, Strict: true})
	defer staging.Close()
	production := sovxtest.NewServer(sovxtest.Options{Token: "tok-SECRET-production", Customers: []string{"cus_123"}, Strict: true})
	defer production.Close()

	w := pasted(t, staging, pageSnippet(t, "docs/guides/several-environments.md", `alias    = "production"`))
	w.setEnv("SOVX_ENDPOINT=", "SOVX_TOKEN=", // nothing from the environment: each block says where
		"TF_VAR_staging_endpoint="+staging.URL, "TF_VAR_staging_token="+staging.Token,
		"TF_VAR_production_endpoint="+production.URL, "TF_VAR_production_token="+production.Token)
	w.mustRun("apply", "-auto-approve", "-no-color")

	for name, c := range map[string]struct {
		api *sovxtest.Server
		url string
	}{
		"staging":    {staging, "https://staging.example.com/webhook/pin-notification"},
		"production": {production, "https://example.com/webhook/pin-notification"},
	} {
		if stored, ok := c.api.Webhook("cus_123"); !ok || stored.URL != c.url {
			t.Errorf("%s API stored %+v, want %s", name, stored, c.url)
		}
		if n := c.api.CountWrites(); n != 1 {
			t.Errorf("%s API got %d write(s), want its one webhook", name, n)
		}
	}
	state := readFile(t, filepath.Join(w.dir, "terraform.tfstate"))
	for _, token := range []string{staging.Token, production.Token} {
		if strings.Contains(state, token) || strings.Contains(w.output.String(), token) {
			t.Errorf("a token from an ephemeral variable is in the state or the output")
		}
	}
	w.mustRun("plan", "-no-color", "-detailed-exitcode")
	w.mustRun("destroy", "-auto-approve", "-no-color")
	if _, ok := production.Webhook("cus_123"); ok {
		t.Error("destroy left the production webhook")
	}
}
