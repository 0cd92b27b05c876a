package webhook

import (
	"errors"
	"reflect"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

func ptr(s string) *string { return &s }

func TestReconcile(t *testing.T) {
	cases := []struct {
		name   string
		held   map[string]*string
		remote []string
		want   map[string]*string
	}{
		{"null stays null without remote headers", nil, nil, nil},
		{"empty stays empty", map[string]*string{}, nil, map[string]*string{}},
		{"a read keeps held values", map[string]*string{"X-Key": ptr("s1"), "Auth": ptr("s2")},
			[]string{"X-Key", "Auth"}, map[string]*string{"X-Key": ptr("s1"), "Auth": ptr("s2")}},
		{"match ignores case and keeps Terraform's spelling", map[string]*string{"X-Key": ptr("s1")},
			[]string{"x-key"}, map[string]*string{"X-Key": ptr("s1")}},
		{"write-only entry stays null", map[string]*string{"X-Key": nil},
			[]string{"X-Key"}, map[string]*string{"X-Key": nil}},
		{"header only the API has has no value", map[string]*string{"X-Key": ptr("s1")},
			[]string{"X-Key", "X-New"}, map[string]*string{"X-Key": ptr("s1"), "X-New": nil}},
		{"header the API dropped is dropped", map[string]*string{"X-Key": ptr("s1"), "Gone": ptr("s2")},
			[]string{"X-Key"}, map[string]*string{"X-Key": ptr("s1")}},
		{"all dropped leaves an empty map", map[string]*string{"X-Key": ptr("s1")}, nil, map[string]*string{}},
		{"import: names without values", nil, []string{"A"}, map[string]*string{"A": nil}},
		{"duplicate remote names keep the first", nil, []string{"A", "a"}, map[string]*string{"A": nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Reconcile(tc.held, tc.remote)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Reconcile = %s, want %s", show(got), show(tc.want))
			}
		})
	}
}

func show(m map[string]*string) string {
	if m == nil {
		return "null"
	}
	out := "{"
	for k, v := range m {
		if v == nil {
			out += k + ":null "
		} else {
			out += k + ":" + *v + " "
		}
	}
	return out + "}"
}

func TestBuild(t *testing.T) {
	got, err := RequestHeaders(map[string]Planned{
		"X-API-Key":     {WriteOnly: ptr("wo")},
		"Authorization": {Value: ptr("Bearer t")},
	})
	want := []sovx.Header{{Key: "Authorization", Value: "Bearer t"}, {Key: "X-API-Key", Value: "wo"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Build = %v, %v; want %v sorted by name", got, err, want)
	}
	if _, err := RequestHeaders(map[string]Planned{"A": {}}); !errors.Is(err, ErrNoValue) {
		t.Errorf("no value: err = %v", err)
	}
	if got, err := RequestHeaders(nil); err != nil || len(got) != 0 {
		t.Errorf("no headers = %v, %v", got, err)
	}
}
