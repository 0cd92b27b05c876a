package provider

import (
	"context"
	"os"
	"os/signal"
)

// Terraform stops the provider's calls at the first Ctrl-C in `terraform
// plan` and in the apply walk, but not in the plan half of `terraform apply`:
// there it waits for the calls under way, each up to request_timeout per
// attempt (see the "Known engine issues" guide). Ctrl-C at a terminal also
// reaches every process of the foreground group, this provider included, so
// the provider ends its own reads then. Writes are left to the engine: it
// stops them where it can, and a write cut short leaves the outcome unknown.

// readsInterrupted is done once the process got an interrupt.
var readsInterrupted, interruptReads = context.WithCancel(context.Background())

// CancelReadsOnInterrupt makes an interrupt (SIGINT) end the reads under way
// and every later one. main calls it; tests do not.
func CancelReadsOnInterrupt() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt)
	go func() {
		<-signals
		interruptReads()
	}()
}

// readContext is ctx, ended too by an interrupt: for calls that only read.
func readContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(readsInterrupted, cancel)
	return ctx, func() { stop(); cancel() }
}
