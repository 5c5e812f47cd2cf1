package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is the clock the sign-in use case reads in throttling tests:
// delays are measured by moving it, never by sleeping.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixedClock is a clock that stays at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// proxied is a server behind a trusted proxy (app.Test's peer, 0.0.0.0),
// whose X-Forwarded-For names the client, on e's database and services.
func proxied(e *testEnv) *testEnv {
	env := *e
	env.srv = New(Config{Development: true, RequestTimeout: 5 * time.Second, TrustedProxies: []string{"0.0.0.0"}}, e.srv.Deps)
	return &env
}

// loginFrom signs in from the client address addr; it returns the status
// and the Retry-After header in seconds (0 when absent).
func loginFrom(t *testing.T, e *testEnv, addr, login, password string) (int, int) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"login":"`+login+`","password":"`+password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	resp, body := authDo(t, e, req)
	ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode == http.StatusTooManyRequests && (ra <= 0 || body["code"] != "rate_limited") {
		t.Fatalf("429 without a Retry-After or code: %q %v", resp.Header.Get("Retry-After"), body)
	}
	return resp.StatusCode, ra
}

const (
	strangerAddr = "203.0.113.10"
	ownerAddr    = "198.51.100.20"
	officeAddr   = "192.0.2.50"
)

// TestAuthThrottleStrangerCannotLockOutOwner: a stranger who knows the
// owner's phone number fails again and again from one address. The stranger
// is slowed, with growing delays, then refused; the owner, from another
// address with the right password, gets in at every moment.
func TestAuthThrottleStrangerCannotLockOutOwner(t *testing.T) {
	e := proxied(newTestEnv(t))
	clk := &testClock{now: time.Now()}
	e.srv.Auth.Now = clk.Now
	p := e.w.TeacherA1
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)

	// Five free failures.
	for i := 1; i <= 5; i++ {
		if st, _ := loginFrom(t, e, strangerAddr, phone, "sai mật khẩu"); st != http.StatusUnauthorized {
			t.Fatalf("stranger's failure %d: %d, want 401", i, st)
		}
	}
	// Then each further guess waits twice as long as the one before; a
	// guess before its time is refused, the right password included.
	var waits []int
	for i := 6; i <= 10; i++ {
		st, wait := loginFrom(t, e, strangerAddr, phone, "sai mật khẩu")
		if st != http.StatusTooManyRequests {
			t.Fatalf("stranger's guess %d without waiting: %d, want 429", i, st)
		}
		if st, _ := loginFrom(t, e, strangerAddr, phone, testPassword); st != http.StatusTooManyRequests {
			t.Fatalf("right password from the failing address before the delay: %d, want 429", st)
		}
		waits = append(waits, wait)
		// The owner, elsewhere, is not delayed by any of it.
		if st, _ := loginFrom(t, e, ownerAddr, phone, testPassword); st != http.StatusOK {
			t.Fatalf("owner from another address while the stranger waits: %d, want 200", st)
		}
		clk.Advance(time.Duration(wait) * time.Second)
		if st, _ := loginFrom(t, e, strangerAddr, phone, "sai mật khẩu"); st != http.StatusUnauthorized {
			t.Fatalf("stranger's guess %d after waiting %ds: %d, want 401", i, wait, st)
		}
	}
	for i, w := range []int{1, 2, 4, 8, 16} {
		if waits[i] != w {
			t.Fatalf("delays %v, want 1 2 4 8 16 seconds", waits)
		}
	}
	// Ten failures from one address: that pair is refused for the window,
	// however long the stranger waits for the login's delay.
	clk.Advance(time.Minute)
	st, wait := loginFrom(t, e, strangerAddr, phone, "sai mật khẩu")
	if st != http.StatusTooManyRequests || wait < 10*60 {
		t.Fatalf("eleventh guess from the address: %d, wait %ds; want 429 for the rest of the window", st, wait)
	}
	// A second stranger on a fresh address gets one guess, then the
	// login's delay (now 32 s after the last failure) applies to them too.
	helper := "203.0.113.77"
	if st, _ := loginFrom(t, e, helper, phone, "đoán"); st != http.StatusUnauthorized {
		t.Fatalf("fresh address, first guess: %d, want 401", st)
	}
	if st, wait := loginFrom(t, e, helper, phone, "đoán"); st != http.StatusTooManyRequests || wait != 64 {
		t.Fatalf("fresh address, second guess: %d, wait %d; want 429 and 64 s", st, wait)
	}
	// The owner still gets in from their address, and then from a new one.
	for _, addr := range []string{ownerAddr, "2001:db8:7::1"} {
		if st, _ := loginFrom(t, e, addr, phone, testPassword); st != http.StatusOK {
			t.Fatalf("owner from %s: %d, want 200", addr, st)
		}
	}
	// Once the window has passed the stranger's pair may try again, after
	// the login's delay: slowed, never locked.
	clk.Advance(15 * time.Minute)
	if st, _ := loginFrom(t, e, strangerAddr, phone, "sai mật khẩu"); st != http.StatusUnauthorized {
		t.Fatalf("stranger after the window: %d, want 401", st)
	}
}

// TestAuthThrottleSharedAddress: people of a commune office share one
// address. One guesser there, trying many logins, refuses no colleague: a
// colleague with the right password gets in, and a colleague's typo costs
// nothing; only the logins the guesser attacks are slowed for that address.
func TestAuthThrottleSharedAddress(t *testing.T) {
	e := proxied(newTestEnv(t))
	e.srv.Auth.Now = (&testClock{now: time.Now()}).Now
	e.setPassword(e.w.TeacherA1, testPassword)
	e.setPassword(e.w.ManagerA1, testPassword)
	e.setPassword(e.w.LearnerA1, testPassword)
	victim := e.phoneOf(e.w.LearnerA1.PersonID)
	// Forty logins, one guess each, all failing: past the address's 30.
	for i := range 40 {
		login := "09870000" + strconv.Itoa(10+i)
		if st, _ := loginFrom(t, e, officeAddr, login, "123456789"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d, want 401", i+1, st)
		}
	}
	// The guesser then works on one colleague's login.
	for i := 1; i <= 5; i++ {
		if st, _ := loginFrom(t, e, officeAddr, victim, "123456789"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d on the victim: %d, want 401", i, st)
		}
	}
	if st, _ := loginFrom(t, e, officeAddr, victim, "123456789"); st != http.StatusTooManyRequests {
		t.Fatalf("sixth guess on the victim: %d, want 429", st)
	}
	// Colleagues at the same office still sign in, one after a typo.
	if st, _ := loginFrom(t, e, officeAddr, e.phoneOf(e.w.TeacherA1.PersonID), testPassword); st != http.StatusOK {
		t.Fatalf("colleague at the office: %d, want 200", st)
	}
	manager := e.phoneOf(e.w.ManagerA1.PersonID)
	if st, _ := loginFrom(t, e, officeAddr, manager, "gõ nhầm"); st != http.StatusUnauthorized {
		t.Fatalf("colleague's typo: %d, want 401", st)
	}
	if st, _ := loginFrom(t, e, officeAddr, manager, testPassword); st != http.StatusOK {
		t.Fatalf("colleague after a typo: %d, want 200", st)
	}
	// The victim, from home, is not affected.
	if st, _ := loginFrom(t, e, ownerAddr, victim, testPassword); st != http.StatusOK {
		t.Fatalf("victim from another address: %d, want 200", st)
	}
}
