package sovx

import (
	"context"
	"fmt"
)

// Level is a log level understood by Logger.
type Level int

// Log levels, lowest first.
const (
	LevelTrace Level = iota
	LevelDebug
	LevelInfo
	LevelWarn
	LevelError
)

// Logger receives the client's log lines. The provider implements it with
// terraform-plugin-log; the client itself stays free of Terraform imports.
type Logger interface {
	// Mask returns a context under which the given strings never appear in
	// any message or field value logged with it.
	Mask(ctx context.Context, secrets ...string) context.Context
	// Log writes one structured line.
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

type discardLogger struct{}

func (discardLogger) Mask(ctx context.Context, _ ...string) context.Context { return ctx }
func (discardLogger) Log(context.Context, Level, string, map[string]any)    {}

// leveledLogger feeds retryablehttp's own log lines into Logger under the
// request's (masked) context.
type leveledLogger struct {
	ctx    context.Context
	logger Logger
}

func (l leveledLogger) Error(msg string, kv ...any) { l.log(LevelError, msg, kv) }
func (l leveledLogger) Info(msg string, kv ...any)  { l.log(LevelInfo, msg, kv) }
func (l leveledLogger) Debug(msg string, kv ...any) { l.log(LevelDebug, msg, kv) }
func (l leveledLogger) Warn(msg string, kv ...any)  { l.log(LevelWarn, msg, kv) }

func (l leveledLogger) log(level Level, msg string, kv []any) {
	fields := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		// Values are stringified so masking applies to errors and durations alike.
		fields[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
	}
	l.logger.Log(l.ctx, level, "retryablehttp: "+msg, fields)
}
