package pace

import "time"

// While the API refuses requests it lets through exactly its limit, shared by every client of the account: the rate
// of this client's accepted answers over the last moments is its share. The meter keeps their times.
const (
	// meterSpan is how far back accepted answers count.
	meterSpan = time.Second
	// shortestSpan: a younger meter still divides by this much, so the
	// burst an API lets through at the start does not read as its pace.
	shortestSpan = 250 * time.Millisecond
	// meterSize bounds the times kept; a share above meterSize per meterSpan reads as that.
	meterSize = 1024
)

type meter struct {
	times [meterSize]time.Time
	next  int
	count int
	since time.Time // the first answer
}

func (m *meter) add(at time.Time) {
	if m.since.IsZero() {
		m.since = at
	}
	m.times[m.next] = at
	m.next = (m.next + 1) % meterSize
	m.count = min(m.count+1, meterSize)
}

// perSecond is how many answers a second were accepted lately.
func (m *meter) perSecond(now time.Time) float64 {
	span := min(max(now.Sub(m.since), shortestSpan), meterSpan)
	return float64(m.within(now, span)) / span.Seconds()
}

// within counts the times no longer than span before now.
func (m *meter) within(now time.Time, span time.Duration) int {
	n := 0
	for i := 1; i <= m.count; i++ {
		if now.Sub(m.times[(m.next-i+meterSize)%meterSize]) > span {
			break
		}
		n++
	}
	return n
}
