package sovxtest

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"strings"
)

// writeError answers an error in the dialect's shape; cause is the
// specific code a dialect with specific codes sends.
func (s *Server) writeError(w http.ResponseWriter, status int, cause, message string) {
	d := s.dialect
	code := cause
	if d.GenericCodes {
		code = strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	if !d.ErrorCodes {
		code = ""
	}
	switch d.ErrorShape {
	case ErrorNested, ErrorString, ErrorFlat:
		s.writeErrorObject(w, status, code, message)
	case ErrorGenerated:
		ct, body := s.generatedError(status, code, message)
		s.writeRaw(w, status, ct, body)
	default:
		ct, body := fixedErrorBody(d.ErrorShape, status, code, message)
		s.writeRaw(w, status, ct, body)
	}
}

// writeErrorObject writes the JSON object shapes, framed as an envelope
// when the dialect says so.
func (s *Server) writeErrorObject(w http.ResponseWriter, status int, code, message string) {
	var body object
	switch s.dialect.ErrorShape {
	case ErrorNested:
		detail := object{{"message", message}}
		if code != "" {
			detail = append(object{{"code", code}}, detail...)
		}
		body = object{{"error", detail}}
	case ErrorString:
		body = object{{"error", message}}
	default:
		body = object{{"message", message}}
	}
	if s.dialect.ErrorShape != ErrorNested && code != "" {
		body = append(body, field{"code", code})
	}
	if s.dialect.ErrorEnvelope {
		s.writeEnvelope(w, status, append(object{{"success", false}}, body...))
		return
	}
	raw, _ := json.Marshal(body)
	s.writeRaw(w, status, s.dialect.ContentType, string(raw))
}

// fixedErrorBody renders the shapes that are not JSON objects of the
// API's own making.
func fixedErrorBody(shape ErrorShape, status int, code, message string) (contentType, body string) {
	switch shape {
	case ErrorProblem:
		typ := "about:blank"
		if code != "" {
			typ = "https://errors.example/" + strings.ToLower(code)
		}
		p := object{{"type", typ}, {"title", http.StatusText(status)}, {"status", status}, {"detail", message}}
		raw, _ := json.Marshal(p)
		return "application/problem+json", string(raw)
	case ErrorBareString:
		raw, _ := json.Marshal(message)
		return "application/json", string(raw)
	case ErrorPlainText:
		return "text/plain; charset=utf-8", message + "\n"
	case ErrorHTML:
		m := html.EscapeString(message)
		return "text/html", "<!DOCTYPE html><html><head><title>" + m + "</title></head><body><h1>" +
			html.EscapeString(http.StatusText(status)) + "</h1><p>" + m + "</p></body></html>"
	}
	return "", ""
}

// generatedError draws a shape nobody chose: a JSON object with a random
// subset of the fields servers use (the message in one of them, or in
// none), another JSON value, text, HTML or nothing, in a random content
// type. Replayable from the dialect's seed and the answers' order.
func (s *Server) generatedError(status int, code, message string) (contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errorRand == nil {
		s.errorRand = rand.New(rand.NewPCG(s.dialect.Seed, 0xe7707))
	}
	r := s.errorRand
	contentType = []string{"application/json", "application/problem+json", "text/plain", "text/html", ""}[r.IntN(5)]
	switch r.IntN(8) {
	case 0:
		return contentType, ""
	case 1:
		return contentType, message
	case 2:
		raw, _ := json.Marshal(message)
		return contentType, string(raw)
	case 3:
		return contentType, fmt.Sprintf("<html><body><h2>%d</h2><div>%s</div></body></html>", status, html.EscapeString(message))
	case 4:
		raw, _ := json.Marshal([]any{map[string]any{"msg": message, "loc": []string{"path"}}})
		return contentType, string(raw)
	}
	obj := map[string]any{}
	optional := map[string]any{
		"success": []any{false, true, "false", 0}[r.IntN(4)], "status": status, "code": code,
		"title": http.StatusText(status), "type": "about:blank", "timestamp": "2026-01-15T10:30:00.000Z",
		"path": "/sovx/v1/…", "request_id": fmt.Sprintf("req_%d", r.IntN(1e6)), "retryable": r.IntN(2) == 1,
	}
	for k, v := range optional {
		if r.IntN(2) == 1 {
			obj[k] = v
		}
	}
	places := []func(){
		func() { obj["message"] = message },
		func() { obj["error"] = message },
		func() { obj["error"] = map[string]any{"message": message, "code": code} },
		func() { obj["detail"] = message },
		func() { obj["errors"] = []any{map[string]any{"message": message}} },
		func() { obj["description"] = message },
		func() {},
	}
	places[r.IntN(len(places))]()
	raw, _ := json.Marshal(obj)
	return contentType, string(raw)
}

// writeRaw writes an error body as is, with the trace id in a header when
// the dialect carries it there.
func (s *Server) writeRaw(w http.ResponseWriter, status int, contentType, body string) {
	s.newTraceID(w)
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// newTraceID numbers an answer and sends its trace id in a header when the
// dialect carries it there.
func (s *Server) newTraceID(w http.ResponseWriter) string {
	traceID := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.traceSeq.Add(1))
	switch s.dialect.TraceID {
	case TraceIDInRequestIDHeader:
		w.Header().Set("X-Request-Id", traceID)
	case TraceIDInTraceIDHeader:
		w.Header().Set("X-Trace-Id", traceID)
	}
	return traceID
}
