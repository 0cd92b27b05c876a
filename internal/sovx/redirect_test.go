package sovx_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// No redirect is ever followed: whatever the status and method, nothing
// reaches the target (another host, another port, plain http), and the
// caller gets a *RedirectError that names the status and a Location without
// its userinfo or query.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = w.Write([]byte(`{"success":true,"data":{"message":"ok","url":"x"}}`))
	}))
	t.Cleanup(target.Close)
	elsewhere := strings.Replace(target.URL, "127.0.0.1", "localhost", 1) // another host, same machine
	calls := map[string]func(c *sovx.Client) error{
		"POST": func(c *sovx.Client) error {
			_, err := c.ConfigureWebhook(context.Background(), "cus_1", sovx.WebhookConfig{URL: "https://e.com",
				Headers: []sovx.Header{{Key: "X-API-Key", Value: "secret"}}})
			return err
		},
		"PUT": func(c *sovx.Client) error {
			_, err := c.UpdateWebhook(context.Background(), "cus_1", sovx.WebhookConfig{URL: "https://e.com"})
			return err
		},
		"DELETE": func(c *sovx.Client) error { return c.DeleteWebhook(context.Background(), "cus_1") },
		"GET":    func(c *sovx.Client) error { _, err := c.GetWebhook(context.Background(), "cus_1"); return err },
		"verify": func(c *sovx.Client) error { _, err := c.VerifyWebhook(context.Background(), "cus_1"); return err },
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, to := range []string{target.URL, elsewhere} {
			for name, call := range calls {
				c := redirecting(t, status, "http://user:pw@"+strings.TrimPrefix(to, "http://")+"/hook?token=abc#f", false)
				err := call(c)
				var redirect *sovx.RedirectError
				if !errors.As(err, &redirect) || redirect.StatusCode != status || redirect.Location != to+"/hook" {
					t.Errorf("%d to %s on %s: %v, want a RedirectError to %s/hook", status, to, name, err, to)
				}
				if strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "abc") {
					t.Errorf("the error shows the Location's userinfo or query: %v", err)
				}
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d request(s) followed a redirect to the target", n)
	}
}

// An https endpoint redirected to plain http is not followed (the token
// would travel in clear text); an http endpoint redirected to its https
// twin is reported as such, so the message can say to use https.
func TestRedirectsBetweenSchemes(t *testing.T) {
	var reached atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	t.Cleanup(plain.Close)
	c := redirecting(t, 308, plain.URL+"/sovx/v1/customers/cus_1/webhooks", true)
	_, err := c.GetWebhook(context.Background(), "cus_1")
	var redirect *sovx.RedirectError
	if !errors.As(err, &redirect) || redirect.ToHTTPS || reached.Load() != 0 {
		t.Errorf("https to http: %v (reached %d), want a RedirectError, not followed", err, reached.Load())
	}
	c = redirecting(t, 301, "https://127.0.0.1/sovx/v1/customers/cus_1/webhooks", false)
	if _, err = c.GetWebhook(context.Background(), "cus_1"); !errors.As(err, &redirect) || !redirect.ToHTTPS {
		t.Errorf("http to https on the same host: %v, want ToHTTPS", err)
	}
}

// redirecting is an API endpoint (http, or https with tls) that answers
// every request with status and Location.
func redirecting(t *testing.T, status int, location string, tls bool) *sovx.Client {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	})
	srv := httptest.NewUnstartedServer(h)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	c, err := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1", Token: "t", MaxRetries: 0,
		BaseTransport: srv.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
