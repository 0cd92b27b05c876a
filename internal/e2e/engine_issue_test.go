package e2e

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestKnownEngineIssueReproduction runs the reproduction in
// docs/guides/known-engine-issues.md as written: its configuration, the fake
// storing every create and dropping the answer, SOVX_MAX_RETRIES=0 and
// SOVX_TRACK_FAILED_CREATES=true. On Terraform 1.16 and later it is a canary:
// the engine must still crash within a few runs, or a release has fixed the
// defect and the range in internal/provider/engine.go needs an upper bound.
// On other engines the failed creates must be tracked as tainted, no crash.
func TestKnownEngineIssueReproduction(t *testing.T) {
	config := guideSnippet(t, "known-engine-issues.md", "terraform", "terraform_data")
	customers := []string{"cus_0", "cus_1", "cus_2", "cus_3", "cus_4", "cus_5"}
	affected := engine == "Terraform" && compareVersions(engineVersion, "1.16.0") >= 0
	tries := 1
	if affected {
		// The crash is a race: about one run in two crashed when first
		// measured, one in five since the slow start lets fewer requests go
		// at once (2026-12-01: 10 crashes in 47 runs). 50 tries miss a
		// crash at that rate once in 100,000; a typical pass takes 5.
		tries = 50
	}
	for try := 1; try <= tries; try++ {
		api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
		w := newWorkspace(t, api, config)
		api.InjectFault(sovxtest.Fault{Method: http.MethodPost, DropAnswer: true})
		out, code := applyExpectingAnything(t, w, "SOVX_MAX_RETRIES=0", "SOVX_TRACK_FAILED_CREATES=true")
		api.Close()
		crashed := code == 11 || strings.Contains(out, "panic: ")
		switch {
		case affected && crashed:
			t.Logf("%s %s still crashes on a failed create's state (try %d): the range in engine.go stands", engine, engineVersion, try)
			return
		case crashed:
			t.Fatalf("%s %s crashed, which the guide says it does not:\n%s", engine, engineVersion, out)
		case !affected:
			if n := strings.Count(w.mustRun("state", "list"), "sovx_customer_webhook.w["); n != len(customers) || !says(out, "records it as tainted") {
				t.Fatalf("%s %s: %d of %d failed creates tracked as tainted\n%s", engine, engineVersion, n, len(customers), out)
			}
			return
		}
	}
	t.Fatalf("%s %s did not crash in %d runs of the guide's reproduction: a fixed release? Confirm, then bound "+
		"the range in internal/provider/engine.go and update the guide", engine, engineVersion, tries)
}

// applyExpectingAnything runs `terraform apply` with extra environment and
// returns its output and exit code, without the engine health checks: the
// reproduction is meant to crash the affected engines.
func applyExpectingAnything(t *testing.T, w *workspace, env ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraformBin, "-chdir="+w.dir, "apply", "-auto-approve", "-no-color")
	cmd.Env = append(append([]string(nil), w.env...), env...)
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

// guideSnippet returns the first code block of the given language that
// holds the given text in a generated guide under docs/guides, as the
// Registry shows it.
func guideSnippet(t *testing.T, guide, lang, holding string) string {
	t.Helper()
	snippet := guideSnippetOf(guide, lang, holding)
	if snippet == "" {
		t.Fatalf("no %s block holding %q in docs/guides/%s", lang, holding, guide)
	}
	return snippet
}

// guideSnippetOf is guideSnippet's lookup ("" when there is no such block).
func guideSnippetOf(guide, lang, holding string) string {
	raw, _ := os.ReadFile(filepath.Join("..", "..", "docs", "guides", guide))
	return firstBlock(string(raw), lang, holding)
}

// snippetIn is the first code block of the language holding the text in a
// page, as written (indented blocks keep their indentation).
func snippetIn(t *testing.T, page, lang, holding string) string {
	t.Helper()
	snippet := firstBlock(page, lang, holding)
	if snippet == "" {
		t.Fatalf("no %s block holding %q", lang, holding)
	}
	return snippet
}

func firstBlock(page, lang, holding string) string {
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], holding) {
			return m[1]
		}
	}
	return ""
}
