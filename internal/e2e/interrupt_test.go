package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// TestInterruptedApplyConverges presses Ctrl-C (SIGINT to terraform) while
// requests are in flight against a slow API: terraform must stop promptly,
// and a re-run must converge with every webhook configured exactly once and
// tracked once in state, even when the API carried out creates whose answers
// never arrived.
//
// A create is checked at plan and again right before it writes. In the
// plan half of `terraform apply` Terraform does not stop providers (see the
// "Known engine issues" guide); a Ctrl-C at a terminal, which reaches the
// whole process group, ends the provider's reads itself.
func TestInterruptedApplyConverges(t *testing.T) {
	const stall = 20 * time.Second
	stallAll := func(api *sovxtest.Server) { api.SetLatency(stall) }
	cases := map[string]struct {
		prepare, interrupted []string // terraform arguments, before the API slows down and then
		slow                 func(api *sovxtest.Server)
		method               string
		terminal             bool // SIGINT to the process group, as Ctrl-C at a terminal sends it
	}{
		"at a terminal, during the existence checks of the plan half of terraform apply": {
			interrupted: []string{"apply", "-auto-approve", "-no-color"}, slow: stallAll, method: http.MethodGet, terminal: true},
		"during the plan's existence checks": {
			interrupted: []string{"plan", "-no-color"}, slow: stallAll, method: http.MethodGet},
		"during the existence checks of a saved plan's apply": {
			prepare:     []string{"plan", "-no-color", "-out=tfplan"},
			interrupted: []string{"apply", "-auto-approve", "-no-color", "tfplan"}, slow: stallAll, method: http.MethodGet},
		"during the creates, which the API completes anyway": {
			interrupted: []string{"apply", "-auto-approve", "-no-color"},
			slow: func(api *sovxtest.Server) {
				api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Delay: stall, DropAnswer: true})
			},
			method: http.MethodPost,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			interruptAndRerun(t, stall, tc.prepare, tc.interrupted, tc.slow, tc.method, tc.terminal)
		})
	}
}

func interruptAndRerun(t *testing.T, stall time.Duration, prepare, command []string, slow func(*sovxtest.Server), inFlight string, terminal bool) {
	customers := []string{"cus_0", "cus_1", "cus_2", "cus_3", "cus_4", "cus_5"}
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
	defer api.Close()
	w := newWorkspace(t, api, `
variable "customers" {
  type    = set(string)
  default = ["cus_0", "cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]
}

resource "sovx_customer_webhook" "pin" {
  for_each    = var.customers
  customer_id = each.key
  url         = "https://example.com/hooks/${each.key}"
  headers     = { "X-API-Key" = { value = "key-${each.key}" } }
  verify      = false
}
`)
	if prepare != nil {
		w.mustRun(prepare...)
	}
	api.ResetRequests()
	slow(api)

	cmd := exec.Command(terraformBin, append([]string{"-chdir=" + w.dir}, command...)...)
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so that a terminal's Ctrl-C can be sent to
	// terraform and its providers without reaching the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the requests slow start lets go against the stalled API
	// are in flight (no new one for a while), then interrupt: it ends those
	// and the ones waiting for their turn. (A Stop that reaches the
	// provider before a create's call does cannot cancel that create:
	// plugin-go cancels only the calls under way.)
	deadline := time.Now().Add(30 * time.Second)
	for seen, since := 0, time.Now(); seen == 0 || time.Since(since) < 500*time.Millisecond; time.Sleep(20 * time.Millisecond) {
		if n := api.CountRequests(inFlight, ""); n != seen {
			seen, since = n, time.Now()
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the requests never reached the API:\n%s", out.String())
		}
	}
	sent := api.CountRequests(inFlight, "")
	signalled := time.Now()
	if err := interrupt(cmd, terminal); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var stopped time.Duration
	select {
	case err := <-done:
		stopped = time.Since(signalled)
		if err == nil {
			t.Fatalf("an interrupted %s succeeded:\n%s", command[0], out.String())
		}
		w.checkEngineHealth([]string{command[0] + " (interrupted)"}, out.String(), err)
	case <-time.After(stall):
		_ = cmd.Process.Kill()
		t.Fatalf("terraform was still running %s after SIGINT: in-flight requests were not cancelled\n%s", stall, out.String())
	}
	t.Logf("terraform exited %s after SIGINT with %d %s requests in flight (API stalled %s)",
		stopped.Round(time.Millisecond), sent, inFlight, stall)
	if stopped > 5*time.Second {
		t.Errorf("terraform took %s to stop after SIGINT, want under 5s", stopped)
	}
	fmt.Fprint(&w.output, out.String())
	if inFlight == http.MethodPost {
		// The API completes the interrupted creates it received: the re-run
		// must take them over, never refuse them.
		for deadline := time.Now().Add(5 * time.Second); storedCount(api, customers) < sent; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the API stored %d of the %d interrupted creates", storedCount(api, customers), sent)
			}
		}
		if n := api.CountRequests(http.MethodPost, ""); n != sent {
			t.Errorf("%d creates reached the API after the interrupt", n-sent)
		}
	}

	// Re-run against a healthy API: everything converges.
	api.SetLatency(0)
	api.ClearFaults()
	rerunConverges(w, api, customers)
	state := w.mustRun("state", "list")
	if n := strings.Count(state, "sovx_customer_webhook.pin["); n != len(customers) {
		t.Errorf("state tracks %d webhooks, want %d:\n%s", n, len(customers), state)
	}
}

// interrupt sends SIGINT to terraform alone, as a CI runner or kill does,
// or to its whole process group, as Ctrl-C at a terminal does.
func interrupt(cmd *exec.Cmd, terminal bool) error {
	if terminal {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	}
	return cmd.Process.Signal(os.Interrupt)
}

func storedCount(api *sovxtest.Server, customers []string) int {
	n := 0
	for _, id := range customers {
		if _, ok := api.Webhook(id); ok {
			n++
		}
	}
	return n
}

// rerunConverges applies again, then wants a clean plan and every customer's
// webhook as configured (https://example.com/hooks/<id>, X-API-Key key-<id>).
func rerunConverges(w *workspace, api *sovxtest.Server, customers []string) {
	w.t.Helper()
	w.mustRun("apply", "-auto-approve", "-no-color")
	if plan := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(plan, "No changes") {
		w.t.Fatalf("plan after the re-run is not clean:\n%s", plan)
	}
	for _, id := range customers {
		hook, ok := api.Webhook(id)
		if !ok || hook.URL != "https://example.com/hooks/"+id || len(hook.Headers) != 1 || hook.Headers[0].Value != "key-"+id {
			w.t.Errorf("after the re-run %s has %+v (configured: %v)", id, hook, ok)
		}
	}
}
