package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// fastRetries keeps retry waits in tests to milliseconds.
func fastRetries(c *sovx.Config) {
	c.RetryWaitMin = time.Millisecond
	c.RetryWaitMax = 5 * time.Millisecond
	c.RetryAfterMax = 2 * time.Second
}

func testFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"sovx": providerserver.NewProtocol6WithError(newProvider("test", fastRetries)()),
	}
}

// newFakeAPI starts a strict fake API owned by the test, seeded with the
// given customers, and fails the test if the mask string was ever sent.
func newFakeAPI(t *testing.T, customers ...string) *sovxtest.Server {
	t.Helper()
	return newFakeAPIIn(t, sovxtest.DefaultDialect(), customers...)
}

// newFakeAPIIn is newFakeAPI speaking dialect d.
func newFakeAPIIn(t *testing.T, d sovxtest.Dialect, customers ...string) *sovxtest.Server {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true, Dialect: d})
	t.Cleanup(func() {
		if n := api.MaskViolations(); n > 0 {
			t.Errorf("the provider sent the mask string %s to the API %d time(s)", sovxtest.Mask, n)
		}
		api.Close()
	})
	return api
}

// EnvTestSeeds lists the random dialects' seeds to run (comma-separated), to
// replay a failure; by default two fixed seeds and one new each run.
const EnvTestSeeds = "SOVX_TEST_SEEDS"

// testDialects are the dialects the acceptance core runs against: the
// default, the lean one and seeded random ones, the seed in the name.
func testDialects(t *testing.T) []sovxtest.Dialect {
	t.Helper()
	seeds := []uint64{1, 2, uint64(time.Now().UnixNano()) % 1_000_000}
	if env := os.Getenv(EnvTestSeeds); env != "" {
		seeds = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatalf("%s: %q is not a seed", EnvTestSeeds, f)
			}
			seeds = append(seeds, n)
		}
	}
	out := []sovxtest.Dialect{sovxtest.DefaultDialect(), sovxtest.LeanDialect()}
	for _, seed := range seeds {
		out = append(out, sovxtest.RandomDialect(seed))
	}
	return out
}

// forEachDialect runs f as a sub-test per test dialect; a failing random
// one is replayed with SOVX_TEST_SEEDS=<its seed>.
func forEachDialect(t *testing.T, f func(t *testing.T, d sovxtest.Dialect)) {
	for _, d := range testDialects(t) {
		t.Run(d.Name, func(t *testing.T) { f(t, d) })
	}
}

// providerBlock configures the provider for the fake API.
func providerBlock(api *sovxtest.Server) string {
	return fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token    = %q\n}\n", api.URL, api.Token)
}

// receiver is a webhook endpoint that records the test payloads it gets.
type receiver struct {
	URL string

	mu       sync.Mutex
	status   int
	body     string
	received []receivedCall
}

type receivedCall struct {
	Header  http.Header
	Payload map[string]any
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{status: http.StatusOK, body: `{"ok":true}`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		var payload map[string]any
		_ = json.Unmarshal(raw, &payload)
		r.mu.Lock()
		r.received = append(r.received, receivedCall{Header: req.Header.Clone(), Payload: payload})
		status, body := r.status, r.body
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/webhook/pin-notification"
	return r
}

// answer sets what the receiver replies from now on.
func (r *receiver) answer(status int, body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.body = status, body
}

func (r *receiver) calls() []receivedCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedCall(nil), r.received...)
}

// errorMatching compiles an expected-error pattern in which every space may
// also be a line break, since Terraform wraps long diagnostics, and in which
// "." matches newlines too.
func errorMatching(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(strings.TrimPrefix(pattern, "(?s)"), " ", `\s+`))
}
