package pace

import (
	"math"
	"testing"
	"time"
)

// refusedAt40 is a Pacer that sent at will, had 10 answers accepted in 250 ms
// (40 a second) and then a 429 at 250 ms.
func refusedAt40(limit float64) *Pacer {
	p := NewPacer(0, time.Minute)
	for i := range 10 {
		turns(p, at(i*25), 1)
		p.Observe(at(i*25+25), accepted, 0)
	}
	turns(p, at(250), 1)
	a := refused
	a.Limit = limit
	p.Observe(at(250), a, 1)
	return p
}

// A Pacer has a Hint only once a refusal showed its share: the pace it was
// refused at, when, and the ceiling an announced limit set.
func TestARefusalLeavesAHint(t *testing.T) {
	if _, ok := NewPacer(0, time.Minute).Hint(); ok {
		t.Fatal("a Pacer that was never refused gave a hint")
	}
	for _, limit := range []float64{0, 50} {
		p := refusedAt40(limit)
		h, ok := p.Hint()
		plateau := at(250).Add(newCubic().toPlateau(40 * (plateauShare - backoff)))
		if !ok || !near(h.Refused, 40) || !h.At.Equal(at(250)) || !near(h.Ceiling, limit*headroom) || !h.Plateau.Equal(plateau) {
			t.Errorf("limit %v: hint %+v, %v; want refused at 40 a second at 250ms, plateau at %s, ceiling %v",
				limit, h, ok, plateau.Sub(t0), limit*headroom)
		}
	}
	// Steering by the room reads it again at once from any answer: no hint.
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	p.Observe(at(25), limit50(9), 0)
	if h, ok := p.Hint(); ok {
		t.Errorf("a Pacer steering by the room gave hint %+v", h)
	}
}

// A new Pacer started from a recent Hint paces at once on the curve the
// refusal left (no slow start, no refusal to learn it again): here at its
// plateau, and climbing from there as after any refusal.
func TestAPacerStartsFromARecentHint(t *testing.T) {
	start := at(int((hintLife - time.Second).Milliseconds()))
	h := Hint{Refused: 40, Ceiling: 47.5, At: at(0), Plateau: start}
	p := NewPacer(0, time.Minute)
	if !p.StartFrom(start, h) {
		t.Fatal("a hint younger than hintLife was not taken")
	}
	if got, mode := p.Pace(); !near(float64(got), 40*plateauShare) || mode != "cubic" {
		t.Fatalf("started at %.2f by %s, want %.2f by cubic", float64(got), mode, 40*plateauShare)
	}
	// One second's turns, asked for every millisecond: about the level's worth, not slow start's one.
	got := 0
	for ms := range 1000 {
		got += turns(p, start.Add(time.Duration(ms)*time.Millisecond), 1)
	}
	if want := 40*plateauShare + turnBurst; math.Abs(float64(got)-want) > 3 {
		t.Errorf("%d requests went in the first second, want about %.0f", got, want)
	}
	// 1.5 s on, the curve climbs past the plateau as after a refusal,
	// under the ceiling the hint brought.
	turns(p, start.Add(1500*time.Millisecond), 1)
	if want := 40*plateauShare + steepness*1.5*1.5*1.5; !near(pace(p), want) {
		t.Errorf("1.5 s on the pace is %.2f, want the curve's %.2f", pace(p), want)
	}
	turns(p, start.Add(3*time.Second), 1)
	if !near(pace(p), 47.5) {
		t.Errorf("3 s on the pace is %.2f, want the hint's ceiling 47.5", pace(p))
	}
	if _, ok := p.Hint(); !ok {
		t.Error("a Pacer started from a hint does not pass it on")
	}
}

// A Hint too old or from the future, one without a pace, or one offered to a
// Pacer already in use is not taken: the Pacer starts as if it had none.
func TestAHintThatCannotHoldIsIgnored(t *testing.T) {
	used := NewPacer(0, time.Minute)
	turns(used, at(0), 1)
	for name, tc := range map[string]struct {
		p *Pacer
		h Hint
	}{
		"too old":         {NewPacer(0, time.Minute), Hint{Refused: 40, At: at(0).Add(-hintLife - time.Millisecond)}},
		"from the future": {NewPacer(0, time.Minute), Hint{Refused: 40, At: at(1)}},
		"no pace":         {NewPacer(0, time.Minute), Hint{Refused: 0, At: at(0)}},
		"not a number":    {NewPacer(0, time.Minute), Hint{Refused: math.NaN(), At: at(0)}},
		"pacer in use":    {used, Hint{Refused: 40, At: at(0)}},
	} {
		if tc.p.StartFrom(at(0), tc.h) {
			t.Errorf("%s: the hint was taken", name)
		}
		if _, mode := tc.p.Pace(); mode != "unpaced" {
			t.Errorf("%s: the Pacer is %s, want unpaced", name, mode)
		}
	}
}

// A new Pacer resumes the curve where the last one left it while it climbs
// back to its plateau, and no further than resumeBeyond past it: beyond,
// the curve probes for room the last process may have found or not.
func TestAPacerResumesTheCurveNoFurtherThanPastItsPlateau(t *testing.T) {
	start := at(30_000)
	k := newCubic().toPlateau(40 * (plateauShare - backoff))
	beyond := resumeBeyond.Seconds()
	for name, tc := range map[string]struct {
		plateau time.Time
		want    float64
	}{
		"climbing back":      {start.Add(k / 2), 40*plateauShare - steepness*math.Pow(k.Seconds()/2, 3)},
		"just past":          {start.Add(-resumeBeyond / 2), 40*plateauShare + steepness*(beyond/2)*(beyond/2)*(beyond/2)},
		"long past":          {start.Add(-20 * time.Second), 40*plateauShare + steepness*beyond*beyond*beyond},
		"at the plateau now": {start, 40 * plateauShare},
	} {
		p := NewPacer(0, time.Minute)
		if !p.StartFrom(start, Hint{Refused: 40, At: tc.plateau.Add(-k), Plateau: tc.plateau}) {
			t.Fatalf("%s: the hint was not taken", name)
		}
		if !near(pace(p), tc.want) {
			t.Errorf("%s: started at %.3f, want %.3f", name, pace(p), tc.want)
		}
	}
}
