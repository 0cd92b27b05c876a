package webhook

import (
	"strings"
	"testing"
)

func TestRedactHeaderValues(t *testing.T) {
	names := []string{"X-Api-Key", "Authorization"}
	cases := map[string]string{
		`{"received_headers":{"X-Api-Key":"s3cret","Other":"fine"}}`: `{"received_headers":{"X-Api-Key":"(sensitive value)","Other":"fine"}}`,
		`{"x-api-key": "s3c\"ret", "AUTHORIZATION":"Bearer t"}`:      `{"x-api-key": "(sensitive value)", "AUTHORIZATION":"(sensitive value)"}`,
		`{"headers":{"X-Api-Key":["s3cret","two"]}}`:                 `{"headers":{"X-Api-Key":"(sensitive value)"}}`,
		"bad request\nX-Api-Key: s3cret\nAccept: */*":                "bad request\nX-Api-Key: (sensitive value)\nAccept: */*",
		"got authorization=Bearer t and more":                        "got authorization=(sensitive value)",
		"My-X-Api-Key: not this one":                                 "My-X-Api-Key: not this one",
		`{"Key":"fine"}`:                                             `{"Key":"fine"}`,
		"":                                                           "",
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
		if !HeaderNamePattern.MatchString(name) || len(value) < 6 || strings.ContainsAny(value, "\r\n\"\\") ||
			strings.TrimSpace(value) != value || strings.Contains(prefix, value) ||
			strings.Contains(strings.ToLower(name), strings.ToLower(value)) || strings.Contains(Redacted, value) {
			return
		}
		for _, text := range []string{
			prefix + `{"` + strings.ToLower(name) + `": "` + value + `"}`,
			prefix + "\n" + name + ": " + value + "\n",
		} {
			if got := RedactHeaderValues(text, []string{name}); strings.Contains(got, value) {
				t.Fatalf("value %q survived in %q", value, got)
			}
		}
	})
}
