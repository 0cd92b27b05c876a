package sovxtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

var headerKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	const p = BasePath + "/customers/{customer_id}/webhooks"
	mux.HandleFunc("GET "+p, s.getWebhook)
	mux.HandleFunc("POST "+p, s.writeWebhook(s.dialect.CreatedStatus, "Webhook configured successfully"))
	mux.HandleFunc("PUT "+p, s.writeWebhook(http.StatusOK, "Webhook updated successfully"))
	mux.HandleFunc("DELETE "+p, s.deleteWebhook)
	mux.HandleFunc("POST "+p+"/verify", s.verifyWebhook)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if s.dialect.UnknownRouteText {
			http.NotFound(w, r)
			return
		}
		s.writeError(w, http.StatusNotFound, "NOT_FOUND", "no such route: "+r.Method+" "+r.URL.EscapedPath())
	})
	return s.middleware(mux, func(r *http.Request) bool {
		_, pattern := mux.Handler(r)
		return pattern != "/"
	})
}

// middleware records the request, then applies latency, faults, the token
// check and strict mode, in that order, before the route runs. Paths the API
// does not serve (known reports which it serves) skip the token check unless
// the dialect authenticates before routing.
func (s *Server) middleware(next http.Handler, known func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for peak := s.maxInFlight.Load(); n > peak && !s.maxInFlight.CompareAndSwap(peak, n); peak = s.maxInFlight.Load() {
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := Request{Method: r.Method, Path: r.URL.EscapedPath(), CustomerID: customerIDFromPath(r.URL), Header: r.Header.Clone(), Body: body, At: time.Now()}

		s.mu.Lock()
		s.requests = append(s.requests, rec)
		latency := s.latency + s.customerLatency[rec.CustomerID]
		fault := s.takeFault(rec)
		token := s.acceptedToken()
		for name, values := range s.answerHeaders {
			w.Header()[name] = values
		}
		s.mu.Unlock()

		sleep(r.Context(), latency)
		if b := s.limiter.Load(); b != nil && !b.admit(w) {
			s.throttled.Add(1)
			s.writeError(w, http.StatusTooManyRequests, "RATE_LIMITED", "Too many requests")
			return
		}
		if fault != nil {
			s.serveFault(w, r, fault, next)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token && (s.dialect.AuthBeforeRouting || known(r)) {
			s.writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", s.dialect.Messages.Unauthorized)
			return
		}
		if s.strict && s.maskSentBack(r.Method, rec.CustomerID, body) {
			s.writeError(w, http.StatusBadRequest, "MASK_SENT", "strict mode: a header value is a mask GET showed")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// customerIDFromPath extracts the unescaped customer id, for recording.
func customerIDFromPath(u *url.URL) string {
	rest, ok := strings.CutPrefix(u.EscapedPath(), BasePath+"/customers/")
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	id, err := url.PathUnescape(seg)
	if err != nil {
		return ""
	}
	return id
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request) {
	hook, ok := s.lookup(w, r.PathValue("customer_id"), true)
	if !ok {
		return
	}
	data := object{{"url", hook.URL}}
	if headers := s.dialect.order(hook.Headers); len(headers) > 0 {
		s.issueMasks(r.PathValue("customer_id"), headers)
		data = append(data, field{"headers", s.dialect.maskedHeaders(headers)})
	} else {
		switch s.dialect.NoHeaders {
		case NoHeadersEmpty:
			data = append(data, field{"headers", []Header{}})
		case NoHeadersNull:
			data = append(data, field{"headers", nil})
		}
	}
	s.writeData(w, http.StatusOK, data)
}

func (s *Server) writeWebhook(status int, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("customer_id")
		if _, ok := s.lookup(w, id, false); !ok {
			return
		}
		body, _ := io.ReadAll(r.Body)
		hook, bad := s.parseWebhook(body)
		if bad != nil {
			s.writeError(w, bad.status, bad.code, bad.message)
			return
		}
		hook = s.dialect.Stored(hook)
		s.mu.Lock()
		s.customers[id] = &hook
		s.mu.Unlock()
		s.writeData(w, status, object{{"message", message}, {"url", hook.URL}})
	}
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customer_id")
	if _, ok := s.lookup(w, id, s.dialect.DeleteWithoutWebhook404); !ok {
		return
	}
	s.mu.Lock()
	s.customers[id] = nil
	s.mu.Unlock()
	if s.dialect.DeleteEnvelope {
		s.writeData(w, http.StatusOK, object{{"message", "Webhook deleted successfully"}})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) verifyWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customer_id")
	hook, ok := s.lookup(w, id, true)
	if !ok {
		return
	}
	message, responseData := s.sendTestPayload(r, id, hook)
	data := object{{"message", message}}
	if responseData != nil {
		data = append(data, field{"response_data", responseData})
	}
	s.writeData(w, http.StatusOK, data)
}

// sendTestPayload POSTs a test notification with the configured headers to
// the webhook URL and describes the outcome as the API would.
func (s *Server) sendTestPayload(r *http.Request, customerID string, hook Webhook) (string, any) {
	payload, _ := json.Marshal(map[string]any{
		"event":       "webhook.test",
		"customer_id": customerID,
		"pin":         "000000",
		"message":     "This is a test withdrawal PIN notification",
		"timestamp":   time.Now().UTC().Format(time.RFC3339),
	})
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, hook.URL, bytes.NewReader(payload))
	if err != nil {
		return "Webhook test failed: invalid webhook URL", nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sovx-webhook-test/1.0")
	for _, h := range hook.Headers {
		req.Header.Set(h.Key, h.Value)
	}
	resp, err := s.verifyClient.Do(req)
	if err != nil {
		return "Webhook test failed: could not reach " + hook.URL, nil
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return s.dialect.VerifySuccess, nil
	}
	var data any
	if json.Unmarshal(body, &data) != nil {
		data = string(body)
	}
	return fmt.Sprintf(s.dialect.VerifyFailure, resp.StatusCode), data
}

// lookup finds the customer (404 when unknown) and, when needWebhook, its
// webhook (404 when not configured), writing the error itself.
func (s *Server) lookup(w http.ResponseWriter, id string, needWebhook bool) (Webhook, bool) {
	s.mu.Lock()
	hook, exists := s.customers[id]
	var out Webhook
	if hook != nil {
		out = copyWebhook(*hook)
	}
	s.mu.Unlock()
	switch {
	case !exists:
		s.writeError(w, http.StatusNotFound, "CUSTOMER_NOT_FOUND", s.dialect.Messages.CustomerNotFound)
		return out, false
	case needWebhook && hook == nil:
		s.writeError(w, http.StatusNotFound, "WEBHOOK_NOT_FOUND", s.dialect.Messages.WebhookNotConfigured)
		return out, false
	}
	return out, true
}

// rejection is a validation failure: status, API error code and message.
type rejection struct {
	status  int
	code    string
	message string
}

func (s *Server) invalid(format string, args ...any) *rejection {
	return &rejection{http.StatusUnprocessableEntity, "VALIDATION_FAILED",
		fmt.Sprintf(s.dialect.Messages.Validation, fmt.Sprintf(format, args...))}
}

// parseWebhook validates a configure/update body like the API: 422 for a
// malformed or incomplete body, 400 for a bad URL or header key.
func (s *Server) parseWebhook(body []byte) (Webhook, *rejection) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return Webhook{}, s.invalid("request body must be a JSON object")
	}
	rawURL, present := raw["url"]
	if !present {
		return Webhook{}, s.invalid("url is required")
	}
	u, ok := rawURL.(string)
	if !ok {
		return Webhook{}, s.invalid("url must be a string")
	}
	if parsed, err := url.Parse(u); err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return Webhook{}, &rejection{http.StatusBadRequest, "INVALID_URL", s.dialect.Messages.InvalidURL}
	}
	hook := Webhook{URL: u, Headers: []Header{}}
	rawHeaders, present := raw["headers"]
	if !present || rawHeaders == nil {
		return hook, nil
	}
	list, ok := rawHeaders.([]any)
	if !ok {
		return Webhook{}, s.invalid("headers must be an array")
	}
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			return Webhook{}, s.invalid("headers[%d] must be an object", i)
		}
		key, keyOK := obj["key"].(string)
		value, valueOK := obj["value"].(string)
		if !keyOK || !valueOK {
			return Webhook{}, s.invalid("headers[%d] needs a string key and a string value", i)
		}
		if !headerKeyPattern.MatchString(key) {
			return Webhook{}, &rejection{http.StatusBadRequest, "INVALID_HEADER_KEY", fmt.Sprintf(s.dialect.Messages.InvalidHeaderKey, key)}
		}
		hook.Headers = append(hook.Headers, Header{Key: key, Value: value})
	}
	return hook, nil
}

// meta is the envelope's metadata, with the trace id when the dialect puts
// it there.
func (s *Server) meta(traceID string) object {
	m := object{{"timestamp", time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}, {"version", "v1"}}
	if s.dialect.TraceID == TraceIDInMeta {
		m = append(m, field{"trace_id", traceID})
	}
	if s.dialect.ExtraFields {
		m = append(m, field{"request_region", "eu-west-1"}, field{"deprecations", []string{}})
	}
	return m
}

func (s *Server) writeData(w http.ResponseWriter, status int, data object) {
	if s.dialect.ExtraFields {
		data = append(object{{"object", "webhook"}}, append(data, field{"livemode", false})...)
	}
	s.writeEnvelope(w, status, object{{"success", true}, {"data", data}})
}

// writeEnvelope adds meta (before or after the rest, as the dialect says)
// and the trace id where the dialect carries it.
func (s *Server) writeEnvelope(w http.ResponseWriter, status int, body object) {
	meta := field{"meta", s.meta(s.newTraceID(w))}
	if s.dialect.MetaFirst {
		body = append(object{meta}, body...)
	} else {
		body = append(body, meta)
	}
	w.Header().Set("Content-Type", s.dialect.ContentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// order lists headers in the dialect's order.
func (d Dialect) order(headers []Header) []Header {
	out := append([]Header(nil), headers...)
	switch d.HeaderOrder {
	case HeadersReversed:
		slices.Reverse(out)
	case HeadersSorted:
		slices.SortFunc(out, func(a, b Header) int { return strings.Compare(a.Key, b.Key) })
	}
	return out
}

// object is a JSON object that keeps its fields in order, so a dialect
// decides the order instead of encoding/json's sorted map keys.
type object []field

type field struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Stored is what the dialect keeps of a webhook it is sent: as sent, or
// normalized as a server that stores through URL and HTTP libraries keeps
// it (Node.js's new URL(u).href: scheme and host in lower case, a default
// port dropped, "/" for an empty path, space and non-ASCII in the path,
// query and fragment percent-encoded; header names canonicalized).
func (d Dialect) Stored(hook Webhook) Webhook {
	if !d.NormalizeStore {
		return hook
	}
	if u, err := url.Parse(hook.URL); err == nil {
		u.Scheme = strings.ToLower(u.Scheme)
		host, port := strings.ToLower(u.Hostname()), u.Port()
		if port == map[string]string{"http": "80", "https": "443"}[u.Scheme] {
			port = ""
		}
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		u.Host = host
		if port != "" {
			u.Host += ":" + port
		}
		if u.Path == "" {
			u.Path = "/"
		}
		u.RawQuery = whatwgEncode(u.RawQuery, "\"#<>'")
		u.RawFragment = whatwgEncode(u.EscapedFragment(), "\"<>`")
		hook.URL = u.String()
	}
	out := make([]Header, len(hook.Headers))
	for i, h := range hook.Headers {
		out[i] = Header{Key: textproto.CanonicalMIMEHeaderKey(h.Key), Value: h.Value}
	}
	hook.Headers = out
	return hook
}

// whatwgEncode percent-encodes a query or fragment as the WHATWG URL
// standard does: controls, space, non-ASCII bytes and the given set.
func whatwgEncode(s, set string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(set, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
