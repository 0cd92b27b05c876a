package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/provider"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Terraform plans and applies in two provider processes. Against an API that
// shows its limit only by refusing (429 with Retry-After), the plan's process
// learns the pace from refusals and keeps it in the user's cache directory;
// the apply's starts from it instead of learning it again. The file is only
// the user's and holds numbers and times: nothing of the token, the endpoint
// or a header value.
func TestApplyStartsFromThePaceItsPlanLearned(t *testing.T) {
	const n = 30
	customers := numberedCustomers(n)
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
	t.Cleanup(api.Close)
	api.SetRateLimit(sovxtest.RateLimit{PerSecond: 20, Burst: 3, Announce: sovxtest.RetryAfterOnly})
	w := newWorkspace(t, api, fmt.Sprintf(`
resource "sovx_customer_webhook" "fleet" {
  count       = %d
  customer_id = format("cus_%%02d", count.index)
  url         = "https://example.com/hooks/${count.index}"
  headers     = { "X-API-Key" = { value = "pace-secret-${count.index}" } }
  verify      = false
}
`, n))
	logPath := filepath.Join(w.dir, "provider.log")
	w.setEnv("TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logPath)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if api.Throttled() == 0 {
		t.Fatal("the API never answered 429: the test proves nothing")
	}

	dir := filepath.Join(w.dir, ".cache", provider.CacheDirName)
	files, _ := filepath.Glob(filepath.Join(dir, "pace-*.json"))
	if len(files) != 1 {
		t.Fatalf("the cache directory holds %v, want one pace file", files)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, files[0]: 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v (%v), want %v", path, info.Mode().Perm(), err, want)
		}
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{api.Token, strings.TrimPrefix(api.URL, "http://"), "pace-secret-"} {
		if strings.Contains(string(raw), secret) || strings.Contains(files[0], secret) {
			t.Errorf("the pace file %s shows %q: %s", files[0], secret, raw)
		}
	}
	var hint struct {
		Refused     float64
		At, Plateau time.Time
	}
	if err := json.Unmarshal(raw, &hint); err != nil || hint.Refused <= 0 || hint.Refused > 50 ||
		time.Since(hint.At) > time.Minute || hint.Plateau.Before(hint.At) {
		t.Errorf("the pace file holds %s (%v): want the pace refused last (at most 2.5 times the limit of 20 a second), when, and the curve's plateau", raw, err)
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(log), "pacing starts from the pace an earlier run learned"); got == 0 {
		t.Error("no provider process started from the pace the plan learned (no such line in the DEBUG log)")
	}
	if strings.Contains(string(log), "pace-secret-") || strings.Contains(string(log), api.Token) {
		t.Error("the DEBUG log shows a header value or the token")
	}
}
