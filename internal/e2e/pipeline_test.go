package e2e

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The CI pipeline of the guide: one job plans into a file, another job (a
// fresh checkout: init again, the lock file carried over) applies that
// file. The secret comes from an ephemeral variable into value_wo, so it
// must reach the API and be in neither the plan file nor the state.
func TestPlanFileAppliedByAnotherJob(t *testing.T) {
	const secret = "wo-SECRET-pipeline-8c2a"
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	plan := newWorkspace(t, api, pipelineConfig(true))
	plan.setEnv("TF_VAR_api_key=" + secret)
	if _, err := plan.run("plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=webhooks.tfplan"); exitCode(err) != 2 {
		t.Fatalf("plan -detailed-exitcode: %v, want exit 2 (changes)\n%s", err, plan.output.String())
	}
	if n := api.CountWrites(); n != 0 {
		t.Fatalf("the plan job sent %d write(s)", n)
	}

	// The apply job: the configuration, the lock file and the plan file
	// (and, here in place of a remote backend, the state) are carried over.
	apply := newWorkspaceFrom(t, api, plan, "main.tf", ".terraform.lock.hcl", "webhooks.tfplan")
	apply.setEnv("TF_VAR_api_key=" + secret)
	apply.mustRun("apply", "-input=false", "-no-color", "webhooks.tfplan")
	if stored, ok := api.Webhook("cus_1"); !ok || len(stored.Headers) != 1 || stored.Headers[0].Value != secret {
		t.Fatalf("the API stored %+v, want the secret from the ephemeral variable", stored)
	}
	for name, text := range map[string]string{
		"plan file":  planFileText(t, filepath.Join(plan.dir, "webhooks.tfplan")),
		"state":      readFile(t, filepath.Join(apply.dir, "terraform.tfstate")),
		"job output": plan.output.String() + apply.output.String(),
	} {
		if strings.Contains(text, secret) {
			t.Errorf("the secret is in the %s", name)
		}
	}

	// The next run has nothing to do: -detailed-exitcode 0 lets a pipeline skip the apply job.
	if _, err := apply.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("plan after the apply: %v, want exit 0 (no changes)\n%s", err, apply.output.String())
	}
}

// newWorkspaceFrom is a second job's checkout: the named files of from,
// then terraform init.
func newWorkspaceFrom(t *testing.T, api *sovxtest.Server, from *workspace, files ...string) *workspace {
	t.Helper()
	w := newWorkspace(t, api, "")
	for _, name := range append(files, "terraform.tfstate") {
		raw, err := os.ReadFile(filepath.Join(from.dir, name))
		if os.IsNotExist(err) && name == "terraform.tfstate" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(w.dir, name), string(raw))
	}
	w.mustRun("init", "-input=false", "-no-color")
	return w
}

// planFileText is every file inside a saved plan (a zip), uncompressed.
func planFileText(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(&b, rc)
		_ = rc.Close()
	}
	if b.Len() == 0 {
		t.Fatal("the plan file holds nothing")
	}
	return b.String()
}

// exitCode is a command's exit status (0 for success, -1 when it did not run).
func exitCode(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	return -1
}

// What the guide warns about: a variable that is not ephemeral is saved in
// the plan file, even when it only feeds value_wo.
func TestPlanFileHoldsANonEphemeralVariable(t *testing.T) {
	const secret = "wo-SECRET-not-ephemeral-41d7"
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	w := newWorkspace(t, api, pipelineConfig(false))
	w.setEnv("TF_VAR_api_key=" + secret)
	w.mustRun("plan", "-input=false", "-no-color", "-out=webhooks.tfplan")
	if !strings.Contains(planFileText(t, filepath.Join(w.dir, "webhooks.tfplan")), secret) {
		t.Error("the plan file does not hold the non-ephemeral variable: the guide's warning would be wrong")
	}
}

// pipelineConfig is the CI guide's configuration: a secret variable feeding
// value_wo, ephemeral or not.
func pipelineConfig(ephemeral bool) string {
	return fmt.Sprintf(`
variable "api_key" {
  type      = string
  sensitive = true
  ephemeral = %t
}

resource "sovx_customer_webhook" "this" {
  customer_id        = "cus_1"
  url                = "https://example.com/webhook/pin-notification"
  headers            = { "X-Api-Key" = { value_wo = var.api_key } }
  headers_wo_version = 1
  verify             = false
}
`, ephemeral)
}
