package sovx

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeAPIError builds the error of a non-2xx answer. Error bodies are not
// in the API reference: they are read for words only, wherever a server puts
// them (CONTRACT.md, row 3), never for a decision.
func decodeAPIError(op Operation, method, path string, status int, traceID string, attempts int, raw []byte) *APIError {
	e := &APIError{Op: op, Method: method, Path: path, StatusCode: status, TraceID: traceID, Attempts: attempts}
	e.Code, e.Message = errorWords(raw)
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// errorWords finds an error answer's code and message in any shape: a JSON
// object (nested "error" object or string, flat "message", RFC 9457 problem
// details, an "errors" list), a JSON string, plain text, an HTML page, or
// nothing. The body's shape decides nothing; it is only read for words.
func errorWords(raw []byte) (code, message string) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return "", ""
	}
	var v any
	if json.Unmarshal(trimmed, &v) != nil {
		return "", excerpt(textOf(string(trimmed)), 200)
	}
	switch t := v.(type) {
	case string:
		return "", excerpt(t, 500)
	case map[string]any:
		code, message = objectWords(t)
		if message == "" && code == "" {
			message = string(trimmed)
		}
		return excerpt(code, 100), excerpt(message, 500)
	}
	return "", excerpt(string(trimmed), 200)
}

// objectWords reads the places servers put an error's words; problem
// details show as "title: detail".
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

// excerpt keeps the start of a text on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
