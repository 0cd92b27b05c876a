package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// checkEngineHealth fails the test on what no user may ever be left with
// after a command, whatever the command was expected to do: an engine crash
// (a panic, exit code 11), a local state file that is empty or not JSON (the
// user's whole state lost), or a provider process still running after the
// engine exited. No test works around any of these.
func (w *workspace) checkEngineHealth(args []string, out string, runErr error) {
	w.t.Helper()
	cmd := strings.Join(args, " ")
	// Orphans first: a crashed engine leaves its providers running, and they
	// must not outlive the test whatever else is wrong.
	orphans := w.waitForProviderExit(5 * time.Second)
	for _, pid := range orphans {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	var exit *exec.ExitError
	if errors.As(runErr, &exit) && exit.ExitCode() == 11 {
		w.t.Fatalf("terraform %s exited with code 11 (an engine crash):\n%s", cmd, out)
	}
	for _, sign := range []string{"TERRAFORM CRASH", "OPENTOFU CRASH", "panic: ", "goroutine 1 ["} {
		if strings.Contains(out, sign) {
			w.t.Fatalf("terraform %s crashed (%q in its output):\n%s", cmd, sign, out)
		}
	}
	w.checkStateFile(cmd)
	if len(orphans) > 0 {
		w.t.Fatalf("terraform %s left provider process(es) %v running", cmd, orphans)
	}
}

// checkStateFile fails on a local state file that exists but is empty or
// not valid JSON.
func (w *workspace) checkStateFile(cmd string) {
	w.t.Helper()
	path := filepath.Join(w.dir, "terraform.tfstate")
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	switch {
	case err != nil:
		w.t.Fatalf("after terraform %s: %v", cmd, err)
	case len(raw) == 0:
		w.t.Fatalf("terraform %s left an EMPTY state file: every resource in it is lost\n%s", cmd, w.output.String())
	case !json.Valid(raw):
		w.t.Fatalf("terraform %s left a state file that is not JSON (%d bytes)\n%s", cmd, len(raw), w.output.String())
	}
}

// waitForProviderExit waits until no provider process started in this
// workspace runs any more, and returns those still running after d.
func (w *workspace) waitForProviderExit(d time.Duration) []int {
	deadline := time.Now().Add(d)
	for {
		pids := providerProcesses(w.dir)
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// providerProcesses lists the provider processes whose working directory is
// dir: plugins inherit the directory `terraform -chdir` moved to, which tells
// this workspace's apart from those of tests running beside it.
func providerProcesses(dir string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil // not Linux: nothing to check with
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || !strings.HasPrefix(filepath.Base(exe), "terraform-provider-sovx") {
			continue
		}
		if cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd")); err == nil && cwd == dir {
			pids = append(pids, pid)
		}
	}
	return pids
}
