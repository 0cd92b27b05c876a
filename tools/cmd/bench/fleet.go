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
// bench-fleet): for every way of announcing the limit, the fleet split over
// 1, 3 and 10 states applied at the same time, as pipelines sharing an
// account do. The floor of each phase is the least requests ÷ the limit, or
// the same states' time with the no-I/O floor provider if that is longer.
type fleet struct {
	*bench
	floorMirror string
	perSecond   float64
	burst       int
	latency     time.Duration
	parallelism int
	runs        []int
	// timeline prints, per phase, how many requests each state sent in every quarter second.
	timeline bool
}

// fleetLimit is one way an API announces its limit.
type fleetLimit struct {
	name  string
	limit sovxtest.RateLimit
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

var fleetPhases = []struct {
	name    string
	args    []string
	minimal int // requests per webhook
}{
	{"create", []string{"apply", "-auto-approve"}, 3},      // the plan's check, the apply's check, POST
	{"refresh", []string{"plan", "-detailed-exitcode"}, 1}, // one GET
	{"destroy", []string{"destroy", "-auto-approve"}, 2},   // refresh GET + DELETE
}

func (f *fleet) limits() []fleetLimit {
	var out []fleetLimit
	for _, a := range sovxtest.Announcements {
		out = append(out, fleetLimit{"token bucket, limit " + a.String(),
			sovxtest.RateLimit{PerSecond: f.perSecond, Burst: f.burst, Announce: a}})
	}
	return append(out, fleetLimit{"fixed windows, limit on every answer",
		sovxtest.RateLimit{PerSecond: f.perSecond, Window: true}})
}

func (f *fleet) run() {
	log.Printf("bench-fleet: N=%d webhooks, -parallelism=%d, API limit %.0f req/s (burst %d), latency %s, runs %v",
		f.n, f.parallelism, f.perSecond, f.burst, f.latency, f.runs)
	floors := map[int][]fleetPhase{}
	for _, states := range f.runs {
		floors[states] = f.runStates(states, f.floorMirror, sovxtest.RateLimit{})
	}
	fmt.Printf("\n| API limit | runs at once | phase | failed resources | wall | Terraform alone (no-I/O provider) | floor | wall ÷ floor | 429s / all requests |\n")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	worst := map[string]map[int]string{}
	for _, l := range f.limits() {
		worst[l.name] = map[int]string{}
		for _, states := range f.runs {
			var ratio, share float64
			failed := 0
			for i, p := range f.runStates(states, f.mirror, l.limit) {
				floor := max(time.Duration(float64(p.minimal)/f.perSecond*float64(time.Second)), floors[states][i].wall)
				r, s := p.wall.Seconds()/floor.Seconds(), float64(p.throttled)/float64(max(p.requests, 1))
				ratio, share, failed = max(ratio, r), max(share, s), failed+p.failed
				fmt.Printf("| %s | %d | %s | %d | %.1fs | %.1fs | %.1fs | %.2f | %d / %d = %.1f %% |\n",
					l.name, states, p.name, p.failed, p.wall.Seconds(), floors[states][i].wall.Seconds(), floor.Seconds(), r, p.throttled, p.requests, 100*s)
			}
			worst[l.name][states] = fmt.Sprintf("%.2f×, %.1f %% 429s, %d failed", ratio, 100*share, failed)
		}
	}
	fmt.Printf("\nWorst phase per cell (wall ÷ floor, 429 share, failed resources):\n\n| API limit |")
	for _, states := range f.runs {
		fmt.Printf(" %d run(s) |", states)
	}
	fmt.Printf("\n|---|%s\n", strings.Repeat("---|", len(f.runs)))
	for _, l := range f.limits() {
		fmt.Printf("| %s |", l.name)
		for _, states := range f.runs {
			fmt.Printf(" %s |", worst[l.name][states])
		}
		fmt.Println()
	}
}

// runStates applies, refreshes and destroys the fleet split over states
// directories, each phase in all of them at once, with the provider from
// mirror against an API with this limit.
func (f *fleet) runStates(states int, mirror string, limit sovxtest.RateLimit) []fleetPhase {
	api := sovxtest.NewServer(sovxtest.Options{Customers: f.customers()})
	defer api.Close()
	env := []string{"SOVX_ENDPOINT=" + api.URL, "SOVX_TOKEN=" + api.Token}
	per := f.n / states
	dirs := make([]string, states)
	for i := range dirs {
		dirs[i] = f.workspaceFrom(mirror, fmt.Sprintf("fleet-%s-%d-of-%d", filepath.Base(mirror), i+1, states), fmt.Sprintf(`
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
	api.SetRateLimit(limit)
	var out []fleetPhase
	for _, phase := range fleetPhases {
		api.ResetRequests()
		api.ResetStats()
		p := fleetPhase{name: phase.name, minimal: phase.minimal * per * states}
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
