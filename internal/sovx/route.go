package sovx

import (
	"context"
	"net/http"
	"net/url"
	"sync"
)

// routeCheck tells the API from something that does not know its routes (a gateway, a proxy, another service at a
// wrong endpoint), from a fact the reference states for every endpoint: a request without a valid token is answered
// 401.
type routeCheck struct {
	mu      sync.Mutex
	decided bool
	isAPI   bool
}

// confirmRoute reports whether the endpoint proved to be the API, asking at most once (again only after an answer
// that decided nothing: a transport error, a 429 or a 5xx).
func (c *Client) confirmRoute(ctx context.Context, method string, u *url.URL) bool {
	c.route.mu.Lock()
	defer c.route.mu.Unlock()
	if c.route.decided {
		return c.route.isAPI
	}
	header := c.header(false)
	header.Del("Authorization")
	// No retries: a 5xx decides nothing, and the check is asked again next time.
	resp, _, err := c.send(ctx, method, u, header, nil, 0)
	if err != nil {
		c.logger.Log(ctx, LevelDebug, "sovx endpoint check failed", map[string]any{"error": err.Error()})
		return false
	}
	drain(resp)
	c.logger.Log(ctx, LevelDebug, "sovx endpoint check: the same request without a token", map[string]any{
		"method": method, "status": resp.StatusCode, "is_api": resp.StatusCode == http.StatusUnauthorized,
	})
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return false
	}
	c.route.decided, c.route.isAPI = true, resp.StatusCode == http.StatusUnauthorized
	return c.route.isAPI
}
