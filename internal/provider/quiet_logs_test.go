package provider

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

var sdkLogVars = quietedLogVars()

// clearTFLog removes every TF_LOG* variable for the test (restored after).
func clearTFLog(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	for _, name := range sdkLogVars {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

func TestLogsAreQuietWhenNobodyAsked(t *testing.T) {
	clearTFLog(t)
	QuietLogsUnlessAsked()
	for _, name := range sdkLogVars {
		if got := os.Getenv(name); got != "OFF" {
			t.Errorf("%s = %q, want OFF", name, got)
		}
	}
}

func TestLogsAreUntouchedWhenAsked(t *testing.T) {
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"} {
		t.Run(asked, func(t *testing.T) {
			clearTFLog(t)
			t.Setenv(asked, "TRACE")
			QuietLogsUnlessAsked()
			for _, name := range sdkLogVars {
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
	name := path.Base(Address)
	for _, asked := range []string{"", "DEBUG"} {
		t.Run("level "+asked, func(t *testing.T) {
			clearTFLog(t)
			if asked != "" {
				t.Setenv(providerLogLevelVar, asked)
			}
			QuietLogsUnlessAsked()
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
			tflogLogger{}.Log(ctx, sovx.LevelDebug, "GET /sovx/v1/customers/cus_1/webhooks", nil)
			tflog.Info(ctx, "create timeout configuration is null or unknown, using provided default")
			_ = f.Close()
			written, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(written) > 0 != (asked != "") {
				t.Errorf("with %s=%q the provider's logger wrote %q", providerLogLevelVar, asked, written)
			}
		})
	}
}
