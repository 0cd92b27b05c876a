package main

import (
	"fmt"
	"log"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// fleet measures a large fleet against an API that rate-limits (make
// bench-fleet): one state of n webhooks, then the same fleet split over
// `split` states applied at the same time, as several pipelines sharing an
// account would.
type fleet struct {
	*bench
	limit       sovxtest.RateLimit
	latency     time.Duration
	parallelism int
	split       int
	// timeline prints, per phase, how many requests each state sent in every quarter second.
	timeline bool
}

// fleetPhase is one phase's outcome over every state that ran it.
type fleetPhase struct {
	name      string
	wall      time.Duration
	failed    int
	requests  int
	throttled int64
	minimal   int
}

func (f *fleet) run() {
	kind := fmt.Sprintf("token bucket, burst %d", f.limit.Burst)
	if f.limit.Window {
		kind = "fixed one-second windows"
	}
	log.Printf("bench-fleet: N=%d webhooks, -parallelism=%d, API limit %.0f req/s (%s), latency %s",
		f.n, f.parallelism, f.limit.PerSecond, kind, f.latency)
	single := f.runStates(1)
	split := f.runStates(f.split)
	fmt.Printf("\n| run | phase | failed resources | wall | floor (minimal requests ÷ limit) | wall ÷ floor | 429s / all requests |\n")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, rows := range []struct {
		label  string
		phases []fleetPhase
	}{{"1 state", single}, {fmt.Sprintf("%d states at once", f.split), split}} {
		for _, p := range rows.phases {
			floor := time.Duration(float64(p.minimal) / f.limit.PerSecond * float64(time.Second))
			fmt.Printf("| %s | %s | %d | %.1fs | %.1fs (%d requests) | %.2f | %d / %d = %.1f %% |\n",
				rows.label, p.name, p.failed, p.wall.Seconds(), floor.Seconds(), p.minimal, p.wall.Seconds()/floor.Seconds(),
				p.throttled, p.requests, 100*float64(p.throttled)/float64(max(p.requests, 1)))
		}
	}
}

// runStates applies, refreshes and destroys the fleet split over states
// directories, each phase in all of them at once.
func (f *fleet) runStates(states int) []fleetPhase {
	api := sovxtest.NewServer(sovxtest.Options{Customers: f.customers()})
	defer api.Close()
	env := []string{"SOVX_ENDPOINT=" + api.URL, "SOVX_TOKEN=" + api.Token}
	per := f.n / states
	dirs := make([]string, states)
	for i := range dirs {
		dirs[i] = f.workspace(fmt.Sprintf("fleet-%d-of-%d", i+1, states), fmt.Sprintf(`
terraform {
  required_providers {
    sovx = { source = "sovera/sovx" }
  }
}

resource "sovx_customer_webhook" "pin" {
  count       = %d
  customer_id = format("cus_%%04d", count.index + %d)
  url         = "https://example.com/hooks/${count.index}"
  headers     = { "X-API-Key" = { value = "key-${count.index}" } }
  verify      = false
}
`, per, i*per))
		f.terraform(dirs[i], env, "init", "-no-color")
	}
	api.SetLatency(f.latency)
	api.SetRateLimit(f.limit)
	n := per * states
	var out []fleetPhase
	for _, phase := range []struct {
		name    string
		args    []string
		minimal int
	}{
		{"create", []string{"apply", "-auto-approve"}, 2 * n},    // existence GET + POST
		{"refresh", []string{"plan", "-detailed-exitcode"}, n},   // one GET
		{"destroy", []string{"destroy", "-auto-approve"}, 2 * n}, // refresh GET + DELETE
	} {
		api.ResetRequests()
		api.ResetStats()
		p := fleetPhase{name: phase.name, minimal: phase.minimal}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for _, dir := range dirs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				failed := f.tryTerraform(dir, env, append(phase.args, "-no-color", "-parallelism="+strconv.Itoa(f.parallelism))...)
				mu.Lock()
				p.failed += failed
				mu.Unlock()
			}()
		}
		wg.Wait()
		p.wall = time.Since(start)
		p.requests = len(api.Requests())
		p.throttled = api.Throttled()
		if f.timeline {
			printTimeline(start, per, states, api.Requests())
		}
		out = append(out, p)
	}
	return out
}

// tryTerraform runs terraform and returns how many errors it reported
// (each failed resource reports one).
func (f *fleet) tryTerraform(dir string, env []string, args ...string) int {
	cmd := exec.Command(f.tf, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = f.env(dir, env)
	out, err := cmd.CombinedOutput()
	failed := strings.Count(string(out), "Error: ")
	// plan -detailed-exitcode exits 2 when it has changes to show: not a failure.
	changes := strings.Contains(strings.Join(args, " "), "-detailed-exitcode") && cmd.ProcessState.ExitCode() == 2
	if err != nil && failed == 0 && !changes {
		log.Printf("terraform %s in %s: %v\n%s", strings.Join(args, " "), filepath.Base(dir), err, out)
		failed = 1
	}
	return failed
}

// printTimeline shows how the states shared the API over a phase: requests
// that arrived from each state (by customer id) in every quarter second.
func printTimeline(start time.Time, per, states int, reqs []sovxtest.Request) {
	const slot = 250 * time.Millisecond
	var counts [][]int
	for _, r := range reqs {
		var i int
		if _, err := fmt.Sscanf(r.CustomerID, "cus_%d", &i); err != nil {
			continue
		}
		at := int(r.At.Sub(start) / slot)
		for len(counts) <= at {
			counts = append(counts, make([]int, states))
		}
		counts[at][min(i/per, states-1)]++
	}
	for at, row := range counts {
		fmt.Printf("%6.2fs %v\n", float64(at)*slot.Seconds(), row)
	}
}
