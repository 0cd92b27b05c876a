package sovx

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces a secret in text shown to the user.
const Redacted = "(sensitive value)"

// Redactor decides what of a server's or an endpoint's text may be shown: the known secrets (the session token,
// header values, a webhook URL's secret parts) are hidden in every form a quote may take, and so are the secret parts
// of any URL the text quotes.
type Redactor struct {
	re *regexp.Regexp
	// runs are the token's partialRun-byte pieces, and its base64's.
	runs map[string]bool
}

// Sizes of the rules: a secret shorter than shortSecret is hidden only where it stands alone ("1" or "on" would shred
// every message); one longer than maxSpelled only as written or base64 (a pattern per character would be huge);
// partialRun characters of the token in a row are hidden wherever they stand (a server that cut or split it).
const (
	shortSecret = 4
	maxSpelled  = 512
	partialRun  = 8
)

// NewRedactor returns a Redactor for the token and the other secrets ("" for none).
func NewRedactor(token string, others ...string) Redactor {
	var r Redactor
	var pats []string
	for _, s := range append([]string{token}, others...) {
		if s != "" {
			pats = append(pats, secretPatterns(s)...)
		}
	}
	if len(pats) > 0 {
		r.re = regexp.MustCompile(strings.Join(pats, "|"))
	}
	if len(token) >= partialRun && len(token) <= maxSpelled {
		r.runs = map[string]bool{}
		for _, s := range append(base64Cores(token), token) {
			for i := 0; i+partialRun <= len(s); i++ {
				r.runs[s[i:i+partialRun]] = true
			}
		}
	}
	return r
}

// Redact shows every URL in text as ShowURL does, then replaces every form
// of every secret. Callers that show the result use Line or Block.
func (r Redactor) Redact(text string) string {
	text = showURLs(text)
	if r.re != nil && text != "" {
		text = r.re.ReplaceAllLiteralString(text, Redacted)
	}
	return r.hideRuns(text)
}

// hideRuns replaces every stretch of text made of the token's pieces.
func (r Redactor) hideRuns(text string) string {
	if len(r.runs) == 0 || len(text) < partialRun {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; i+partialRun <= len(text); i++ {
		if !r.runs[text[i:i+partialRun]] {
			continue
		}
		end := i + partialRun
		for end < len(text) && r.runs[text[end+1-partialRun:end+1]] {
			end++
		}
		b.WriteString(text[last:i] + Redacted)
		last, i = end, end-1
	}
	if last == 0 {
		return text
	}
	return b.String() + text[last:]
}

// maxScanned bounds what any rule reads of one text, so a server's multi-megabyte answer costs no more than this; the
// shown part is far shorter, so nothing cut here is shown.
const maxScanned = 256 << 10

// Line is text as one line may show it: control characters replaced,
// secrets redacted, whitespace runs as one space, at most limit bytes.
func (r Redactor) Line(text string, limit int) string {
	return bound(strings.Join(strings.Fields(r.Redact(sanitize(cut(text, maxScanned)))), " "), limit)
}

// Block is Line keeping line breaks and indentation.
func (r Redactor) Block(text string, limit int) string {
	return bound(r.Redact(sanitize(cut(text, maxScanned))), limit)
}

// Shown is text already redacted as a block may show it (see Block).
func Shown(text string, limit int) string { return Redactor{}.Block(text, limit) }

// sanitize replaces control characters but tab and newline, and invalid UTF-8, with visible escapes: a server's ESC
// or CR must not reach the terminal, where it could clear the screen or forge a line.
func sanitize(s string) string {
	if strings.IndexFunc(s, isControl) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\ufffd`)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isControl is a C0 or C1 control character but tab and newline, or a
// character that reorders or hides text (bidi controls).
func isControl(r rune) bool {
	if r == '\t' || r == '\n' {
		return false
	}
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// cut keeps at most n bytes of s, at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// bound is cut with a mark of what was left out.
func bound(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cut(s, n) + fmt.Sprintf("… (%d more bytes not shown)", len(s)-len(cut(s, n)))
}

// secretPatterns are the regular expressions that find a secret: spelled
// character by character in any escape, and base64 at any alignment.
func secretPatterns(s string) []string {
	if len(s) < shortSecret {
		return []string{wordEdge(s[0]) + regexp.QuoteMeta(s) + wordEdge(s[len(s)-1])}
	}
	pats := []string{spelled(s)}
	for _, core := range base64Cores(s) {
		pats = append(pats, gapped(core))
	}
	return pats
}

// gap is what a server may put between two characters of a quoted secret: whitespace, a line break, or JSON's escape
// of one (escapes may be doubled: JSON quoted inside JSON).
const gap = `(?:\s|\\+[nrt])*`

// spelled matches s with each character in any of its quoted forms (see charForms) and a gap between them.
func spelled(s string) string {
	if len(s) > maxSpelled {
		return regexp.QuoteMeta(s)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(charForms(r))
	}
	return b.String()
}

// charForms is one character as JSON, a URL, HTML or a server's whitespace may quote it.
func charForms(r rune) string {
	forms := []string{regexp.QuoteMeta(string(r)), `\\+[uU]` + hexCase(fmt.Sprintf("%04x", r)), percentForms(r),
		`&#0*` + fmt.Sprint(r) + `;`, `&#[xX]0*` + hexCase(fmt.Sprintf("%x", r)) + `;`}
	if r > 0xffff {
		hi, lo := (r-0x10000)>>10+0xd800, (r-0x10000)&0x3ff+0xdc00
		forms = append(forms, `\\+u`+hexCase(fmt.Sprintf("%04x", hi))+`\\+u`+hexCase(fmt.Sprintf("%04x", lo)))
	}
	switch r {
	case '/', '"', '\\':
		forms = append(forms, `\\+`+regexp.QuoteMeta(string(r)))
	case '\t':
		forms = append(forms, `\\+t`)
	case ' ':
		forms = append(forms, `\+`)
	case '&', '<', '>':
		forms = append(forms, map[rune]string{'&': "&amp;", '<': "&lt;", '>': "&gt;"}[r])
	}
	if unicode.IsSpace(r) {
		forms = append(forms, `\s+`)
	}
	return "(?:" + strings.Join(forms, "|") + ")"
}

// percentForms is a character's UTF-8 bytes percent-encoded, in either case of hex digit.
func percentForms(r rune) string {
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		b.WriteString("%" + hexCase(fmt.Sprintf("%02x", c)))
	}
	return b.String()
}

// hexCase matches hex digits in either case.
func hexCase(h string) string {
	var b strings.Builder
	for _, c := range h {
		if c >= 'a' && c <= 'f' {
			fmt.Fprintf(&b, "[%c%c]", c, c-'a'+'A')
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// base64Cores are the parts of s's base64 that stand in any base64 text holding s, at each of the three alignments
// and in both alphabets: the characters that depend on the bytes around s left out.
func base64Cores(s string) []string {
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for pad := range 3 {
			encoded := enc.EncodeToString(append(make([]byte, pad), s...))
			start := (pad*8 + 5) / 6      // characters that hold padding bits
			end := (pad + len(s)) / 3 * 4 // full groups only: the rest depends on what follows
			if end-start >= partialRun && start < end {
				out = append(out, encoded[start:end])
			}
		}
	}
	return out
}

// gapped matches s as written, with a gap between any two characters.
func gapped(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
	return b.String()
}

// wordEdge is a word boundary beside a word character, nothing otherwise.
func wordEdge(c byte) string {
	if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return `\b`
	}
	return ""
}

// credentials is a URL's userinfo, up to the authority's last "@".
var credentials = regexp.MustCompile(`//[^/?#]*@`)

// ShowURL is a URL as the provider shows it in any text: scheme, host and path, with userinfo, query and fragment
// hidden. Webhook receivers take tokens in the query and passwords in the userinfo.
func ShowURL(raw string) string {
	rest, fragment, hasFragment := strings.Cut(raw, "#")
	rest, _, hasQuery := strings.Cut(rest, "?")
	rest = credentials.ReplaceAllString(rest, "//"+Redacted+"@")
	if hasQuery {
		rest += "?" + Redacted
	}
	if hasFragment && fragment != "" {
		rest += "#" + Redacted
	}
	return bound(sanitize(rest), maxShownURL)
}

// maxShownURL bounds a URL as shown: a server may store and quote anything.
const maxShownURL = 500

// urlInText is a URL quoted in a text, JSON-escaped slashes included.
var urlInText = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*:(?:\\?/){2}[^\s"'<>\x60]+`)

// showURLs rewrites every URL a text quotes as ShowURL shows it: an API that quotes the URL it holds (in an error, in
// verify's outcome) may quote one the client does not know.
func showURLs(text string) string {
	if !strings.Contains(text, ":/") && !strings.Contains(text, `:\/`) {
		return text
	}
	return urlInText.ReplaceAllStringFunc(text, func(u string) string {
		return ShowURL(strings.ReplaceAll(u, `\/`, "/"))
	})
}

// urlSecrets are the parts of a URL that ShowURL hides, for redaction wherever a text quotes them in another form
// (encoded, alone). Parts shorter than shortSecret (a query's "v=1") tell nothing and are left.
func urlSecrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var parts []string
	if u.User != nil {
		parts = append(parts, u.User.String(), u.User.Username())
		if password, ok := u.User.Password(); ok {
			parts = append(parts, password)
		}
	}
	parts = append(parts, u.RawQuery, u.Fragment)
	for _, values := range u.Query() {
		parts = append(parts, values...)
	}
	out := parts[:0]
	for _, p := range parts {
		if len(p) >= shortSecret {
			out = append(out, p)
		}
	}
	return out
}
