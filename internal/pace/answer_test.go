package pace

import (
	"net/http"
	"testing"
	"time"
)

func TestReadAnswer(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		status  int
		headers map[string]string
		want    Answer
	}{
		{"nothing announced", 200, nil, Answer{}},
		{"limit and room", 200, map[string]string{"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "7"},
			Answer{Limit: 50, Remaining: 7, HasRemaining: true}},
		{"Retry-After in seconds", 429, map[string]string{"Retry-After": "3"},
			Answer{Refused: true, Wait: 3 * time.Second, HasWait: true}},
		{"Retry-After as an HTTP date", 429, map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)},
			Answer{Refused: true, Wait: 90 * time.Second, HasWait: true}},
		{"a date gone by waits nothing", 429, map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)},
			Answer{Refused: true, HasWait: true}},
		{"Retry-After before X-RateLimit-Reset", 429, map[string]string{"Retry-After": "2", "X-RateLimit-Reset": "9"},
			Answer{Refused: true, Wait: 2 * time.Second, HasWait: true}},
		{"X-RateLimit-Reset in seconds", 429, map[string]string{"X-RateLimit-Reset": "0.5"},
			Answer{Refused: true, Wait: 500 * time.Millisecond, HasWait: true}},
		{"X-RateLimit-Reset as a Unix time", 429, map[string]string{"X-RateLimit-Reset": "1796126410"},
			Answer{Refused: true, Wait: 10 * time.Second, HasWait: true}},
		{"absurd waits are capped", 429, map[string]string{"Retry-After": "99999999999999"},
			Answer{Refused: true, Wait: longestWait, HasWait: true}},
		{"absurd limits announce nothing", 200, map[string]string{"X-RateLimit-Limit": "0.001", "X-RateLimit-Remaining": "0"},
			Answer{HasRemaining: true}},
		{"NaN", 200, map[string]string{"X-RateLimit-Limit": "NaN"}, Answer{}},
		{"Inf", 200, map[string]string{"X-RateLimit-Limit": "+Inf"}, Answer{}},
		{"1e308", 200, map[string]string{"X-RateLimit-Limit": "1e308"}, Answer{}},
		{"garbage tells nothing", 429, map[string]string{"Retry-After": "soon", "X-RateLimit-Limit": "-3", "X-RateLimit-Remaining": "x"},
			Answer{Refused: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
			for k, v := range tc.headers {
				resp.Header.Set(k, v)
			}
			if got := ReadAnswer(resp, now); got != tc.want {
				t.Errorf("ReadAnswer = %+v, want %+v", got, tc.want)
			}
		})
	}
}
