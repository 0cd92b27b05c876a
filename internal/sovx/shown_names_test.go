package sovx

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestRedactHeaderValues(t *testing.T) {
	names := []string{"X-Api-Key", "Authorization"}
	cases := map[string]string{
		`{"received_headers":{"X-Api-Key":"s3cret","Other":"fine"}}`:                                                   `{"received_headers":{"Other":"fine","X-Api-Key":"(sensitive value)"}}`,
		`{"x-api-key": "s3c\"ret", "AUTHORIZATION":"Bearer t"}`:                                                        `{"AUTHORIZATION":"(sensitive value)","x-api-key":"(sensitive value)"}`,
		`{"headers":{"X-Api-Key":["s3cret","two"]}}`:                                                                   `{"headers":{"X-Api-Key":"(sensitive value)"}}`,
		`{"headers":[{"name":"x-api-key","value":"s3cret"},{"name":"Accept","value":"*/*"}],"n":12345678901234567890}`: `{"headers":[{"name":"x-api-key","value":"(sensitive value)"},{"name":"Accept","value":"*/*"}],"n":12345678901234567890}`,
		`{"env":{"HTTP_X_API_KEY":"s3cret","HTTP_ACCEPT":"*/*"}}`:                                                      `{"env":{"HTTP_ACCEPT":"*/*","HTTP_X_API_KEY":"(sensitive value)"}}`,
		"HTTP_X_API_KEY=s3cret\nPATH=/bin":                                                                             "HTTP_X_API_KEY=(sensitive value)\nPATH=/bin",
		"/cb?x_api_key=s3cret&ok=1":                                                                                    "/cb?x_api_key=(sensitive value)&ok=1",
		"<table><tr><td>X-API-Key</td><td>s3cret</td></tr></table>":                                                    "<table><tr><td>X-API-Key</td><td>(sensitive value)</td></tr></table>",
		`{"body":"got X-Api-Key: s3cret"}`:                                                                             `{"body":"got X-Api-Key: (sensitive value)"}`,
		"bad request\nX-Api-Key: s3cret\nAccept: */*":                                                                  "bad request\nX-Api-Key: (sensitive value)\nAccept: */*",
		"got authorization=Bearer t and more":                                                                          "got authorization=(sensitive value)",
		"My_X_Api_Key=not this one either":                                                                             "My_X_Api_Key=not this one either",
		"My-X-Api-Key: not this one":                                                                                   "My-X-Api-Key: not this one",
		`{"Key":"fine"}`:                                                                                               `{"Key":"fine"}`,
		"":                                                                                                             "",
	}
	for in, want := range cases {
		if got := RedactHeaderValues(in, names); got != want {
			t.Errorf("RedactHeaderValues(%q)\n got %q\nwant %q", in, got, want)
		}
	}
	if got := RedactHeaderValues("X-Api-Key: s", nil); got != "X-Api-Key: s" {
		t.Errorf("no names: %q", got)
	}
}

// FuzzRedactHeaderValues: a value echoed under a header name, as JSON or as
// a "Name: value" line, never survives redaction.
func FuzzRedactHeaderValues(f *testing.F) {
	f.Add("X-Api-Key", "s3cret-value", "prefix ")
	f.Add("Authorization", "Bearer abc.def", `{"a":1,`)
	f.Fuzz(func(t *testing.T, name, value, prefix string) {
		if !headerNamePattern.MatchString(name) || len(value) < 6 || strings.ContainsAny(value, "\r\n\"\\") ||
			strings.TrimSpace(value) != value {
			return
		}
		for _, shape := range []func(v string) string{
			func(v string) string { return prefix + `{"` + strings.ToLower(name) + `": "` + v + `"}` },
			func(v string) string { return prefix + "\n" + name + ": " + v + "\n" },
		} {
			// What stays around the value (prefix, name, separators, the
			// redaction mark) may spell the value itself ("00000" then
			// ": " holds "00000:"); the test cannot tell that from a leak.
			if kept := strings.ToLower(shape(Redacted)); strings.Contains(kept, strings.ToLower(value)) {
				continue
			}
			text := shape(value)
			if got := RedactHeaderValues(text, []string{name}); strings.Contains(got, value) {
				t.Fatalf("value %q survived in %q", value, got)
			}
		}
	})
}

// FuzzActionScrubber: a random secret (as keys and tokens are) echoed in any
// of the shapes an endpoint may use never survives what the verify action
// shows of an answer, though the action knows only the header names.
func FuzzActionScrubber(f *testing.F) {
	f.Add("X-API-Key", uint64(1))
	f.Add("Authorization", uint64(2))
	f.Add("x_token", uint64(3))
	f.Fuzz(func(t *testing.T, name string, seed uint64) {
		if !headerNamePattern.MatchString(name) || len(name) > 40 || strings.Trim(name, "-_") == "" {
			return
		}
		secret := randomSecret(seed)
		for shape, text := range sovxtest.EchoShapes(name, secret) {
			if got := RedactRandomTokens(RedactHeaderValues(text, []string{name})); strings.Contains(got, secret) {
				t.Fatalf("%s: the secret %q survived in %q", shape, secret, got)
			}
		}
	})
}

// randomSecret is an API-key-like value: 20 to 40 characters of letters,
// digits and the usual punctuation, at least one letter and one digit.
func randomSecret(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed>>7))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, 20+r.IntN(21))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	b[0], b[1] = 'k', '7'
	return string(b)
}

// headerNamePattern is the API's rule for a header key (the webhook
// package's, which imports this one).
var headerNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
