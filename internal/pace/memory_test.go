package pace

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A FileMemory gives back the Hint it kept, in a file only its user can
// read, named after a hash of the API's address (never the address).
func TestAFileMemoryKeepsAHint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "sovx")
	m := NewFileMemory(dir, "https://api.example/sovx/v1")
	if h, ok := m.Recall(); ok {
		t.Fatalf("a new memory recalled %+v", h)
	}
	want := Hint{Refused: 12.5, Ceiling: 47.5, At: time.Date(2026, 12, 1, 13, 0, 0, 123, time.UTC),
		Plateau: time.Date(2026, 12, 1, 13, 0, 1, 456, time.UTC)}
	m.Remember(want)
	got, ok := NewFileMemory(dir, "https://api.example/sovx/v1").Recall()
	if !ok || got.Refused != want.Refused || got.Ceiling != want.Ceiling || !got.At.Equal(want.At) || !got.Plateau.Equal(want.Plateau) {
		t.Fatalf("recalled %+v, %v; want %+v", got, ok, want)
	}
	info, err := os.Stat(m.Path())
	if err != nil || info.Mode().Perm() != 0o600 || strings.Contains(m.Path(), "api.example") {
		t.Errorf("the hint is kept in %s (%v, %v): want a file only its user reads, not named after the address", m.Path(), info.Mode(), err)
	}
	if other := NewFileMemory(dir, "https://other.example/sovx/v1"); other.Path() == m.Path() {
		t.Error("two APIs share one hint file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files, want the hint alone (no temporary file left)", len(entries))
	}
	m.Forget()
	if h, ok := m.Recall(); ok {
		t.Errorf("recalled %+v after forgetting it", h)
	}
}

// A file that is not a hint, or cannot be written, holds none: a hint is only
// a head start, and pacing starts afresh without it.
func TestAFileMemoryThatCannotHoldAHintHasNone(t *testing.T) {
	dir := t.TempDir()
	m := NewFileMemory(dir, "https://api.example/sovx/v1")
	for _, content := range []string{"", "not json", `{"refused": 3}`, `{"refused":3,"at":"2026-12-01T13:00:00Z"` + strings.Repeat(" ", maxHintFile) + `}`} {
		if err := os.WriteFile(m.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if h, ok := m.Recall(); ok {
			t.Errorf("%.20q recalled as %+v", content, h)
		}
	}
	blocked := filepath.Join(dir, "a-file")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	unwritable := NewFileMemory(filepath.Join(blocked, "sovx"), "https://api.example/sovx/v1")
	unwritable.Remember(Hint{Refused: 3, At: time.Now()})
	if _, ok := unwritable.Recall(); ok {
		t.Error("a memory whose directory cannot be made recalled a hint")
	}
}

// recording is a Memory that counts what it is asked.
type recording struct {
	hint      Hint
	has       bool
	recalls   int
	remembers []Hint
	forgets   int
}

func (r *recording) Recall() (Hint, bool) { r.recalls++; return r.hint, r.has }
func (r *recording) Remember(h Hint)      { r.remembers = append(r.remembers, h) }
func (r *recording) Forget()              { r.forgets++ }

// A Transport with a Memory starts its Pacer from the recalled Hint at its
// first request, once, and remembers the Hint of each refusal, not of
// accepted answers.
func TestATransportStartsFromItsMemoryAndFeedsIt(t *testing.T) {
	clock := newVirtualClock()
	mem := &recording{hint: Hint{Refused: 10, At: clock.Now().Add(-time.Second), Plateau: clock.Now()}, has: true}
	p := NewPacer(0, time.Minute)
	tr := NewTransport(&scripted{}, p, clock, nil).WithMemory(mem)
	postEach(t, tr, 3)
	if got, mode := p.Pace(); mode != "cubic" || got < 10*plateauShare || got > 10 {
		t.Errorf("after the first requests the pace is %.2f by %s, want from the recalled 10 a second's plateau", float64(got), mode)
	}
	if mem.recalls != 1 || len(mem.remembers) != 0 {
		t.Errorf("recalled %d times (want once) and remembered %v with no refusal", mem.recalls, mem.remembers)
	}

	mem = &recording{}
	p = NewPacer(0, time.Minute)
	next := &scripted{refusals: 1}
	tr = NewTransport(next, p, clock, nil).WithMemory(mem)
	postEach(t, tr, 2)
	want, _ := p.Hint()
	if len(mem.remembers) != 1 || mem.remembers[0] != want || want.At.IsZero() {
		t.Errorf("remembered %+v, want the one refusal's hint %+v", mem.remembers, want)
	}
	if _, mode := p.Pace(); mode != "cubic" || len(next.bodies) != 3 {
		t.Errorf("with nothing recalled: %s after %d requests, want cubic after 3 (one refused, sent again)", mode, len(next.bodies))
	}
}

// roomAfterRefusal answers the first request 429 with the limit's headers,
// then 200 with the room left, as an API that reports its room on every
// answer does when a burst found the account empty.
type roomAfterRefusal struct{ calls int }

func (r *roomAfterRefusal) RoundTrip(req *http.Request) (*http.Response, error) {
	r.calls++
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: req}
	resp.Header.Set("X-RateLimit-Limit", "50")
	resp.Header.Set("X-RateLimit-Remaining", "20")
	if r.calls == 1 {
		resp.StatusCode = http.StatusTooManyRequests
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("Retry-After", "1")
	}
	return resp, nil
}

// When the API turns out to report its room on every answer, what a refusal
// taught is forgotten: the next process steers by the room from its first
// answers, and a hint would only skip its slow start.
func TestATransportForgetsWhenTheAPIReportsItsRoom(t *testing.T) {
	clock := newVirtualClock()
	mem := &recording{}
	p := NewPacer(0, time.Minute)
	tr := NewTransport(&roomAfterRefusal{}, p, clock, nil).WithMemory(mem)
	postEach(t, tr, 2)
	if _, mode := p.Pace(); mode != "steering by the room" || len(mem.remembers) != 1 || mem.forgets != 1 {
		t.Errorf("%s; remembered %d hints and forgot %d times: want steering, one hint kept at the refusal and forgotten once",
			mode, len(mem.remembers), mem.forgets)
	}
}

// postEach sends n requests through tr, one after the other, and fails the
// test on an error.
func postEach(t *testing.T, tr http.RoundTripper, n int) {
	t.Helper()
	for range n {
		resp, err := post(t, tr, context.Background(), "https://api.example/sovx/v1", true)
		if err != nil {
			t.Fatal(err)
		}
		closeBody(resp)
	}
}
