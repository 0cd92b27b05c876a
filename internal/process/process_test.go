package process

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

const address = "registry.terraform.io/sovera/sovx"

// clearTFLog removes every TF_LOG* variable for the test (restored after).
func clearTFLog(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	for _, name := range quietedLogVars(address) {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

func TestGarbageCollectorTarget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, c := range []struct {
		gogc string
		want int
	}{{"", gcPercent}, {"50", 100}} {
		t.Setenv("GOGC", c.gogc)
		debug.SetGCPercent(100) // what the runtime took from the environment
		Setup(address)
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q: target %d, want %d", c.gogc, got, c.want)
		}
	}
}

func TestLogsAreQuietWhenNobodyAsked(t *testing.T) {
	clearTFLog(t)
	Setup(address)
	for _, name := range quietedLogVars(address) {
		if got := os.Getenv(name); got != "OFF" {
			t.Errorf("%s = %q, want OFF", name, got)
		}
	}
	if want := "TF_LOG_PROVIDER_SOVX"; quietedLogVars(address)[0] != want {
		t.Errorf("the provider logger's level variable is %s, want %s", quietedLogVars(address)[0], want)
	}
}

func TestLogsAreUntouchedWhenAsked(t *testing.T) {
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"} {
		t.Run(asked, func(t *testing.T) {
			clearTFLog(t)
			t.Setenv(asked, "TRACE")
			Setup(address)
			for _, name := range quietedLogVars(address) {
				if name != asked && os.Getenv(name) != "" {
					t.Errorf("with %s set, %s was changed to %q", asked, name, os.Getenv(name))
				}
			}
		})
	}
}

// The provider's logger, set up from the environment as terraform-plugin-go
// sets it up for each RPC (tf6server: the log name and level variable come
// from the address), writes nothing when nobody asked for logs, and writes
// what the user asked for otherwise.
func TestProviderLoggerIsQuietWhenNobodyAsked(t *testing.T) {
	name := path.Base(address)
	for _, asked := range []string{"", "DEBUG"} {
		t.Run("level "+asked, func(t *testing.T) {
			clearTFLog(t)
			if asked != "" {
				t.Setenv(quietedLogVars(address)[0], asked)
			}
			Setup(address)
			// The logger writes to the stderr it finds when it is set up.
			stderr, out := os.Stderr, filepath.Join(t.TempDir(), "stderr")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			os.Stderr = f
			ctx := tfsdklog.NewRootProviderLogger(context.Background(), tfsdklog.WithLogName(name),
				tflog.WithLevelFromEnv("TF_LOG_PROVIDER", name))
			os.Stderr = stderr
			tflog.Debug(ctx, "sovx API request", map[string]any{"path": "/sovx/v1/customers/cus_1/webhooks"})
			tflog.Info(ctx, "create timeout configuration is null or unknown, using provided default")
			_ = f.Close()
			written, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(written) > 0 != (asked != "") {
				t.Errorf("with %s=%q the provider's logger wrote %q", quietedLogVars(address)[0], asked, written)
			}
		})
	}
}

func TestInterruptEndsTheContext(t *testing.T) {
	ctx := Setup(address)
	if ctx.Err() != nil {
		t.Fatal("the context ended before any interrupt")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not end the context")
	}
}
