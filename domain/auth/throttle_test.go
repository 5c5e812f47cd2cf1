package auth

import (
	"testing"
	"time"

	"densach/domain"
)

func TestLoginDelay(t *testing.T) {
	l := Limits{}.WithDefaults()
	for attempts, want := range map[int]time.Duration{
		0: 0, 4: 0, 5: time.Second, 6: 2 * time.Second, 9: 16 * time.Second,
		14: 512 * time.Second, 15: 15 * time.Minute, 60: 15 * time.Minute, 1 << 20: 15 * time.Minute,
	} {
		if got := l.loginDelay(attempts); got != want {
			t.Errorf("loginDelay(%d) = %v, want %v", attempts, got, want)
		}
	}
}

// TestDecideSignIn walks the policy through counters as the store would
// hold them, with explicit times: no clock, no database.
func TestDecideSignIn(t *testing.T) {
	l := Limits{}.WithDefaults()
	k := signInKeys("phone:0912000001", "203.0.113.10")
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	c := func(n int, at time.Time) domain.ThrottleCounter { return domain.ThrottleCounter{Attempts: n, At: at} }
	cases := []struct {
		name               string
		pair, login, addr  domain.ThrottleCounter
		now                time.Time
		wait               time.Duration
		wantPair, wantAddr int
	}{
		{"first attempt", c(0, t0), c(0, t0), c(0, t0), t0, 0, 1, 1},
		{"fresh address, login under attack", c(0, t0), c(40, t0), c(0, t0), t0, 0, 1, 1},
		{"failing pair inside the delay", c(3, t0), c(7, t0), c(3, t0), t0.Add(3 * time.Second), time.Second, 0, 0},
		{"failing pair after the delay", c(3, t0), c(7, t0), c(3, t0), t0.Add(4 * time.Second), 0, 4, 4},
		{"busy address inside the delay", c(0, t0), c(5, t0), c(30, t0), t0, time.Second, 0, 0},
		{"busy address, login not attacked", c(0, t0), c(4, t0), c(30, t0), t0, 0, 1, 31},
		{"pair at its limit", c(10, t0), c(0, t0), c(10, t0), t0.Add(5 * time.Minute), 10 * time.Minute, 0, 0},
		{"pair's window over", c(10, t0), c(0, t0), c(10, t0), t0.Add(15 * time.Minute), 0, 1, 1},
		{"login forgotten after a day", c(0, t0), c(100, t0), c(40, t0), t0.Add(24 * time.Hour), 0, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := map[string]domain.ThrottleCounter{}
			for key, v := range map[string]domain.ThrottleCounter{k.pair: tc.pair, k.login: tc.login, k.addr: tc.addr} {
				if v.Attempts > 0 {
					cur[key] = v
				}
			}
			wait, next := l.decideSignIn(k, cur, tc.now)
			if wait != tc.wait {
				t.Fatalf("wait %v, want %v", wait, tc.wait)
			}
			if wait > 0 {
				if next != nil {
					t.Fatal("a refused attempt was counted")
				}
				return
			}
			if next[k.pair].Attempts != tc.wantPair || next[k.addr].Attempts != tc.wantAddr || !next[k.login].At.Equal(tc.now) {
				t.Fatalf("counters after: %+v", next)
			}
		})
	}
}

func TestForgiveSignIn(t *testing.T) {
	k := signInKeys("phone:0912000001", "198.51.100.20")
	t0 := time.Now()
	// The owner failed twice here (pair 3 with this attempt) while a
	// stranger elsewhere failed 9 times: only the owner's are taken back.
	next := forgiveSignIn(k, map[string]domain.ThrottleCounter{
		k.pair:  {Attempts: 3, At: t0},
		k.login: {Attempts: 12, At: t0},
		k.addr:  {Attempts: 3, At: t0},
	})
	if next[k.pair].Attempts != 0 || next[k.login].Attempts != 9 || next[k.addr].Attempts != 2 {
		t.Fatalf("after a success: %+v", next)
	}
	if next := forgiveSignIn(k, map[string]domain.ThrottleCounter{}); next[k.login].Attempts != 0 || next[k.addr].Attempts != 0 {
		t.Fatalf("counters went negative: %+v", next)
	}
}

func TestClientNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":             "203.0.113.7",
		"::ffff:203.0.113.7":      "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":    "2001:db8:1:2::/64",
		"not an address":          "not an address",
		"2001:db8:1:3:3:4:5:6":    "2001:db8:1:3::/64",
		"0.0.0.0":                 "0.0.0.0",
		"fe80::1":                 "fe80::/64",
		"2001:db8::":              "2001:db8::/64",
		"2001:0db8:0000:0000::10": "2001:db8::/64",
	} {
		if got := ClientNetwork(in); got != want {
			t.Errorf("ClientNetwork(%q) = %q, want %q", in, got, want)
		}
	}
}
