package webhook

import (
	"regexp"
	"strings"
)

// Redacted replaces a header value in text shown to the user.
const Redacted = "(sensitive value)"

// RedactHeaderValues hides, in text an endpoint sent back, the values that
// stand under the given header names, for when the values themselves are
// not known (the verify action only learns the names from GET). It covers
// the two ways an endpoint quotes a request: JSON keys, matched ignoring
// case, whose value is a string or an array (Go's http.Header) —
// "X-Api-Key": ["…"] — and "Name: value" (or "Name=value") text, up to the
// end of the line.
func RedactHeaderValues(text string, names []string) string {
	if len(names) == 0 || text == "" {
		return text
	}
	quoted := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			quoted = append(quoted, regexp.QuoteMeta(n))
		}
	}
	if len(quoted) == 0 {
		return text
	}
	alt := strings.Join(quoted, "|")
	jsonKey := regexp.MustCompile(`(?i)("(?:` + alt + `)"\s*:\s*)("(?:[^"\\]|\\.)*"|\[[^\]]*\])`)
	text = jsonKey.ReplaceAllString(text, `${1}"`+Redacted+`"`)
	line := regexp.MustCompile(`(?im)((?:^|[\s{,;])(?:` + alt + `)\s*[:=][ \t]*)([^\r\n]*)`)
	return line.ReplaceAllStringFunc(text, func(m string) string {
		sub := line.FindStringSubmatch(m)
		if strings.HasPrefix(sub[2], `"`+Redacted) {
			return m // already done by the JSON rule
		}
		return sub[1] + Redacted
	})
}
