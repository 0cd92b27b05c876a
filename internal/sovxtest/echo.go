package sovxtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// EchoShapes are the ways a webhook endpoint may quote a request header back
// in its answer, for tests of what is shown to users: JSON maps (as sent, in
// lower case, with underscores, nested a level deeper), Go's http.Header,
// lists of name/value pairs, CGI variables, a query string, an HTML table,
// "Name: value" lines, a JSON string holding such text, and the value alone
// under an unrelated key.
func EchoShapes(name, value string) map[string]string {
	cgi := "HTTP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	j := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	return map[string]string{
		"json map":          j(map[string]string{name: value, "Accept": "*/*"}),
		"json lower case":   j(map[string]string{strings.ToLower(name): value}),
		"json underscores":  j(map[string]string{strings.ReplaceAll(name, "-", "_"): value}),
		"json nested":       j(map[string]any{"request": map[string]any{"headers": map[string]string{name: value}}}),
		"go http.Header":    j(map[string][]string{name: {value}}),
		"name/value pairs":  j(map[string]any{"headers": []map[string]string{{"name": name, "value": value}, {"name": "Accept", "value": "*/*"}}}),
		"key/value pairs":   j([]map[string]string{{"key": strings.ToLower(name), "value": value}}),
		"cgi variables":     fmt.Sprintf("REQUEST_METHOD=POST\n%s=%s\nHTTP_ACCEPT=*/*\n", cgi, value),
		"cgi in json":       j(map[string]string{cgi: value}),
		"query string":      "/callback?" + url.Values{strings.ToLower(name): {value}, "ok": {"1"}}.Encode(),
		"html table":        fmt.Sprintf("<table><tr><th>%s</th><td>%s</td></tr></table>", name, value),
		"header lines":      fmt.Sprintf("bad request\n%s: %s\nAccept: */*\n", name, value),
		"text in json":      j(map[string]string{"error": fmt.Sprintf("rejected %s: %s", name, value)}),
		"under another key": j(map[string]string{"echo": value}),
	}
}
