package webhook

import (
	"reflect"
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
		{"http://[::1]/hook", true, false},
		{"ftp://example.com/hook", false, false},
		{"https:///hook", false, false},
		{"/hook", false, false},
		{"example.com/hook", false, false},
		{"", false, false},
		{" https://example.com", false, false},
		{"https://exa mple.com", false, false},
	}
	for _, tc := range cases {
		warning, err := CheckURL(tc.url)
		if (err == nil) != tc.ok || (warning != "") != tc.warn {
			t.Errorf("CheckURL(%q) = %q, %v; want ok=%v warn=%v", tc.url, warning, err, tc.ok, tc.warn)
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
