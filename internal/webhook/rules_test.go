package webhook

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckCustomerID(t *testing.T) {
	for id, ok := range map[string]bool{
		"cus_123": true, "CUS-1.a": true, "": false, ".": false, "..": false, "a/b": false, `a\b`: false,
		"a b": false, "a\tb": false, "a\nb": false, " cus": false,
	} {
		if err := CheckCustomerID(id); (err == nil) != ok {
			t.Errorf("CheckCustomerID(%q) = %v, want ok=%v", id, err, ok)
		}
	}
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		url      string
		ok, warn bool
	}{
		{"https://example.com/webhook/pin-notification", true, false},
		{"http://example.com/hook", true, true},
		{"http://127.0.0.1:8080/hook", true, false},
		{"http://localhost/hook", true, false},
		{"http://api.localhost/hook", true, true}, // a name: it may resolve anywhere
		{"http://[::1]/hook", true, false},
		{"ftp://example.com/hook", false, false},
		{"https:///hook", false, false},
		{"/hook", false, false},
		{"example.com/hook", false, false},
		{"", false, false},
		{" https://example.com", false, false},
		{"https://exa mple.com", false, false},
		{"https://user:pa ss@exa mple.com/?token=s3cr3t", false, false},
	}
	for _, tc := range cases {
		warning, err := CheckURL(tc.url)
		if (err == nil) != tc.ok || (warning != "") != tc.warn {
			t.Errorf("CheckURL(%q) = %q, %v; want ok=%v warn=%v", tc.url, warning, err, tc.ok, tc.warn)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("CheckURL(%q) quotes the URL's query: %v", tc.url, err)
		}
	}
}

func TestCheckHeaderValue(t *testing.T) {
	for v, ok := range map[string]bool{"Bearer x": true, "": true, "a\nb": false, "a\rb": false} {
		if err := CheckHeaderValue(v); (err == nil) != ok {
			t.Errorf("CheckHeaderValue(%q) = %v", v, err)
		}
	}
}

func TestDuplicateNames(t *testing.T) {
	got := DuplicateNames([]string{"X-Key", "Auth", "x-key", "AUTH", "Other"})
	want := [][]string{{"AUTH", "Auth"}, {"X-Key", "x-key"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DuplicateNames = %v, want %v", got, want)
	}
	if got := DuplicateNames([]string{"A", "B"}); got != nil {
		t.Errorf("no duplicates = %v", got)
	}
}

func TestLooksLikeOurs(t *testing.T) {
	remote := []string{"X-Api-Key", "Authorization"}
	cases := []struct {
		url   string
		names []string
		want  bool
	}{
		{"https://e.com/h", []string{"authorization", "X-API-KEY"}, true},
		{"https://e.com/other", []string{"Authorization", "X-Api-Key"}, false},
		{"https://e.com/h", []string{"Authorization"}, false},
		{"https://e.com/h", []string{"Authorization", "X-Api-Key", "X-More"}, false},
		{"https://e.com/h", []string{"Authorization", "Authorization"}, false},
	}
	for _, tc := range cases {
		if got := LooksLikeOurs(remote, "https://e.com/h", tc.url, tc.names); got != tc.want {
			t.Errorf("LooksLikeOurs(%s, %v) = %v, want %v", tc.url, tc.names, got, tc.want)
		}
	}
	if !LooksLikeOurs(nil, "https://e.com/h", "https://e.com/h", nil) {
		t.Error("a webhook without headers looks like a planned one without headers")
	}
}
