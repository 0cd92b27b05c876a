// Command bench measures what the provider costs at scale (make bench): it
// applies, refreshes, updates and destroys N webhooks against the fake API
// with and without per-request latency, the same phases with the floor
// provider (the same schema and framework, no I/O: tools/cmd/bench/floor)
// and with N built-in terraform_data resources, then prints requests per
// resource, latency efficiency, the provider processes' CPU and how much of
// it is beyond the floor's (from the kernel's accounting, not wall time,
// medians of alternating turns) and both peak RSS.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// providerCPU is the provider processes' own CPU (user + system), read
	// from /proc while they run: without Terraform's, whose run-to-run
	// variance is larger than a millisecond per resource at N = 1,000.
	providerCPU time.Duration
}

func main() {
	sizes := flag.String("n", "100 1000", "numbers of webhooks, one table each (space or comma separated)")
	latency := flag.Duration("latency", 25*time.Millisecond, "API latency per request")
	tf := flag.String("terraform", os.Getenv("TF_BIN"), "terraform binary (default: from PATH)")
	fleetMode := flag.Bool("fleet", false, "measure a fleet against a rate-limiting API instead (make bench-fleet)")
	limit := flag.Float64("limit", 50, "with -fleet: the API's limit in requests per second")
	burst := flag.Int("burst", 10, "with -fleet: the API's burst")
	par := flag.Int("parallelism", 30, "with -fleet: terraform -parallelism")
	runs := flag.String("runs", "1 3 10", "with -fleet: how many states apply the fleet at once, one column each")
	timeline := flag.Bool("timeline", false, "with -fleet: print each state's requests per quarter second")
	repeat := flag.Int("repeat", 3, "runs of the provider and the floor at L = 0, alternating: CPU columns are medians")
	against := flag.String("against", "", "another checkout of the provider: instead of the tables, measure it and "+
		"this one in the same turns at L = 0, and print both own CPU per resource")
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
	mirror, floorMirror := filepath.Join(work, "mirror"), filepath.Join(work, "floor-mirror")
	if err := tfmirror.Build(".", mirror, version); err != nil {
		log.Fatal(err)
	}
	if err := tfmirror.BuildPackage(".", "./tools/cmd/bench/floor", floorMirror, version); err != nil {
		log.Fatal(err)
	}
	againstMirror := ""
	if *against != "" {
		againstMirror = filepath.Join(work, "against-mirror")
		if err := tfmirror.Build(*against, againstMirror, version); err != nil {
			log.Fatal(err)
		}
	}
	ns := parseSizes(*sizes)
	b := &bench{tf: *tf, work: work, mirror: mirror, n: ns[0]}
	if *fleetMode {
		(&fleet{bench: b, floorMirror: floorMirror, perSecond: *limit, burst: *burst, latency: *latency,
			parallelism: *par, runs: parseSizes(*runs), timeline: *timeline}).run()
		return
	}

	for _, n := range ns {
		b.n = n
		log.Printf("bench: N=%d webhooks, latency L=%s, parallelism %d, %s/%s, %d CPUs, %s", n, *latency, parallelism,
			runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))
		// Wall times and CPU vary from run to run on a shared machine: the
		// provider and the floor run in turns, and the report takes medians
		// (of the ratios and differences within a turn).
		var turns []turn
		for range max(*repeat, 1) {
			var t turn
			if againstMirror == "" {
				t.withL, t.floorL = b.runProvider(*latency, b.mirror, "sovx"), b.runProvider(*latency, floorMirror, "floor")
			} else {
				t.other = b.runProvider(0, againstMirror, "against")
			}
			t.without, t.floor = b.runProvider(0, b.mirror, "sovx"), b.runProvider(0, floorMirror, "floor")
			turns = append(turns, t)
		}
		if againstMirror != "" {
			b.compare(*against, turns)
			continue
		}
		b.report(*latency, turns, b.runTerraformData())
	}
}

func parseSizes(s string) []int {
	var ns []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			log.Fatalf("bench: -n %q: want whole numbers of webhooks", s)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		log.Fatal("bench: -n is empty")
	}
	return ns
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

// runProvider runs the four phases against a fresh fake with the given
// latency, with the provider from mirror (the real one, or the floor).
func (b *bench) runProvider(latency time.Duration, mirror, name string) map[string]result {
	api := sovxtest.NewServer(sovxtest.Options{Customers: b.customers()})
	defer api.Close()
	dir := b.workspaceFrom(mirror, fmt.Sprintf("%s-%d-%s", name, b.n, latency), fmt.Sprintf(`
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
	// The floor waits the latency where the provider sends a request.
	env := []string{"SOVX_ENDPOINT=" + api.URL, "SOVX_TOKEN=" + api.Token, "SOVX_FLOOR_LATENCY=" + latency.String()}
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
	dir := b.workspace(fmt.Sprintf("terraform_data-%d", b.n), fmt.Sprintf(`
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

func (b *bench) workspace(name, config string) string { return b.workspaceFrom(b.mirror, name, config) }

func (b *bench) workspaceFrom(mirror, name, config string) string {
	dir := filepath.Join(b.work, name)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600))
	must(os.WriteFile(filepath.Join(dir, "terraform.rc"), []byte(tfmirror.CLIConfig(mirror)), 0o600))
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
	w := &providerWatch{cpuTicks: map[string]int64{}}
	var wg sync.WaitGroup
	start := time.Now()
	b.run(dir, env, func(pid int) {
		w.parent = strconv.Itoa(pid)
		wg.Add(1)
		go func() { defer wg.Done(); w.run(stop) }()
	}, append(args, "-no-color", "-parallelism="+strconv.Itoa(parallelism))...)
	wall := time.Since(start)
	close(stop)
	wg.Wait()
	return result{wall: wall, rssKB: w.peakKB, providerCPU: w.cpu()}
}

// terraform runs one command, and stops the bench if it fails.
func (b *bench) terraform(dir string, env []string, args ...string) { b.run(dir, env, nil, args...) }

// run runs one terraform command, calling started with its pid once it
// runs, and stops the bench if it fails.
func (b *bench) run(dir string, env []string, started func(pid int), args ...string) {
	cmd := exec.Command(b.tf, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = b.env(dir, env)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Start()
	if err == nil {
		if started != nil {
			started(cmd.Process.Pid)
		}
		err = cmd.Wait()
	}
	if err != nil {
		log.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.Bytes())
	}
}

// env is the environment of terraform in dir.
func (b *bench) env(dir string, env []string) []string {
	return append(os.Environ(), append(env, "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraform.rc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")...)
}

// providerWatch polls /proc for provider processes every 20 ms and keeps
// the highest peak resident set (VmHWM) seen. Their CPU is what terraform
// (parent) counts for the children it reaped, which is exact; the last
// reading of each provider process before it exited (at most one poll's
// worth missed, 20 ms a process) stands in while it is not yet reaped.
type providerWatch struct {
	parent      string
	peakKB      int64
	cpuTicks    map[string]int64 // by pid, user + system, in clock ticks
	reapedTicks int64            // the parent's cutime + cstime
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat times.
const clockTicks = 100

func (w *providerWatch) run(stop <-chan struct{}) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		w.readParent()
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err == nil {
				w.read(e.Name())
			}
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

func (w *providerWatch) read(pid string) {
	comm, err := os.ReadFile(filepath.Join("/proc", pid, "comm"))
	if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
		return
	}
	if status, err := os.ReadFile(filepath.Join("/proc", pid, "status")); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
				w.peakKB = max(w.peakKB, kb)
			}
		}
	}
	// utime and stime are the 14th and 15th fields.
	if f := statFields(pid); len(f) > 12 {
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		w.cpuTicks[pid] = max(w.cpuTicks[pid], u+s)
	}
}

// readParent reads the CPU of terraform's reaped children: cutime and
// cstime, the 16th and 17th fields.
func (w *providerWatch) readParent() {
	if f := statFields(w.parent); len(f) > 14 {
		u, _ := strconv.ParseInt(f[13], 10, 64)
		s, _ := strconv.ParseInt(f[14], 10, 64)
		w.reapedTicks = max(w.reapedTicks, u+s)
	}
}

// statFields are the fields of /proc/PID/stat after the command in
// parentheses (which may hold spaces): the 3rd field on.
func statFields(pid string) []string {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(stat)[i+1:])
}

func (w *providerWatch) cpu() time.Duration {
	var polled int64
	for _, t := range w.cpuTicks {
		polled += t
	}
	return time.Duration(max(w.reapedTicks, polled)) * time.Second / clockTicks
}

// turn is one round of runs: this provider and the floor at L, this
// provider (and another checkout's) and the floor at L = 0.
type turn struct {
	withL, floorL, without, other, floor map[string]result
}

func (b *bench) report(latency time.Duration, turns []turn, data map[string]result) {
	fmt.Printf("\nN = %d (medians of %d turns, own CPU with its range; the floor with L waits L where the provider "+
		"sends a request)\n\n| phase | requests per resource | T(L=%s) | T(floor, L) | T(L) ÷ T(floor, L) | T(0) | T(floor) | "+
		"T(terraform_data) | provider CPU per resource: sovx / floor | own CPU per resource | "+
		"peak RSS: provider / floor | connections |\n", b.n, len(turns), latency)
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	perRes := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.n) }
	for _, phase := range phases {
		l, z, f := turns[0].withL[phase], turns[0].without[phase], turns[0].floor[phase]
		calls := 0
		var per []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, "VERIFY"} {
			if c := l.requests[m]; c > 0 {
				calls += c
				per = append(per, fmt.Sprintf("%s %.2f", m, float64(c)/float64(b.n)))
			}
		}
		// The provider's own CPU: what its process costs beyond the floor
		// provider's, with the same Terraform, schema and framework, at L = 0.
		var tl, tfl, ratio, t0, tf, sovxCPU, floorCPU, own []float64
		for _, t := range turns {
			tl, tfl = append(tl, t.withL[phase].wall.Seconds()), append(tfl, t.floorL[phase].wall.Seconds())
			ratio = append(ratio, t.withL[phase].wall.Seconds()/t.floorL[phase].wall.Seconds())
			t0, tf = append(t0, t.without[phase].wall.Seconds()), append(tf, t.floor[phase].wall.Seconds())
			s, fl := perRes(t.without[phase].providerCPU), perRes(t.floor[phase].providerCPU)
			sovxCPU, floorCPU, own = append(sovxCPU, s), append(floorCPU, fl), append(own, s-fl)
		}
		fmt.Printf("| %s | %s | %.2fs | %.2fs | %.2f (%.2f to %.2f) | %.2fs | %.2fs | %.2fs | %.2f / %.2f ms | %.2f ms (%.2f to %.2f) | %.1f / %.1f MB | %d for %d requests |\n",
			phase, strings.Join(per, ", "), median(tl), median(tfl), median(ratio), slices.Min(ratio), slices.Max(ratio),
			median(t0), median(tf), data[phase].wall.Seconds(), median(sovxCPU), median(floorCPU), median(own),
			slices.Min(own), slices.Max(own), float64(max(l.rssKB, z.rssKB))/1024, float64(f.rssKB)/1024, l.conns, calls)
	}
}

// compare prints the own CPU per resource of this checkout and of another,
// each against the floor of the same turn.
func (b *bench) compare(against string, turns []turn) {
	fmt.Printf("\nOwn CPU per resource at N = %d, this checkout and %s, medians of %d turns (range)\n\n"+
		"| phase | this checkout | %s | difference of the medians |\n|---|---|---|---|\n", b.n, against, len(turns), against)
	perRes := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.n) }
	for _, phase := range phases {
		var mine, theirs []float64
		for _, t := range turns {
			fl := perRes(t.floor[phase].providerCPU)
			mine = append(mine, perRes(t.without[phase].providerCPU)-fl)
			theirs = append(theirs, perRes(t.other[phase].providerCPU)-fl)
		}
		fmt.Printf("| %s | %.2f ms (%.2f to %.2f) | %.2f ms (%.2f to %.2f) | %.2f ms |\n", phase,
			median(mine), slices.Min(mine), slices.Max(mine), median(theirs), slices.Min(theirs), slices.Max(theirs),
			median(mine)-median(theirs))
	}
}

func median(xs []float64) float64 {
	sorted := slices.Sorted(slices.Values(xs))
	if n := len(sorted); n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return sorted[len(sorted)/2]
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
