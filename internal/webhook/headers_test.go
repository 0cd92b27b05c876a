package webhook

import (
	"errors"
	"reflect"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

func ptr(s string) *string { return &s }

const mask = sovx.MaskedValue

func TestReconcile(t *testing.T) {
	cases := []struct {
		name   string
		held   map[string]*string
		remote []sovx.Header
		want   map[string]*string
	}{
		{"null stays null without remote headers", nil, nil, nil},
		{"empty stays empty", map[string]*string{}, nil, map[string]*string{}},
		{"masked read keeps held values", map[string]*string{"X-Key": ptr("s1"), "Auth": ptr("s2")},
			[]sovx.Header{{Key: "X-Key", Value: mask}, {Key: "Auth", Value: mask}},
			map[string]*string{"X-Key": ptr("s1"), "Auth": ptr("s2")}},
		{"match ignores case and keeps Terraform's spelling", map[string]*string{"X-Key": ptr("s1")},
			[]sovx.Header{{Key: "x-key", Value: mask}}, map[string]*string{"X-Key": ptr("s1")}},
		{"write-only entry stays null", map[string]*string{"X-Key": nil},
			[]sovx.Header{{Key: "X-Key", Value: mask}}, map[string]*string{"X-Key": nil}},
		{"write-only entry stays null even with a real value", map[string]*string{"X-Key": nil},
			[]sovx.Header{{Key: "X-Key", Value: "real"}}, map[string]*string{"X-Key": nil}},
		{"header only the API has gets the mask", map[string]*string{"X-Key": ptr("s1")},
			[]sovx.Header{{Key: "X-Key", Value: mask}, {Key: "X-New", Value: mask}},
			map[string]*string{"X-Key": ptr("s1"), "X-New": ptr(mask)}},
		{"header the API dropped is dropped", map[string]*string{"X-Key": ptr("s1"), "Gone": ptr("s2")},
			[]sovx.Header{{Key: "X-Key", Value: mask}}, map[string]*string{"X-Key": ptr("s1")}},
		{"all dropped leaves an empty map", map[string]*string{"X-Key": ptr("s1")}, nil, map[string]*string{}},
		{"a real value from the API wins", map[string]*string{"X-Key": ptr("s1")},
			[]sovx.Header{{Key: "X-Key", Value: "changed"}}, map[string]*string{"X-Key": ptr("changed")}},
		{"import: everything masked", nil, []sovx.Header{{Key: "A", Value: mask}},
			map[string]*string{"A": ptr(mask)}},
		{"duplicate remote names keep the first", nil,
			[]sovx.Header{{Key: "A", Value: mask}, {Key: "a", Value: "x"}}, map[string]*string{"A": ptr(mask)}},
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
	got, err := Build(map[string]Planned{
		"X-API-Key":     {WriteOnly: ptr("wo")},
		"Authorization": {Value: ptr("Bearer t")},
	})
	want := []sovx.Header{{Key: "Authorization", Value: "Bearer t"}, {Key: "X-API-Key", Value: "wo"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Build = %v, %v; want %v sorted by name", got, err, want)
	}
	if _, err := Build(map[string]Planned{"A": {Value: ptr(mask)}}); !errors.Is(err, sovx.ErrMaskedValue) {
		t.Errorf("mask: err = %v", err)
	}
	if _, err := Build(map[string]Planned{"A": {WriteOnly: ptr(mask)}}); !errors.Is(err, sovx.ErrMaskedValue) {
		t.Errorf("write-only mask: err = %v", err)
	}
	if _, err := Build(map[string]Planned{"A": {}}); !errors.Is(err, ErrNoValue) {
		t.Errorf("no value: err = %v", err)
	}
	if got, err := Build(nil); err != nil || len(got) != 0 {
		t.Errorf("no headers = %v, %v", got, err)
	}
}
