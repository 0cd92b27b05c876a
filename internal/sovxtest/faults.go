package sovxtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Fault makes matching requests fail instead of reaching the API logic.
type Fault struct {
	// Method matches GET, POST, PUT, DELETE or VERIFY; empty matches all.
	Method string
	// CustomerID matches one customer; empty matches all.
	CustomerID string
	// Times is how many matching requests fail; 0 or less means all of them.
	Times int

	// Status is the HTTP status to answer with (500 when 0).
	Status int
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Location, when set, is sent as the Location header (with a 3xx Status).
	Location string
	// Body replaces the default JSON error envelope, verbatim (garbage welcome).
	Body string
	// ContentType of Body (application/json by default).
	ContentType string
	// Delay holds the answer back; longer than the client timeout means a hang.
	Delay time.Duration
	// Reset closes the connection without any answer.
	Reset bool
	// DropAnswer lets the API carry the request out, then closes the
	// connection instead of answering: the client cannot know it succeeded.
	DropAnswer bool
	// CarryOut lets the API carry the request out before the fault
	// answers with Status: a server error after the write.
	CarryOut bool

	used int
}

// InjectFault adds a fault; faults are tried in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault matching r and uses up one of its times.
// Callers hold s.mu.
func (s *Server) takeFault(r Request) *Fault {
	for _, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Kind()) {
			continue
		}
		if f.CustomerID != "" && f.CustomerID != r.CustomerID {
			continue
		}
		if f.Times > 0 && f.used >= f.Times {
			continue
		}
		f.used++
		c := *f
		return &c
	}
	return nil
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f *Fault, next http.Handler) {
	sleep(r.Context(), f.Delay)
	if f.DropAnswer || f.CarryOut {
		// Carried out even when the client has gone: a server does not
		// notice a client that stopped waiting.
		next.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
	}
	if r.Context().Err() != nil {
		return
	}
	if f.Reset || f.DropAnswer {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Location != "" {
		w.Header().Set("Location", f.Location)
	}
	if f.Body == "" {
		s.writeError(w, status, "INJECTED_FAULT", http.StatusText(status)+" (injected by sovxtest)")
		return
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(f.Body))
}

// FaultsServed counts the faulty answers served to requests of a kind (see
// Request.Kind) since the faults were injected.
func (s *Server) FaultsServed(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		if strings.EqualFold(f.Method, kind) {
			n += f.used
		}
	}
	return n
}
