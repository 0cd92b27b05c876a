// Command bench measures what the provider costs at scale (make bench): it
// applies, refreshes, updates and destroys N webhooks against the fake API
// with and without per-request latency, and the same phases for N built-in
// terraform_data resources, then prints requests per resource, latency
// efficiency, the provider's own overhead and its peak RSS.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
	"github.com/sovera/terraform-provider-sovx/internal/tfmirror"
)

const (
	version     = "0.0.1"
	parallelism = 10 // Terraform's default
)

var phases = []string{"create", "refresh", "update", "destroy"}

type result struct {
	wall     time.Duration
	requests map[string]int
	conns    int64
	rssKB    int64
}

func main() {
	n := flag.Int("n", 100, "number of webhooks")
	latency := flag.Duration("latency", 25*time.Millisecond, "API latency per request")
	tf := flag.String("terraform", os.Getenv("TF_BIN"), "terraform binary (default: from PATH)")
	fleetMode := flag.Bool("fleet", false, "measure a fleet against a rate-limiting API instead (make bench-fleet)")
	limit := flag.Float64("limit", 50, "with -fleet: the API's limit in requests per second")
	burst := flag.Int("burst", 10, "with -fleet: the API's burst")
	par := flag.Int("parallelism", 30, "with -fleet: terraform -parallelism")
	split := flag.Int("split", 3, "with -fleet: how many states apply the fleet at once in the second run")
	window := flag.Bool("window", false, "with -fleet: the API counts fixed one-second windows instead of a token bucket")
	timeline := flag.Bool("timeline", false, "with -fleet: print each state's requests per quarter second")
	flag.Parse()
	log.SetFlags(0)
	if *tf == "" {
		var err error
		if *tf, err = exec.LookPath("terraform"); err != nil {
			log.Fatal("bench: no terraform on PATH (set TF_BIN)")
		}
	}
	work, err := os.MkdirTemp("", "sovx-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(work) }()
	mirror := filepath.Join(work, "mirror")
	if err := tfmirror.Build(".", mirror, version); err != nil {
		log.Fatal(err)
	}
	b := &bench{tf: *tf, work: work, mirror: mirror, n: *n}
	if *fleetMode {
		(&fleet{bench: b, limit: sovxtest.RateLimit{PerSecond: *limit, Burst: *burst, Window: *window}, latency: *latency,
			parallelism: *par, split: *split, timeline: *timeline}).run()
		return
	}

	log.Printf("bench: N=%d webhooks, latency L=%s, parallelism %d, %s/%s, %d CPUs", *n, *latency, parallelism, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	withL := b.runProvider(*latency)
	without := b.runProvider(0)
	data := b.runTerraformData()
	b.report(*latency, withL, without, data)
}

type bench struct {
	tf, work, mirror string
	n                int
}

func (b *bench) customers() []string {
	ids := make([]string, b.n)
	for i := range ids {
		ids[i] = fmt.Sprintf("cus_%04d", i)
	}
	return ids
}

// runProvider runs the four phases against a fresh fake with the given latency.
func (b *bench) runProvider(latency time.Duration) map[string]result {
	api := sovxtest.NewServer(sovxtest.Options{Customers: b.customers()})
	defer api.Close()
	dir := b.workspace(fmt.Sprintf("sovx-%s", latency), fmt.Sprintf(`
terraform {
  required_providers {
    sovx = { source = "sovera/sovx" }
  }
}

variable "v" { type = number }

resource "sovx_customer_webhook" "pin" {
  count       = %d
  customer_id = format("cus_%%04d", count.index)
  url         = "https://example.com/v${var.v}/hooks/${count.index}"
  headers     = { "X-API-Key" = { value = "key-${count.index}" } }
  verify      = false
}
`, b.n))
	env := []string{"SOVX_ENDPOINT=" + api.URL, "SOVX_TOKEN=" + api.Token}
	b.terraform(dir, env, "init", "-no-color")
	api.SetLatency(latency)
	out := map[string]result{}
	for _, phase := range phases {
		api.ResetRequests()
		api.ResetStats()
		r := b.timed(dir, env, phase)
		r.requests = map[string]int{}
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, "VERIFY"} {
			r.requests[m] = api.CountRequests(m, "")
		}
		r.conns = api.Connections()
		out[phase] = r
	}
	return out
}

func (b *bench) runTerraformData() map[string]result {
	dir := b.workspace("terraform_data", fmt.Sprintf(`
variable "v" { type = number }

resource "terraform_data" "pin" {
  count = %d
  input = "https://example.com/v${var.v}/hooks/${count.index}"
}
`, b.n))
	b.terraform(dir, nil, "init", "-no-color")
	out := map[string]result{}
	for _, phase := range phases {
		out[phase] = b.timed(dir, nil, phase)
	}
	return out
}

func (b *bench) workspace(name, config string) string {
	dir := filepath.Join(b.work, name)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600))
	must(os.WriteFile(filepath.Join(dir, "terraform.rc"), []byte(tfmirror.CLIConfig(b.mirror)), 0o600))
	return dir
}

// timed runs one phase, measuring wall time and the provider's peak RSS.
func (b *bench) timed(dir string, env []string, phase string) result {
	args := map[string][]string{
		"create":  {"apply", "-auto-approve", "-var", "v=1"},
		"refresh": {"plan", "-detailed-exitcode", "-var", "v=1"},
		"update":  {"apply", "-auto-approve", "-var", "v=2"},
		"destroy": {"destroy", "-auto-approve", "-var", "v=2"},
	}[phase]
	stop := make(chan struct{})
	var peak atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); watchRSS(stop, &peak) }()
	start := time.Now()
	b.terraform(dir, env, append(args, "-no-color", "-parallelism="+strconv.Itoa(parallelism))...)
	wall := time.Since(start)
	close(stop)
	wg.Wait()
	return result{wall: wall, rssKB: peak.Load()}
}

func (b *bench) terraform(dir string, env []string, args ...string) {
	cmd := exec.Command(b.tf, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = b.env(dir, env)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (b *bench) env(dir string, env []string) []string {
	return append(os.Environ(), append(env, "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraform.rc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")...)
}

// watchRSS polls /proc for provider processes and keeps the highest peak
// resident set (VmHWM) seen until stop closes.
func watchRSS(stop <-chan struct{}, peak *atomic.Int64) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
			if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
				continue
			}
			status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(status), "\n") {
				if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
					if kb > peak.Load() {
						peak.Store(kb)
					}
				}
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

func (b *bench) report(latency time.Duration, withL, without, data map[string]result) {
	fmt.Printf("\n| phase | requests per resource | T(L=%s) | T(0) | T(terraform_data) | latency efficiency | own overhead | provider peak RSS | connections |\n", latency)
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, phase := range phases {
		l, z, d := withL[phase], without[phase], data[phase]
		calls := 0
		var per []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, "VERIFY"} {
			if c := l.requests[m]; c > 0 {
				calls += c
				per = append(per, fmt.Sprintf("%s %.2f", m, float64(c)/float64(b.n)))
			}
		}
		perResource := float64(calls) / float64(b.n)
		ideal := z.wall.Seconds() + math.Ceil(float64(b.n)/parallelism)*perResource*latency.Seconds()
		efficiency := ideal / l.wall.Seconds()
		overhead := (z.wall - d.wall).Seconds() * 1000 / float64(b.n)
		fmt.Printf("| %s | %s | %.2fs | %.2fs | %.2fs | %.2f | %.2f ms | %.1f MB | %d for %d requests |\n",
			phase, strings.Join(per, ", "), l.wall.Seconds(), z.wall.Seconds(), d.wall.Seconds(), efficiency, overhead,
			float64(max(l.rssKB, z.rssKB))/1024, l.conns, calls)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
