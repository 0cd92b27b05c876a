package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// tflogLogger sends the client's log lines to Terraform's log, masking
// secrets with tflog's own masking so they never reach TF_LOG output.
type tflogLogger struct{}

func (tflogLogger) Mask(ctx context.Context, secrets ...string) context.Context {
	nonEmpty := make([]string, 0, len(secrets))
	for _, s := range secrets {
		if s != "" {
			nonEmpty = append(nonEmpty, s)
		}
	}
	if len(nonEmpty) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, nonEmpty...)
	return tflog.MaskAllFieldValuesStrings(ctx, nonEmpty...)
}

func (tflogLogger) Log(ctx context.Context, level sovx.Level, msg string, fields map[string]any) {
	if level == sovx.LevelWarn {
		tflog.Warn(ctx, msg, fields)
		return
	}
	tflog.Debug(ctx, msg, fields)
}
