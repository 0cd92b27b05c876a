// Package e2e runs the real provider binary under the real Terraform CLI,
// against the fake API in this process: what users see on their terminal,
// in TF_LOG files and in state, and what happens when they press Ctrl-C.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
	"github.com/sovera/terraform-provider-sovx/internal/tfmirror"
)

const providerVersion = "0.1.0" // matches the examples' version constraint

var (
	terraformBin string
	mirrorDir    string
	// engine is "Terraform" or "OpenTofu", engineVersion its version (1.14.0).
	engine, engineVersion string
)

func TestMain(m *testing.M) {
	if serveStandIn() {
		return
	}
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("e2e: skipped; these tests run the Terraform CLI: set TF_ACC=1 (make test does)")
		os.Exit(0)
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	terraformBin = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraformBin == "" {
		var err error
		if terraformBin, err = exec.LookPath("terraform"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: no terraform CLI: set TF_ACC_TERRAFORM_PATH")
			return 1
		}
	}
	out, err := exec.Command(terraformBin, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		fmt.Fprintf(os.Stderr, "e2e: %s version -json: %v\n", terraformBin, err)
		return 1
	}
	engine, engineVersion = "Terraform", v.Version
	if plain, _ := exec.Command(terraformBin, "version").Output(); strings.HasPrefix(string(plain), "OpenTofu") {
		engine = "OpenTofu"
	}
	dir, err := os.MkdirTemp("", "sovx-e2e-mirror")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	mirrorDir = dir
	if err := tfmirror.Build("../..", dir, providerVersion); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}

// workspace is one Terraform working directory using the built provider.
type workspace struct {
	t   *testing.T
	dir string
	env []string
	// output collects everything every command printed.
	output bytes.Buffer
}

func newWorkspace(t *testing.T, api *sovxtest.Server, config string) *workspace {
	t.Helper()
	w := emptyWorkspace(t, api)
	w.write(config)
	w.mustRun("init", "-no-color")
	return w
}

// newStandInWorkspace is a workspace whose configuration (with its own
// terraform block) uses a stand-in provider too.
func newStandInWorkspace(t *testing.T, api *sovxtest.Server, typ, config string) *workspace {
	t.Helper()
	w := emptyWorkspace(t, api)
	w.useStandIn(typ)
	w.writeRaw(config)
	w.mustRun("init", "-no-color")
	return w
}

// emptyWorkspace is a working directory set up for the fake API, with no
// configuration yet.
func emptyWorkspace(t *testing.T, api *sovxtest.Server) *workspace {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "terraform.rc")
	writeFile(t, rc, tfmirror.CLIConfig(mirrorDir))
	w := &workspace{t: t, dir: dir, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"SOVX_ENDPOINT="+api.URL, "SOVX_TOKEN="+api.Token,
	)}
	return w
}

// write replaces the configuration.
func (w *workspace) write(config string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), `terraform {
  required_providers {
    sovx = { source = "sovera/sovx" }
  }
}

`+config)
}

// writeRaw replaces the configuration with one that has its own terraform
// block.
func (w *workspace) writeRaw(config string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), config)
}

// writeFile adds a file to the working directory.
func (w *workspace) writeFile(name, content string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, name), content)
}

// runScript runs shell lines as written in the working directory, with the
// engine under test as terraform and the workspace's environment.
func (w *workspace) runScript(script string) string {
	w.t.Helper()
	bin := w.t.TempDir()
	if err := os.Symlink(terraformBin, filepath.Join(bin, "terraform")); err != nil {
		w.t.Fatal(err)
	}
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string(nil), w.env...), "PATH="+bin+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(&w.output, "$ %s\n%s\n", script, out)
	w.checkEngineHealth([]string{"(script)"}, string(out), err)
	if err != nil {
		w.t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

// run runs one terraform command and returns its combined output.
func (w *workspace) run(args ...string) (string, error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraformBin, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(&w.output, "$ terraform %s\n%s\n", strings.Join(args, " "), out)
	w.checkEngineHealth(args, string(out), err)
	return string(out), err
}

func (w *workspace) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (w *workspace) mustFail(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err == nil {
		w.t.Fatalf("terraform %s succeeded, want a failure:\n%s", strings.Join(args, " "), out)
	}
	return out
}

func (w *workspace) setEnv(kv ...string) { w.env = append(w.env, kv...) }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// says reports whether Terraform's output contains the phrase, however
// Terraform wrapped its lines.
func says(out, phrase string) bool {
	return strings.Contains(strings.Join(strings.Fields(out), " "), phrase)
}

// compareVersions compares dotted versions numerically (pre-release suffixes ignored).
func compareVersions(a, b string) int {
	pa, pb := strings.Split(strings.SplitN(a, "-", 2)[0], "."), strings.Split(strings.SplitN(b, "-", 2)[0], ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// TestBenchFloorAppliesCleanly: the bench's floor provider (the resource's
// schema and plan, no I/O) applies and plans clean, so make bench measures
// against a floor that works.
func TestBenchFloorAppliesCleanly(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{})
	defer api.Close()
	floor := t.TempDir()
	if err := tfmirror.BuildPackage("../..", "./tools/cmd/bench/floor", floor, providerVersion); err != nil {
		t.Fatal(err)
	}
	w := emptyWorkspace(t, api)
	writeFile(t, filepath.Join(w.dir, "terraform.rc"), tfmirror.CLIConfig(floor))
	w.write("resource \"sovx_customer_webhook\" \"pin\" {\n  customer_id = \"cus_1\"\n  url = \"https://example.com/h\"\n}\n")
	w.mustRun("init", "-no-color")
	w.mustRun("apply", "-auto-approve", "-no-color")
	if out, err := w.run("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Fatalf("the floor's plan after apply is not clean: %v\n%s", err, out)
	}
}
