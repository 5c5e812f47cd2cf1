package main

import "testing"

// TestConfigJobWorkers: workers run by default, JOBS_WORKERS=false turns
// them off on an instance, and anything but true or false is refused.
func TestConfigJobWorkers(t *testing.T) {
	for _, c := range []struct {
		env           map[string]string
		workers, poll bool
		wantErr       bool
	}{
		{env: nil, workers: true},
		{env: map[string]string{"JOBS_WORKERS": "false"}, workers: false},
		{env: map[string]string{"JOBS_WORKERS": "true", "JOBS_POLL_ONLY": "true"}, workers: true, poll: true},
		{env: map[string]string{"JOBS_WORKERS": "no"}, wantErr: true},
		{env: map[string]string{"JOBS_POLL_ONLY": "1"}, wantErr: true},
	} {
		cfg, err := loadConfig(envOf(c.env))
		if c.wantErr {
			if err == nil {
				t.Errorf("%v: accepted", c.env)
			}
			continue
		}
		if err != nil || cfg.JobWorkers != c.workers || cfg.JobsPollOnly != c.poll {
			t.Errorf("%v: workers %v poll %v err %v, want %v %v", c.env, cfg.JobWorkers, cfg.JobsPollOnly, err, c.workers, c.poll)
		}
	}
}
