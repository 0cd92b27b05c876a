package sovx

import (
	"net/url"
	"regexp"
	"strings"
)

// hiddenPart stands for a secret part of a URL in text shown to the user.
const hiddenPart = "(hidden)"

// credentials is a URL's userinfo, up to the authority's last "@".
var credentials = regexp.MustCompile(`//[^/?#]*@`)

// ShowURL is a URL as the provider shows it in any text: scheme, host and
// path, with userinfo, query and fragment hidden. Webhook receivers take
// tokens in the query and passwords in the userinfo. It works on text that
// does not parse as a URL too.
func ShowURL(raw string) string {
	rest, fragment, hasFragment := strings.Cut(raw, "#")
	rest, _, hasQuery := strings.Cut(rest, "?")
	rest = credentials.ReplaceAllString(rest, "//"+hiddenPart+"@")
	if hasQuery {
		rest += "?" + hiddenPart
	}
	if hasFragment && fragment != "" {
		rest += "#" + hiddenPart
	}
	return bound(sanitize(rest), maxShownURL)
}

// maxShownURL bounds a URL as shown: a server may store and quote anything.
const maxShownURL = 500

// urlInText is a URL quoted in a text, JSON-escaped slashes included.
var urlInText = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*:(?:\\?/){2}[^\s"'<>\x60]+`)

// showURLs rewrites every URL a text quotes as ShowURL shows it: an API that
// quotes the URL it holds (in an error, in verify's outcome) may quote one
// the client does not know.
func showURLs(text string) string {
	if !strings.Contains(text, ":/") && !strings.Contains(text, `:\/`) {
		return text
	}
	return urlInText.ReplaceAllStringFunc(text, func(u string) string {
		return ShowURL(strings.ReplaceAll(u, `\/`, "/"))
	})
}

// urlSecrets are the parts of a URL that ShowURL hides, for redaction
// wherever a text quotes them in another form (encoded, alone). Parts
// shorter than shortSecret (a query's "v=1") tell nothing and are left.
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
