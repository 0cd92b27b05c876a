package webhook

import (
	"encoding/hex"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// SameURL reports whether two webhook URLs are the same once normalized as URL libraries do when they store one (RFC
// 3986 section 6.2.2 and 6.2.3, WHATWG URL): scheme and host case, an IDN host and its punycode, a default port, an
// empty path and "/", percent-encoding case and needlessly encoded unreserved characters, dot segments, a trailing
// "?" with no query, a query or fragment character written raw or percent-encoded.
func SameURL(a, b string) bool {
	if a == b {
		return true
	}
	na, errA := NormalizeURL(a)
	nb, errB := NormalizeURL(b)
	return errA == nil && errB == nil && na == nb
}

// NormalizeURL returns the normal form of an absolute URL (see SameURL).
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := normalHost(u.Hostname())
	port := u.Port()
	if port == defaultPorts[u.Scheme] {
		port = ""
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host += ":" + port
	}
	p := normalEscapes(u.EscapedPath())
	if u.Host != "" && p == "" {
		p = "/"
	}
	p = removeDotSegments(p)
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if u.User != nil {
		b.WriteString(u.User.String() + "@")
	}
	b.WriteString(u.Host + p)
	if q := normalEscapes(encodeLoose(u.RawQuery)); q != "" {
		b.WriteString("?" + q)
	}
	if u.Fragment != "" {
		b.WriteString("#" + normalEscapes(encodeLoose(u.EscapedFragment())))
	}
	return b.String(), nil
}

// encodeLoose percent-encodes what URL libraries encode in a query or fragment when they store one (WHATWG's percent-
// encode sets: controls, space, quotes, angle brackets, backtick, and every byte of a non-ASCII character), so a
// value written raw and the same value stored encoded compare equal.
func encodeLoose(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"'<>`", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

var defaultPorts = map[string]string{"http": "80", "https": "443"}

// normalHost lower-cases a host and writes an internationalized name in
// punycode; IP addresses in their canonical form.
func normalHost(host string) string {
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	if ascii, err := idna.Lookup.ToASCII(strings.ToLower(host)); err == nil {
		return ascii
	}
	return strings.ToLower(host) // not a valid IDN (an underscore, say): as written
}

// normalEscapes upper-cases percent-encodings and decodes those of
// unreserved characters (RFC 3986 section 2.3), which never need them.
func normalEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			b.WriteByte(s[i])
			continue
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
		}
		i += 2
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
}

// removeDotSegments resolves "." and ".." segments (RFC 3986 section 5.2.4)
// and keeps everything else, empty segments included.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segments := strings.Split(p, "/")
	out := make([]string, 0, len(segments))
	for i, seg := range segments {
		last := i == len(segments)-1
		switch seg {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return strings.Join(out, "/")
}
