package sovx

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Redacted replaces a secret in text shown to the user.
const Redacted = "(sensitive value)"

// Redactor hides known secrets (the session token, header values, a
// webhook URL's secret parts) in any text a server or a webhook endpoint
// sent back, in every form a quote may take: as is, JSON-escaped,
// \u-escaped, URL-encoded (any hex case) and base64 in its four alphabets;
// and the secret parts of any URL the text quotes. It is the one redaction
// path: API error codes and messages, unexpected bodies, verify messages and
// the endpoint's answers all go through it. The zero value hides URLs' parts
// only.
type Redactor struct {
	re *regexp.Regexp
}

// shortSecret is the length under which a secret is hidden only where it
// stands alone: a value such as "1" or "on" would otherwise shred every
// message (trace ids included), and inside a longer word it tells nothing.
const shortSecret = 4

// NewRedactor returns a Redactor for the non-empty secrets.
func NewRedactor(secrets ...string) Redactor {
	var forms []string
	for _, s := range secrets {
		if s != "" {
			forms = append(forms, secretForms(s)...)
		}
	}
	if len(forms) == 0 {
		return Redactor{}
	}
	// Longest first, so a form is never cut by a shorter one inside it.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	forms = slices.Compact(forms)
	quoted := make([]string, len(forms))
	for i, f := range forms {
		quoted[i] = regexp.QuoteMeta(f)
		if strings.ContainsAny(f, `%\`) {
			quoted[i] = "(?i:" + quoted[i] + ")" // hex digits in either case
		}
		if len(f) < shortSecret {
			quoted[i] = wordEdge(f[0]) + quoted[i] + wordEdge(f[len(f)-1])
		}
	}
	return Redactor{re: regexp.MustCompile(strings.Join(quoted, "|"))}
}

// wordEdge is a word boundary beside a word character, nothing otherwise.
func wordEdge(c byte) string {
	if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return `\b`
	}
	return ""
}

// Redact shows every URL in text as ShowURL does, then replaces every form
// of every secret.
func (r Redactor) Redact(text string) string {
	text = showURLs(text)
	if r.re == nil || text == "" {
		return text
	}
	return r.re.ReplaceAllLiteralString(text, Redacted)
}

// secretForms lists how a secret may appear quoted back.
func secretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), uEscaped(s),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.URLEncoding.EncodeToString([]byte(s)),
		base64.RawStdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))}
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		forms = append(forms, strings.TrimSuffix(plain.String(), "\n")[1:len(strings.TrimSuffix(plain.String(), "\n"))-1])
	}
	return forms
}

// uEscaped writes every character as a JSON \u escape.
func uEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xffff {
			hi, lo := (r-0x10000)>>10+0xd800, (r-0x10000)&0x3ff+0xdc00
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}
