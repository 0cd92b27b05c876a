package sovx

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
)

// RedactHeaderValues hides, in text an endpoint sent back, what stands under the given header names, for when the
// values themselves are not known (the verify action only learns the names from GET).
func RedactHeaderValues(text string, names []string) string {
	m := newNameMatcher(names)
	if m == nil || text == "" {
		return text
	}
	if out, ok := m.walkJSON(text); ok {
		return out
	}
	return m.text(text)
}

// walkJSON scrubs a JSON object or array (false: text is not one).
func (m *nameMatcher) walkJSON(text string) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil || dec.More() {
		return "", false
	}
	switch doc.(type) {
	case map[string]any, []any:
	default:
		return "", false
	}
	var out strings.Builder
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if enc.Encode(m.walk(doc)) != nil {
		return "", false
	}
	return strings.TrimSuffix(out.String(), "\n"), true
}

// nameMatcher recognises the header names in their echoed spellings.
type nameMatcher struct {
	canon map[string]bool // spellings folded by canonName
	// pair is "Name: value" or "Name=value"; cell and defs an HTML table's
	// and a definition list's value beside a name.
	pair, cell, defs *regexp.Regexp
}

// canonName folds the spellings a name takes when echoed: case, "_" for "-", a CGI "HTTP_" prefix.
func canonName(s string) string {
	s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
	return strings.TrimPrefix(s, "http-")
}

// namePattern matches a header name with "-" or "_" for each separator,
// with or without HTTP_ in front (CGI's spelling).
func namePattern(name string) string {
	var b strings.Builder
	b.WriteString(`(?:HTTP[-_])?`)
	for _, r := range name {
		if r == '-' || r == '_' {
			b.WriteString(`[-_]`)
		} else {
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

func newNameMatcher(names []string) *nameMatcher {
	m := &nameMatcher{canon: map[string]bool{}}
	var alts []string
	for _, n := range names {
		if n == "" {
			continue
		}
		m.canon[canonName(n)] = true
		alts = append(alts, namePattern(n))
	}
	if len(alts) == 0 {
		return nil
	}
	alt := `(?:` + strings.Join(alts, "|") + `)`
	// "Name: value" runs to the end of the line; "Name=value" too, or to the
	// next "&" of a query string, or over a quoted value whole.
	m.pair = regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_-])` + alt + `["']?\s*(?::[ \t]*|=[ \t]*))` +
		`(?:"(?:[^"\\\r\n]|\\.)*"?|[^\r\n&]*&?[^\r\n]*)`)
	m.cell = regexp.MustCompile(`(?is)(<t[dh][^>]*>\s*` + alt + `\s*</t[dh]>\s*<t[dh][^>]*>)(.*?)(</t[dh]>)`)
	m.defs = regexp.MustCompile(`(?is)(<dt[^>]*>\s*` + alt + `\s*</dt>\s*<dd[^>]*>)(.*?)(</dd>)`)
	return m
}

// text scrubs a text: table cells and definitions beside a name, then the pairs.
func (m *nameMatcher) text(s string) string {
	s = m.cell.ReplaceAllString(s, "${1}"+Redacted+"${3}")
	s = m.defs.ReplaceAllString(s, "${1}"+Redacted+"${3}")
	// A match may end right before another pair, whose name then lacks the separator in front that a match needs: go
	// again until nothing changes (each pass redacts at least one more pair).
	for range maxPairPasses {
		next := m.redactPairs(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

// redactPairs hides the value of every pair in s.
func (m *nameMatcher) redactPairs(s string) string {
	return m.pair.ReplaceAllStringFunc(s, func(match string) string {
		sub := m.pair.FindStringSubmatch(match)
		if rest, done := strings.CutPrefix(match[len(sub[1]):], Redacted); done {
			// Redacted by an earlier pass; what follows may hold another pair.
			return sub[1] + Redacted + m.redactPairs(rest)
		}
		if !strings.HasSuffix(strings.TrimRight(sub[1], " \t"), "=") {
			return sub[1] + Redacted // "Name: value": to the end of the line
		}
		return sub[1] + Redacted + queryRest(match[len(sub[1]):])
	})
}

// maxPairPasses bounds the passes over "Name: value" pairs.
const maxPairPasses = 16

// pairNameKeys are the fields that name a header in a list of pairs.
var pairNameKeys = []string{"name", "key", "header", "field"}

// walk returns a copy of a decoded JSON value with what stands under the names replaced.
func (m *nameMatcher) walk(v any) any {
	switch t := v.(type) {
	case map[string]any:
		named := false
		for _, k := range pairNameKeys {
			if s, ok := fieldFold(t, k).(string); ok && m.canon[canonName(s)] {
				named = true
			}
		}
		out := make(map[string]any, len(t))
		for k, child := range t {
			switch {
			case m.canon[canonName(k)]:
				out[k] = Redacted
			case named && !isPairNameKey(k):
				out[k] = Redacted
			default:
				out[k] = m.walk(child)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, child := range t {
			out[i] = m.walk(child)
		}
		return out
	case string:
		return m.text(t)
	}
	return v
}

func fieldFold(obj map[string]any, key string) any {
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func isPairNameKey(k string) bool {
	for _, n := range pairNameKeys {
		if strings.EqualFold(k, n) {
			return true
		}
	}
	return false
}

// RedactRandomTokens hides every long, random-looking run of characters (a key, a token, a password), the secrets
// most likely to be echoed under a name or in a shape no rule knows. UUIDs (trace ids) are kept.
func RedactRandomTokens(text string) string {
	return randomRun.ReplaceAllStringFunc(text, func(run string) string {
		if uuidPattern.MatchString(run) || !looksRandom(run) {
			return run
		}
		return Redacted
	})
}

var (
	randomRun   = regexp.MustCompile(`[A-Za-z0-9+/=_.~-]{12,}`)
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// looksRandom: letters and digits mixed, and at least 3 bits of entropy per
// character (English words and hyphenated names have less).
func looksRandom(s string) bool {
	var letters, digits int
	counts := map[rune]float64{}
	for _, r := range s {
		counts[r]++
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		}
	}
	if letters == 0 || digits == 0 {
		return false
	}
	n, entropy := float64(len(s)), 0.0
	for _, c := range counts {
		p := c / n
		entropy -= p * math.Log2(p)
	}
	return entropy >= 3
}

// queryRest keeps what follows a query parameter's value ("&ok=1"): a value in a query string holds no unescaped "&".
// Only for a bare, non-empty value; a quoted one, or one with spaces, runs to the end of the line.
func queryRest(value string) string {
	i := strings.IndexByte(value, '&')
	if i <= 0 || strings.HasPrefix(value, `"`) || strings.ContainsAny(value[:i], " \t\"'{}") {
		return ""
	}
	return value[i:]
}
