// Command sovx-fake runs the in-memory fake of the Customer Webhooks API on a
// loopback address, for `make demo` and for trying the provider without an
// account. It also runs a webhook receiver that answers every test payload
// with 200, so verify succeeds.
//
//	go run ./tools/cmd/sovx-fake -env-file /tmp/sovx.env
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address for the API to listen on")
	token := flag.String("token", "", "accepted session token (random when empty)")
	// Every customer id the README and docs use, so their snippets run as written.
	customers := flag.String("customers", "cus_demo,cus_123,cus_456", "comma-separated customer ids to seed")
	latency := flag.Duration("latency", 0, "delay added to every API request")
	dropCreates := flag.Bool("drop-create-answers", false,
		"store every create (POST), then close the connection without an answer, as a network cut would")
	envFile := flag.String("env-file", "", "write export lines for SOVX_ENDPOINT and SOVX_TOKEN here")
	tfvars := flag.String("tfvars", "", "write the demo's customer_id and webhook_url (the fake's receiver) here, as a .tfvars file")
	flag.Parse()
	log.SetFlags(log.Ltime)

	if *token == "" {
		*token = randomToken()
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	if host, _, _ := net.SplitHostPort(listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		log.Printf("warning: listening on %s, which is not a loopback address", host)
	}
	ids := slices.DeleteFunc(strings.Split(*customers, ","), func(s string) bool { return s == "" })
	api := sovxtest.NewUnstartedServer(sovxtest.Options{Token: *token, Customers: ids, Strict: true})
	api.SetListener(listener)
	api.Start()
	api.SetLatency(*latency)
	if *dropCreates {
		api.InjectFault(sovxtest.Fault{Method: http.MethodPost, DropAnswer: true})
	}
	defer api.Close()

	receiverListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen for the demo receiver: %v", err)
	}
	receiver := &http.Server{Handler: http.HandlerFunc(receive), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = receiver.Serve(receiverListener) }()
	defer func() { _ = receiver.Close() }()
	receiverURL := "http://" + receiverListener.Addr().String() + "/webhook/pin-notification"

	lines := []string{"SOVX_ENDPOINT=" + api.URL, "SOVX_TOKEN=" + api.Token}
	vars := fmt.Sprintf("customer_id = %q\nwebhook_url = %q\n", ids[0], receiverURL)
	// The tfvars file first: a caller waits for the env file, then uses both.
	writeOrDie(*tfvars, vars)
	writeOrDie(*envFile, "export "+strings.Join(lines, "\nexport ")+"\n")
	fmt.Printf("sovx fake API listening; customers: %s\n  %s\n  demo receiver: %s\n", strings.Join(ids, ", "),
		strings.Join(lines, "\n  "), receiverURL)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	log.Printf("stopping after %d API requests", len(api.Requests()))
}

// receive plays the customer's backend: it accepts test payloads and logs
// which headers arrived, never their values.
func receive(w http.ResponseWriter, r *http.Request) {
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	log.Printf("receiver: %s %s with headers %s", r.Method, r.URL.Path, strings.Join(names, ", "))
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"received":true}`))
}

// writeOrDie writes content to path, when path is set.
func writeOrDie(path, content string) {
	if path == "" {
		return
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		log.Fatalf("write %s: %v", path, err)
	}
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "demo_" + hex.EncodeToString(b)
}
