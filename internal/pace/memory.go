package pace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Memory keeps a Hint between the processes that call one API account: the
// next Transport starts from the last one's pace instead of learning the
// limit again from refusals.
type Memory interface {
	// Recall is the last Hint kept; false when there is none.
	Recall() (Hint, bool)
	// Remember keeps h. It fails silently: a Hint is only a head start.
	Remember(h Hint)
	// Forget drops the Hint kept: the API turned out to report its room,
	// which a new client reads from its first answers.
	Forget()
}

// maxHintFile bounds what Recall reads.
const maxHintFile = 4 << 10

// FileMemory keeps the Hint of one API in a small file in a directory (the
// user's cache directory, say), named after a hash of the API's address so
// that no address shows in file names. Every process remembering the same
// API writes the same file; a write replaces it whole.
type FileMemory struct {
	path string
	mu   sync.Mutex
}

// NewFileMemory keeps the Hint of the API at address in dir.
func NewFileMemory(dir, address string) *FileMemory {
	sum := sha256.Sum256([]byte(address))
	return &FileMemory{path: filepath.Join(dir, "pace-"+hex.EncodeToString(sum[:8])+".json")}
}

// Path is the file the Hint is kept in.
func (m *FileMemory) Path() string { return m.path }

// Recall reads the file; a missing, unreadable or foreign file holds none.
func (m *FileMemory) Recall() (Hint, bool) {
	f, err := os.Open(m.path)
	if err != nil {
		return Hint{}, false
	}
	defer func() { _ = f.Close() }()
	var h Hint
	if err := json.NewDecoder(io.LimitReader(f, maxHintFile)).Decode(&h); err != nil || h.At.IsZero() {
		return Hint{}, false
	}
	return h, true
}

// Forget removes the file.
func (m *FileMemory) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	_ = os.Remove(m.path)
}

// Remember writes h to a new file and renames it over the old one, so that
// a reader never sees half of it.
func (m *FileMemory) Remember(h Hint) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, err := json.Marshal(h)
	if err != nil || os.MkdirAll(filepath.Dir(m.path), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(m.path), ".pace-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if closeErr := tmp.Close(); err == nil && closeErr == nil && os.Rename(tmp.Name(), m.path) == nil {
		return
	}
	_ = os.Remove(tmp.Name())
}

// hints is a Transport's use of its Memory.
type hints struct {
	of       Memory
	recalled sync.Once
	mu       sync.Mutex
	kept     Hint // the last remembered
}

// recall starts the pacer from the remembered Hint, once, at the first request.
func (h *hints) recall(ctx context.Context, t *Transport) {
	if h.of == nil {
		return
	}
	h.recalled.Do(func() {
		hint, ok := h.of.Recall()
		if ok && t.pacer.StartFrom(t.clock.Now(), hint) {
			h.mu.Lock()
			h.kept = hint
			h.mu.Unlock()
			t.logger.Debug(ctx, "sovx API pacing starts from the pace an earlier run learned", t.pacer.logFields(map[string]any{
				"learned_ago_ms": t.clock.Now().Sub(hint.At).Milliseconds()}))
		}
	})
}

// update keeps what the pacer learned from a refusal, if it is new, and
// forgets it when the pacer came to steer by the room the API reports.
func (h *hints) update(p *Pacer) {
	if h.of == nil {
		return
	}
	hint, ok := p.Hint()
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case ok && (!hint.At.Equal(h.kept.At) || hint.Refused != h.kept.Refused):
		h.kept = hint
		h.of.Remember(hint)
	case !ok && !h.kept.At.IsZero():
		h.kept = Hint{}
		h.of.Forget()
	}
}
