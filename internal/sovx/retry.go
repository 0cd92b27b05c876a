package sovx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/sovera/terraform-provider-sovx/internal/pace"
)

// retryPolicy retries transport errors (connection refused or reset,
// timeouts) and 5xx except 501; never a 4xx, and never what no retry can
// fix: a host name that does not resolve, an untrusted certificate. A 429 is not a retry: the
// pacing (internal/pace) sends it again, without spending MaxRetries. Every call of this
// API is safe to repeat: GET, PUT and DELETE are idempotent, POST configure
// overwrites the whole configuration, and verify only sends a test payload.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if _, throttled := errors.AsType[*pace.ThrottledError](err); throttled {
		return false, nil // the caller's time ran out while the API refused: say so
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false, nil
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	return resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
}

// backoff is exponential between the client's bounds, except that a
// Retry-After from a 503 is honoured up to retryAfterMax.
func backoff(retryAfterMax time.Duration) retryablehttp.Backoff {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil && resp.StatusCode == http.StatusServiceUnavailable {
			if d, ok := pace.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				return min(d, retryAfterMax)
			}
		}
		return retryablehttp.DefaultBackoff(lo, hi, attempt, nil)
	}
}
