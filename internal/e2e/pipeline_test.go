package e2e

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The CI pipelines guide, as written: its configuration, and its two jobs'
// commands. The plan job plans into a file; the apply job (a fresh checkout:
// init again, the lock file carried over) applies that file. The secret comes
// from an ephemeral variable into value_wo, so it must reach the API and be in
// neither the plan file nor the state. Only the "…" of the token and the key
// are filled in.
func TestPlanFileAppliedByAnotherJob(t *testing.T) {
	const secret = "wo-SECRET-pipeline-8c2a"
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
	defer api.Close()
	fill := strings.NewReplacer("SOVX_TOKEN=…", "SOVX_TOKEN="+api.Token, "TF_VAR_api_key=…", "TF_VAR_api_key="+secret,
		"SOVX_ENDPOINT=https://api.sandbox.sovera.io/sovx/v1", "SOVX_ENDPOINT="+api.URL)
	plan := pasted(t, api, pipelineConfig(t, true))
	runGuideLines(plan, fill.Replace(guideSnippet(t, "ci-pipelines.md", "sh", `Job "plan"`)), 2)
	if n := api.CountWrites(); n != 0 {
		t.Fatalf("the plan job sent %d write(s)", n)
	}

	// The apply job: the configuration, the lock file and the plan file
	// (and, here in place of a remote backend, the state) are carried over.
	apply := newWorkspaceFrom(t, api, plan, "main.tf", ".terraform.lock.hcl", "webhooks.tfplan")
	runGuideLines(apply, fill.Replace(guideSnippet(t, "ci-pipelines.md", "sh", `Job "apply"`)), 0)
	if stored, ok := api.Webhook("cus_123"); !ok || len(stored.Headers) != 1 || stored.Headers[0].Value != secret {
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

// runGuideLines runs a job's lines from a guide: "export" lines set the
// environment, "terraform" lines run (with -no-color added); the last one
// must exit with lastExit (2: plan -detailed-exitcode found changes).
func runGuideLines(w *workspace, lines string, lastExit int) {
	w.t.Helper()
	var commands [][]string
	for _, line := range strings.Split(lines, "\n") {
		fields := strings.Fields(strings.TrimSpace(line))
		switch {
		case len(fields) == 0 || strings.HasPrefix(fields[0], "#"):
		case fields[0] == "export":
			w.setEnv(fields[1:]...)
		case fields[0] == "terraform":
			commands = append(commands, append(fields[1:], "-no-color"))
		default:
			w.t.Fatalf("a guide line this test cannot run: %q", line)
		}
	}
	for i, args := range commands {
		want := 0
		if i == len(commands)-1 {
			want = lastExit
		}
		if _, err := w.run(args...); exitCode(err) != want {
			w.t.Fatalf("terraform %s: %v, want exit %d\n%s", strings.Join(args, " "), err, want, w.output.String())
		}
	}
}

// newWorkspaceFrom is a second job's checkout: the named files of from,
// then terraform init.
func newWorkspaceFrom(t *testing.T, api *sovxtest.Server, from *workspace, files ...string) *workspace {
	t.Helper()
	w := emptyWorkspace(t, api)
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
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
	defer api.Close()
	w := pasted(t, api, pipelineConfig(t, false))
	w.setEnv("TF_VAR_api_key=" + secret)
	w.mustRun("plan", "-input=false", "-no-color", "-out=webhooks.tfplan")
	if !strings.Contains(planFileText(t, filepath.Join(w.dir, "webhooks.tfplan")), secret) {
		t.Error("the plan file does not hold the non-ephemeral variable: the guide's warning would be wrong")
	}
}

// pipelineConfig is the CI guide's configuration as written, its variable
// ephemeral or not.
func pipelineConfig(t *testing.T, ephemeral bool) snippet {
	t.Helper()
	s := pageSnippet(t, "docs/guides/ci-pipelines.md", `variable "api_key"`)
	if !ephemeral {
		s.text = strings.Replace(s.text, "ephemeral = true", "ephemeral = false", 1)
	}
	return s
}
