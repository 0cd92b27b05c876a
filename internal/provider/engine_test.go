package provider

import "testing"

func TestTracksFailedCreates(t *testing.T) {
	for v, want := range map[string]bool{
		"1.11.4": true, "1.14.0": true, "1.15.5": true, "1.12.6": true, // OpenTofu 1.12 reports its own version
		"1.16.0": false, "1.16.0-beta1": false, "1.16.4": false, "1.16.9": false, "1.17.0": false, "2.0.0": false,
		"": false, "not a version": false,
	} {
		t.Setenv(EnvTrackFailedCreates, "")
		got, err := tracksFailedCreates(v)
		if err != nil || got != want {
			t.Errorf("tracksFailedCreates(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for env, want := range map[string]bool{"true": true, "1": true, "false": false} {
		t.Setenv(EnvTrackFailedCreates, env)
		for _, v := range []string{"1.11.4", "1.16.4"} {
			if got, err := tracksFailedCreates(v); err != nil || got != want {
				t.Errorf("%s=%s on %s: %v, %v; want %v", EnvTrackFailedCreates, env, v, got, err, want)
			}
		}
	}
	t.Setenv(EnvTrackFailedCreates, "sometimes")
	if _, err := tracksFailedCreates("1.11.4"); err == nil || err.Error() != `SOVX_TRACK_FAILED_CREATES must be true or false, not "sometimes"` {
		t.Errorf("an invalid %s gave %v", EnvTrackFailedCreates, err)
	}
}
