package sovxtest_test

import (
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The lean dialect really makes the open choices the other way.
func TestLeanDialectAnswers(t *testing.T) {
	s := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Dialect: sovxtest.LeanDialect()})
	t.Cleanup(s.Close)
	// answer is what the test reads of a response (its body already closed).
	type answer struct {
		StatusCode int
		Header     http.Header
	}
	send := func(method, path, body string) (answer, string) {
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		raw, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header}, string(raw)
	}
	if resp, _ := send("POST", hooks, `{"url":"https://e.com"}`); resp.StatusCode != 200 || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("POST = %d %v, want 200 with the trace id in X-Request-Id", resp.StatusCode, resp.Header)
	}
	if resp, body := send("GET", hooks, ""); !strings.HasPrefix(body, `{"meta":`) || strings.Contains(body, `"headers"`) ||
		strings.Contains(body, "trace_id") || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("GET = %s, want meta first, no headers field, no trace id in the body", body)
	}
	if resp, body := send("DELETE", hooks, ""); resp.StatusCode != 200 || !strings.Contains(body, `"success":true`) {
		t.Errorf("DELETE = %d %s, want 200 with an envelope", resp.StatusCode, body)
	}
	if resp, body := send("DELETE", hooks, ""); resp.StatusCode != 404 || !strings.Contains(body, `"error":"Not Found"`) || strings.Contains(body, "code") {
		t.Errorf("DELETE without webhook = %d %s, want 404 with a bare string error and no code", resp.StatusCode, body)
	}
	if resp, body := send("GET", "/nowhere", ""); resp.StatusCode != 404 || strings.Contains(body, "success") {
		t.Errorf("unknown route = %d %s, want a plain-text 404", resp.StatusCode, body)
	}
}

func TestRandomDialectIsReplayable(t *testing.T) {
	if !reflect.DeepEqual(sovxtest.RandomDialect(42), sovxtest.RandomDialect(42)) {
		t.Error("the same seed gave two dialects")
	}
	seen := map[string]bool{}
	for seed := uint64(0); seed < 32; seed++ {
		d := sovxtest.RandomDialect(seed)
		seen[d.VerifySuccess] = true
	}
	if name := sovxtest.RandomDialect(42).Name; !strings.HasSuffix(name, "-42") {
		t.Errorf("name %q lacks the seed", name)
	}
	if len(seen) < 3 {
		t.Errorf("32 seeds chose only %d verify wordings", len(seen))
	}
}
