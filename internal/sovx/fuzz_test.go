package sovx

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// FuzzDecodeAPIError: any error body, JSON or not, decodes without panicking
// into an error that keeps the status and always has a message.
func FuzzDecodeAPIError(f *testing.F) {
	f.Add(422, []byte(`{"success":false,"error":{"code":"VALIDATION_FAILED","message":"url is required"},"meta":{"trace_id":"t"}}`))
	f.Add(404, []byte(`{"message":"customer not found"}`))
	f.Add(500, []byte(`{"error":"boom"}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(401, []byte(""))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeAPIError(OpGet, http.MethodGet, "/p", status, traceIDOf(http.Header{}, body), 1, body)
		if e.StatusCode != status || e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("decode(%d, %q) = %+v", status, body, e)
		}
		_ = e.Error()
		if IsNotFound(e) {
			t.Fatalf("the body alone made a 404 the API's: %+v", e)
		}
		for _, confirmed := range []bool{false, true} {
			e.RouteConfirmed = confirmed
			if IsCustomerNotFound(e) && IsWebhookNotConfigured(e) {
				t.Fatalf("a 404 cannot be both customer-not-found and webhook-not-configured: %+v", e)
			}
			if status == http.StatusNotFound && confirmed && !IsCustomerNotFound(e) && !IsWebhookNotConfigured(e) {
				t.Fatalf("an API 404 on GET must mean one of the two documented things: %+v", e)
			}
			if IsNotFound(e) == IsWrongEndpoint(e) && status == http.StatusNotFound {
				t.Fatalf("a 404 is the API's or not: %+v", e)
			}
		}
	})
}

// FuzzDecodeEnvelope: any 2xx body either decodes into data or is a
// DecodeError; never a panic, never silently empty data.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add([]byte(`{"success":true,"data":{"url":"https://x","headers":[{"key":"K","value":"***masked***"}]},"meta":{"trace_id":"t"}}`))
	f.Add([]byte(`{"success":true,"data":{"message":"Webhook test failed: x","response_data":{"a":[1,2]}}}`))
	f.Add([]byte(`{"success":true}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &response{status: 200, body: body}
		w, err := decodeData[Webhook](resp)
		if err == nil && w == nil {
			t.Fatal("no error and no data")
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T, want *DecodeError", err)
			}
		}
		v, err := decodeData[VerifyResult](resp)
		if err == nil && v.ResponseData != nil && !json.Valid(v.ResponseData) {
			t.Fatalf("response_data %q is not valid JSON", v.ResponseData)
		}
	})
}
