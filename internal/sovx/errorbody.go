package sovx

import (
	"bytes"
	"encoding/json"
	"html"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// decodeAPIError builds the error of a non-2xx answer. Error bodies are not in the API reference: they are read for
// words only, wherever a server puts them (CONTRACT.md, row 3), never for a decision.
func decodeAPIError(op Operation, method, path string, status int, traceID string, attempts int, raw []byte, red Redactor) *APIError {
	e := &APIError{Op: op, Method: method, Path: path, StatusCode: status, TraceID: traceID, Attempts: attempts}
	code, message, details := errorWords(raw)
	e.Code, e.Message = red.Line(code, 100), red.Line(message, 500)
	for _, d := range details {
		e.Details = append(e.Details, red.Line(d, 300))
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// maxDetails bounds how many field-level details an error shows.
const maxDetails = 20

// errorWords finds an error answer's code, message and field-level details in any shape: a JSON object (nested
// "error" object or string, flat "message", RFC 9457 problem details, an "errors" list), a JSON string, plain text,
// an HTML page, or nothing.
func errorWords(raw []byte) (code, message string, details []string) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return "", "", nil
	}
	var v any
	if json.Unmarshal(trimmed, &v) != nil {
		return "", textOf(cut(string(trimmed), maxScanned)), nil
	}
	switch t := v.(type) {
	case string:
		return "", t, nil
	case map[string]any:
		code, message = objectWords(t)
		details = detailsOf(t)
		if message == "" && code == "" && len(details) == 0 {
			message = string(trimmed)
		}
		return code, message, details
	}
	return "", string(trimmed), nil
}

// detailsOf lists the field-level details of an error object, as "field: reason", in the shapes servers use: a list
// of {field|path|param| name|pointer|loc, message|msg|reason|detail} under "details", "errors", "invalid-params" (RFC
// 9457), "violations" or a "detail" list (FastAPI), also inside "error"; or a map of field to reasons.
func detailsOf(obj map[string]any) []string {
	var out []string
	if nested, ok := obj["error"].(map[string]any); ok {
		out = detailsOf(nested)
	}
	for _, key := range []string{"details", "detail", "errors", "invalid-params", "invalid_params", "violations"} {
		switch list := obj[key].(type) {
		case []any:
			for _, item := range list {
				out = appendDetail(out, item, "")
			}
		case map[string]any:
			for _, field := range slices.Sorted(maps.Keys(list)) {
				out = appendDetail(out, list[field], field)
			}
		}
	}
	return out[:min(len(out), maxDetails)]
}

// appendDetail adds one detail: an object's field and reason, a reason string, or a list of them under field.
func appendDetail(out []string, item any, field string) []string {
	switch t := item.(type) {
	case string:
		return append(out, strings.TrimPrefix(field+": "+t, ": "))
	case []any:
		for _, r := range t {
			out = appendDetail(out, r, field)
		}
		return out
	case map[string]any:
		f := firstNonEmpty(scalar(t["field"]), scalar(t["path"]), scalar(t["param"]), scalar(t["name"]),
			scalar(t["pointer"]), scalar(t["property"]), pathOf(t["loc"]), field)
		reason := firstNonEmpty(scalar(t["message"]), scalar(t["msg"]), scalar(t["reason"]), scalar(t["detail"]),
			scalar(t["description"]), scalar(t["title"]))
		if reason != "" || f != "" {
			return append(out, strings.TrimPrefix(strings.TrimSuffix(f+": "+reason, ": "), ": "))
		}
	}
	return out
}

// pathOf is a location list (FastAPI's "loc") as a dotted path.
func pathOf(v any) string {
	list, _ := v.([]any)
	parts := make([]string, 0, len(list))
	for _, p := range list {
		parts = append(parts, scalar(p))
	}
	return strings.Join(parts, ".")
}

// objectWords reads the places servers put an error's words; problem details show as "title: detail".
func objectWords(obj map[string]any) (code, message string) {
	if nested, ok := obj["error"].(map[string]any); ok {
		code, message = objectWords(nested)
	}
	if list, ok := obj["errors"].([]any); ok && len(list) > 0 && message == "" {
		if first, ok := list[0].(map[string]any); ok {
			code, message = objectWords(first)
		} else {
			message = scalar(list[0])
		}
	}
	title, detail := scalar(obj["title"]), scalar(obj["detail"])
	problem := detail
	if title != "" && !strings.Contains(detail, title) {
		problem = strings.TrimSuffix(title+": "+detail, ": ")
	}
	message = firstNonEmpty(message, scalar(obj["error"]), scalar(obj["message"]), problem,
		scalar(obj["error_description"]), scalar(obj["msg"]))
	code = firstNonEmpty(code, scalar(obj["code"]), scalar(obj["error_code"]))
	return code, message
}

// scalar is a JSON string or number as text, "" for anything else.
func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlJunk  = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
)

// textOf turns an HTML page (a proxy's error page) into its title, or its
// text without tags, so the message reads as words.
func textOf(body string) string {
	trimmed := strings.TrimSpace(body)
	if !strings.HasPrefix(trimmed, "<") {
		return body
	}
	if m := htmlTitle.FindStringSubmatch(trimmed); m != nil && strings.TrimSpace(m[1]) != "" {
		return html.UnescapeString(m[1])
	}
	return html.UnescapeString(htmlJunk.ReplaceAllString(trimmed, " "))
}
