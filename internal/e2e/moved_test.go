package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The guide "Moving from restapi_object", as written: a restapi_object (the
// REST provider's stand-in, restapi_object's schema) manages cus_123's
// webhook; the configuration then says sovx_customer_webhook with a moved
// block. The plan moves it and updates it in place, the apply sends one PUT
// (no POST, no DELETE, never a mask), and the next plan is clean; also when
// a read left the API's answer, masks included, in the object's data.
func TestMovedFromRESTAPIObject(t *testing.T) {
	const url = "https://example.com/webhook/pin-notification"
	for name, answer := range map[string]string{
		"data as sent":      "",
		"data after a read": `{"success":true,"data":{"url":"` + url + `","headers":[{"key":"X-API-Key","value":"***masked***"}]},"meta":{"version":"v1"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			api := sovxtest.NewServer(sovxtest.Options{Strict: true})
			defer api.Close()
			api.SetWebhook("cus_123", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "key-1"}}})
			const guide = "docs/guides/moving-from-restapi-object.md"
			w := pasted(t, api, pageSnippet(t, guide, `resource "restapi_object" "pin"`))
			w.setEnv("TF_VAR_session_token="+api.Token, "TF_VAR_api_key=key-2", RESTAPIAnswer+"="+answer)
			w.mustRun("apply", "-auto-approve", "-no-color")
			w.mustRun("refresh", "-no-color") // what a later plan's refresh leaves in data
			api.ResetRequests()

			writeFile(t, filepath.Join(w.dir, "main.tf"), pageSnippet(t, guide, "moved {").text)
			w.mustRun("init", "-no-color")
			out := w.mustRun("plan", "-no-color")
			for _, line := range strings.Split(guideSnippet(t, "moving-from-restapi-object.md", "text", "moved from"), "\n") {
				if engine == "OpenTofu" && strings.Contains(line, "unchanged attribute hidden") {
					continue // OpenTofu shows the header's value_wo there instead
				}
				if !says(out, strings.Join(strings.Fields(line), " ")) {
					t.Fatalf("the plan of the move is not what the guide shows (%q):\n%s", line, out)
				}
			}
			w.mustRun("apply", "-auto-approve", "-no-color")
			for method, want := range map[string]int{http.MethodPost: 0, http.MethodDelete: 0, http.MethodPut: 1} {
				if n := api.CountRequests(method, "cus_123"); n != want {
					t.Errorf("the move sent %d %s(s), want %d", n, method, want)
				}
			}
			if hook, _ := api.Webhook("cus_123"); hook.URL != url || len(hook.Headers) != 1 || hook.Headers[0].Value != "key-2" {
				t.Errorf("after the move the API holds %+v, want the configured value", hook)
			}
			if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(out, "No changes") {
				t.Errorf("the plan after the move is not clean:\n%s", out)
			}
			if n := api.MaskViolations(); n != 0 {
				t.Errorf("a mask was sent %d time(s)", n)
			}
		})
	}
}
