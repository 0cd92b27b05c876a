package pace

import (
	"context"
	"sync"
	"time"
)

// quietAfter ends a spell of refusals (for the log) when none came for this long.
const quietAfter = 5 * time.Second

// spell tells the log, once at WARN, that the API started refusing
// requests, and once more when it stopped, with what it cost.
type spell struct {
	mu          sync.Mutex
	began, last time.Time
	refusals    int
}

func (s *spell) answered(ctx context.Context, log Logger, now time.Time, refused bool, p *Pacer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case refused && s.began.IsZero():
		s.began, s.last, s.refusals = now, now, 1
		log.Warn(ctx, "sovx API is rate limiting: slowing down all requests", p.logFields(map[string]any{}))
	case refused:
		s.last = now
		s.refusals++
	case !s.began.IsZero() && now.Sub(s.last) > quietAfter:
		log.Warn(ctx, "sovx API rate limiting has ended", p.logFields(map[string]any{
			"refused_for_ms": s.last.Sub(s.began).Milliseconds(), "answers_429": s.refusals}))
		s.began = time.Time{}
	}
}
