package webhook

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// State as both versions of the REST provider write it: v2 (SDK) with the
// body it sent in data, v3 (framework) after a read put the API's answer
// (envelope and masks) in data, behind a base path.
func TestReadRESTAPIObjectFromEitherVersion(t *testing.T) {
	for _, file := range []string{"v2.json", "v3-after-read.json"} {
		state, err := os.ReadFile("testdata/restapi/" + file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadRESTAPIObject(state)
		if err != nil || got.CustomerID != "cus_123" || got.URL != "https://hooks.example.com/pin" ||
			fmt.Sprint(got.HeaderNames) != "[Authorization X-API-Key]" {
			t.Errorf("%s: %+v, %v; want cus_123's webhook with both header names", file, got, err)
		}
	}
}

// restAPIState is a restapi_object state with these attributes over a
// webhook's usual ones.
func restAPIState(t *testing.T, attrs map[string]any) []byte {
	t.Helper()
	state := map[string]any{"path": "/customers/cus_1/webhooks", "id": "cus_1",
		"data": `{"url":"https://e.com/h","headers":[{"key":"K","value":"v"}]}`}
	for k, v := range attrs {
		state[k] = v
	}
	raw, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestReadRESTAPIObjectPaths(t *testing.T) {
	for name, tc := range map[string]struct {
		attrs    map[string]any
		customer string // "" : an error is wanted, naming what
		naming   string
	}{
		"path alone":                 {nil, "cus_1", ""},
		"no leading slash":           {map[string]any{"path": "customers/cus_1/webhooks"}, "cus_1", ""},
		"escaped id":                 {map[string]any{"path": "/customers/cus%2E9/webhooks"}, "cus.9", ""},
		"placeholders and object_id": {map[string]any{"read_path": "/customers/{id}/webhooks", "object_id": "cus_1", "id": "x"}, "cus_1", ""},
		"query string":               {map[string]any{"read_path": "/customers/cus_1/webhooks?expand=1"}, "cus_1", ""},
		"another API's object":       {map[string]any{"path": "/orders/123"}, "", `"/orders/123"`},
		"the verify path":            {map[string]any{"update_path": "/customers/cus_1/webhooks/verify"}, "", "update_path"},
		"two customers":              {map[string]any{"read_path": "/customers/cus_2/webhooks"}, "", `"cus_1" and "cus_2"`},
		"placeholder without id":     {map[string]any{"path": "/customers/{id}/webhooks", "id": nil}, "", "no id"},
		"no path":                    {map[string]any{"path": nil}, "", "no path"},
		"a customer id with a slash": {map[string]any{"path": "/customers/a%2Fb/webhooks"}, "", "no valid customer id"},
	} {
		got, err := ReadRESTAPIObject(restAPIState(t, tc.attrs))
		switch {
		case tc.customer != "" && (err != nil || got.CustomerID != tc.customer):
			t.Errorf("%s: %+v, %v; want customer %s", name, got, err, tc.customer)
		case tc.customer == "" && (err == nil || !strings.Contains(err.Error(), tc.naming)):
			t.Errorf("%s: %+v, %v; want an error naming %s", name, got, err, tc.naming)
		}
	}
}

func TestReadRESTAPIObjectData(t *testing.T) {
	for name, tc := range map[string]struct {
		data   any
		names  string // "" : an error is wanted
		naming string
	}{
		"no headers":             {`{"url":"https://e.com/h"}`, "[]", ""},
		"null headers":           {`{"url":"https://e.com/h","headers":null}`, "[]", ""},
		"an envelope":            {`{"success":true,"data":{"url":"https://e.com/h","headers":[{"key":"A","value":"********"}]}}`, "[A]", ""},
		"not JSON":               {`url=https://e.com/h`, "", "not a JSON object"},
		"null":                   {nil, "", "not a JSON object"},
		"another API's body":     {`{"order":123}`, "", `no "url"`},
		"headers not a list":     {`{"url":"https://e.com/h","headers":{"A":"b"}}`, "", `"headers"`},
		"a header without a key": {`{"url":"https://e.com/h","headers":[{"value":"b"}]}`, "", `"key"`},
		"a name twice":           {`{"url":"https://e.com/h","headers":[{"key":"A"},{"key":"a"}]}`, "", "more than once"},
	} {
		got, err := ReadRESTAPIObject(restAPIState(t, map[string]any{"data": tc.data}))
		switch {
		case tc.names != "" && (err != nil || fmt.Sprint(got.HeaderNames) != tc.names || got.URL != "https://e.com/h"):
			t.Errorf("%s: %+v, %v; want the URL and %s", name, got, err, tc.names)
		case tc.names == "" && (err == nil || !strings.Contains(err.Error(), tc.naming)):
			t.Errorf("%s: %+v, %v; want an error naming %s", name, got, err, tc.naming)
		}
	}
}
