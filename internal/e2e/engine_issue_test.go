package e2e

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestKnownEngineIssueReproduction is a canary for the engine, not a test of
// this provider: Terraform 1.16.0 to 1.16.4 crash, and empty the state file,
// when several creates fail with partial state in one apply while other
// resources' state is written. This provider returns no state from a failed
// create; a stand-in provider whose every create fails with state shows
// whether the engine still crashes. On Terraform 1.16 and later the engine
// must still crash within a few runs, or a release has fixed the defect and
// the known engine issues guide needs its range closed. On other engines the
// failed creates are recorded as tainted, without a crash.
func TestKnownEngineIssueReproduction(t *testing.T) {
	const config = `
terraform {
  required_providers {
    failing = { source = "example.com/stand-in/failing" }
  }
}

resource "terraform_data" "other" {
  count = 4
  input = "other-${count.index}"
}

resource "failing_create" "w" {
  for_each = toset(["a", "b", "c", "d", "e", "f"])
  id       = each.key
}
`
	affected := engine == "Terraform" && compareVersions(engineVersion, "1.16.0") >= 0
	tries := 1
	if affected {
		// The crash is a race: about one run in five crashed here
		// (2026-12-01: 10 crashes in 47 runs). 50 tries miss a crash at
		// that rate once in 100,000; a typical pass takes 5.
		tries = 50
	}
	api := sovxtest.NewServer(sovxtest.Options{})
	defer api.Close()
	for try := 1; try <= tries; try++ {
		w := newStandInWorkspace(t, api, "failing", config)
		out, code := applyExpectingAnything(t, w)
		crashed := code == 11 || strings.Contains(out, "panic: ")
		switch {
		case affected && crashed:
			t.Logf("%s %s still crashes on a failed create's state (try %d): the guide's range stands", engine, engineVersion, try)
			return
		case crashed:
			t.Fatalf("%s %s crashed, which the guide says it does not:\n%s", engine, engineVersion, out)
		case !affected:
			if n := strings.Count(w.mustRun("state", "list"), "failing_create.w["); n != 6 {
				t.Fatalf("%s %s: %d of 6 failed creates recorded\n%s", engine, engineVersion, n, out)
			}
			return
		}
	}
	t.Fatalf("%s %s did not crash in %d runs: a fixed release? Confirm, then close the range in the known engine "+
		"issues guide and CONTRIBUTING", engine, engineVersion, tries)
}

// applyExpectingAnything runs `terraform apply` with extra environment and
// returns its output and exit code, without the engine health checks: the
// reproduction is meant to crash the affected engines.
func applyExpectingAnything(t *testing.T, w *workspace) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraformBin, "-chdir="+w.dir, "apply", "-auto-approve", "-no-color")
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	// A crashed engine may leave its provider process behind.
	for _, pid := range w.waitForProviderExit(5 * time.Second) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Fatalf("the reproduction's apply succeeded:\n%s", out)
	return "", 0
}
