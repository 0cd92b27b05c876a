package webhook

import "testing"

func TestSameURL(t *testing.T) {
	same := [][2]string{
		{"http://LocalHost:8080/hook", "http://localhost:8080/hook"},
		{"HTTPS://Example.COM/hook", "https://example.com/hook"},
		{"https://example.com:443/hook", "https://example.com/hook"},
		{"http://example.com:80/hook", "http://example.com/hook"},
		{"https://example.com", "https://example.com/"},
		{"https://example.com/a%2fb", "https://example.com/a%2Fb"},
		{"https://example.com/%7Euser/hook", "https://example.com/~user/hook"},
		{"https://bücher.example/hook", "https://xn--bcher-kva.example/hook"},
		{"https://example.com/a/./b/../hook", "https://example.com/a/hook"},
		{"https://example.com/hook?", "https://example.com/hook"},
		{"https://example.com/hook?a=%3d", "https://example.com/hook?a=%3D"},
		{"http://[::1]:80/hook", "http://[0:0:0:0:0:0:0:1]/hook"},
		{"https://example.com:/hook", "https://example.com/hook"},
		// Query and fragment as new URL(u).href stores them (WHATWG).
		{"https://hooks.example/pin?q=a b", "https://hooks.example/pin?q=a%20b"},
		{"https://hooks.example/pin?city=münchen", "https://hooks.example/pin?city=m%C3%BCnchen"},
		{"https://hooks.example/pin?q=\"x\"<y>", "https://hooks.example/pin?q=%22x%22%3Cy%3E"},
		{"https://hooks.example/pin#sec tion", "https://hooks.example/pin#sec%20tion"},
		{"https://hooks.example/pin#ü", "https://hooks.example/pin#%c3%bc"},
	}
	for _, c := range same {
		if !SameURL(c[0], c[1]) || !SameURL(c[1], c[0]) {
			t.Errorf("SameURL(%q, %q) = false, want true", c[0], c[1])
		}
	}
	different := [][2]string{
		{"https://example.com/hook", "https://example.com/Hook"},
		{"https://example.com/hook", "https://example.com/hook/"},
		{"https://example.com/hook", "https://example.org/hook"},
		{"https://example.com/hook", "http://example.com/hook"},
		{"https://example.com:8443/hook", "https://example.com/hook"},
		{"https://example.com/hook?a=1", "https://example.com/hook?a=2"},
		{"https://example.com/hook?a=1&b=2", "https://example.com/hook?b=2&a=1"},
		{"https://example.com/a//b", "https://example.com/a/b"},
		{"https://example.com/a%2Fb", "https://example.com/a/b"},
		{"https://example.com/hook#x", "https://example.com/hook"},
		{"https://user@example.com/hook", "https://example.com/hook"},
		{"https://hooks.example/pin?q=a b", "https://hooks.example/pin?q=a+b"},
		{"https://hooks.example/pin?q=a b", "https://hooks.example/pin?q=ab"},
		{"https://hooks.example/pin?city=münchen", "https://hooks.example/pin?city=munchen"},
		{"https://hooks.example/pin?a=%26", "https://hooks.example/pin?a=&"},
	}
	for _, c := range different {
		if SameURL(c[0], c[1]) || SameURL(c[1], c[0]) {
			t.Errorf("SameURL(%q, %q) = true, want false", c[0], c[1])
		}
	}
}
