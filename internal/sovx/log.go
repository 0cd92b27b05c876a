package sovx

import (
	"context"
)

// Level is a log level understood by Logger.
type Level int

// The log levels the client writes at.
const (
	LevelDebug Level = iota
	LevelWarn
)

// Logger receives the client's log lines. The provider implements it with
// terraform-plugin-log; the client itself stays free of Terraform imports.
type Logger interface {
	// Mask returns a context under which the given strings never appear in any message or field value logged with it.
	Mask(ctx context.Context, secrets ...string) context.Context
	// Log writes one structured line.
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

type discardLogger struct{}

func (discardLogger) Mask(ctx context.Context, _ ...string) context.Context { return ctx }
func (discardLogger) Log(context.Context, Level, string, map[string]any)    {}
