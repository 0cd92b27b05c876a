package sovx

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
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
	f.Add(422, []byte(`{"errors":[{"msg":"Invalid value","path":"url","value":"https://u:p@h"}],"token":"fz-token-3a7c9e"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		const token = "fz-token-3a7c9e"
		red := NewRedactor(token)
		e := decodeAPIError(OpGet, http.MethodGet, "/p", status, traceIDOf(http.Header{}, body, red), 1, body, red)
		if e.StatusCode != status || e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("decode(%d, %q) = %+v", status, body, e)
		}
		shown := e.Error()
		if strings.IndexFunc(shown, isControl) >= 0 || strings.Contains(shown, token[:partialRun]) {
			t.Fatalf("shown %q holds a control character or the token", shown)
		}
		if len(e.Code) > 200 || len(e.Message) > 600 || len(e.Details) > maxDetails {
			t.Fatalf("unbounded: %d, %d, %d", len(e.Code), len(e.Message), len(e.Details))
		}
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

// FuzzShownText: whatever a server sends, a line shows no control
// character, no run of the token, and is bounded; a block keeps only tab and
// newline.
func FuzzShownText(f *testing.F) {
	const token = "fz-TOKEN-0123456789abcdef"
	f.Add("error \x1b[2J\u001b]8;;https://evil\u0007 " + token[3:20])
	f.Add("Authorization: Bearer " + base64.StdEncoding.EncodeToString([]byte("Authorization: Bearer "+token)))
	f.Add("tok: fz-TOK\nEN-0123\n456789abcdef")
	f.Add("\u0066\u007a-TOKEN-0123456789abcdef")
	f.Fuzz(func(t *testing.T, text string) {
		red := NewRedactor(token, "v\u00e4lue / x")
		for _, shown := range []string{red.Line(text, 300), red.Block(text, 300)} {
			if len(shown) > 300+40 {
				t.Fatalf("%d bytes shown, want at most 300 and the mark", len(shown))
			}
			if strings.IndexFunc(shown, func(r rune) bool { return r != '\n' && r != '\t' && isControl(r) }) >= 0 {
				t.Fatalf("a control character in %q", shown)
			}
		}
		if strings.Contains(red.Line(text+" "+token, 1<<20), token[:partialRun]) {
			t.Fatalf("the token shows in %q", red.Line(text+" "+token, 1<<20))
		}
	})
}
