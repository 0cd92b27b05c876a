package provider

import (
	"fmt"
	"os"
	"strconv"

	version "github.com/hashicorp/go-version"
)

// The one place that knows which engines may be given the partial state of
// a failed create (docs: the "Known engine issues" guide).
//
// Terraform 1.16.0 to 1.16.4 (internal/terraform/node_resource_apply_instance.go)
// taint a failed create by writing a tainted copy to the working state, then
// write the untainted object (status 0) back before tainting it once more.
// Another resource's state write in that window panics ("has status
// ObjectStatus(0), which cannot be saved in state") after truncating the
// local state file: every resource of the user's state is lost. Up to 1.15.x
// (maybeTainted) and OpenTofu are not affected. A null state is never
// encoded, so returning none from a failed create is safe on every engine.
//
// No fixed release is known: every version from 1.16.0 on counts as affected
// until one is, and then gets an upper bound here. OpenTofu reports its own
// version: 1.12.x is below the range (a future OpenTofu 1.16 would be treated
// as affected, which costs nothing but the take-over path below).
var firstEngineLosingFailedCreates = version.Must(version.NewVersion("1.16.0"))

// EnvTrackFailedCreates overrides the engine check: "true" records a failed
// create as tainted on any engine (on a fixed Terraform release, or to
// reproduce the engine's crash for a bug report), "false" never does.
const EnvTrackFailedCreates = "SOVX_TRACK_FAILED_CREATES"

// tracksFailedCreates reports whether a create that failed after the API may
// have stored the webhook returns its state (Terraform records it as tainted
// and replaces it on the next apply). When false, the create returns no state
// and the next apply takes the webhook over when it is exactly the one being
// written (see webhook.LooksLikeOurs). An engine version that cannot be read
// counts as affected.
func tracksFailedCreates(terraformVersion string) (bool, error) {
	if env := os.Getenv(EnvTrackFailedCreates); env != "" {
		track, err := strconv.ParseBool(env)
		if err != nil {
			return false, fmt.Errorf("%s must be true or false, not %q", EnvTrackFailedCreates, env)
		}
		return track, nil
	}
	return engineBeforeDefect(terraformVersion), nil
}

// engineBeforeDefect reports a readable version older than the defect.
func engineBeforeDefect(terraformVersion string) bool {
	v, err := version.NewVersion(terraformVersion)
	return err == nil && v.Core().LessThan(firstEngineLosingFailedCreates)
}

// failedCreateNotRecorded explains, on the engines that cannot record a
// failed create, what the user will see next.
const failedCreateNotRecorded = "This Terraform version cannot safely record a failed create in state (see the " +
	"provider's \"Known engine issues\" guide), so the webhook is not in state. If the API stored it, the next apply " +
	"finds it and takes it over, as long as it still has this URL and these header names."
