package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"

	"densach/domain"
)

// Limits is the sign-in throttling policy (the README's "Sign-in
// throttling" says it in words). Zero fields take the defaults.
//
//   - A login and address pair may fail PerPair times per Window; then that
//     pair is refused until the window ends. Only the guesser is refused.
//   - A login that failed more than FreePerLogin times (from anywhere,
//     forgotten LoginMemory after its last attempt) makes every further
//     attempt from a failing address wait BaseDelay, doubling per failure,
//     at most MaxDelay after the last one: guessing slows down; nothing is
//     locked.
//   - A failing address is one that failed for this login in the window,
//     or failed PerAddress times for any logins. An owner with the right
//     password from another address is never delayed by what strangers did,
//     and one guesser behind a shared address (a commune office) refuses
//     no colleague: the address only loses its exemption from the delays
//     of logins that are under attack.
type Limits struct {
	PerPair      int
	Window       time.Duration
	FreePerLogin int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	LoginMemory  time.Duration
	PerAddress   int
}

// WithDefaults fills the zero fields with the defaults.
func (l Limits) WithDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.PerPair, 10)
	def(&l.FreePerLogin, 5)
	def(&l.PerAddress, 30)
	defD(&l.Window, 15*time.Minute)
	defD(&l.BaseDelay, time.Second)
	defD(&l.MaxDelay, 15*time.Minute)
	defD(&l.LoginMemory, 24*time.Hour)
	return l
}

// throttleKeys are the counters one sign-in attempt touches.
type throttleKeys struct {
	pair, login, addr string
}

func signInKeys(login, address string) throttleKeys {
	net := ClientNetwork(address)
	return throttleKeys{
		pair:  throttleKey("pair", login+"\x00"+net),
		login: throttleKey("login", login),
		addr:  throttleKey("addr", net),
	}
}

// throttleKey names a counter. The value is hashed: the table then holds
// no phone numbers or addresses, and every key has one length.
func throttleKey(kind, value string) string {
	h := sha256.Sum256([]byte(value))
	return kind + ":" + hex.EncodeToString(h[:16])
}

// ClientNetwork is the unit an address counts as: the address itself for
// IPv4, its /64 for IPv6, since one subscriber usually holds a whole /64
// and could otherwise take a fresh address for every guess.
func ClientNetwork(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// window is a counter in a fixed window that starts with its first attempt.
func window(c domain.ThrottleCounter, now time.Time, length time.Duration) domain.ThrottleCounter {
	if c.Attempts == 0 || !now.Before(c.At.Add(length)) {
		return domain.ThrottleCounter{At: now}
	}
	return c
}

// loginDelay is how long after a login's last attempt the next may come
// from a failing address, given its attempts so far.
func (l Limits) loginDelay(attempts int) time.Duration {
	over := attempts - l.FreePerLogin
	if over < 0 {
		return 0
	}
	d := l.BaseDelay
	for range over {
		d *= 2
		if d >= l.MaxDelay {
			return l.MaxDelay
		}
	}
	return min(d, l.MaxDelay)
}

// decideSignIn applies the policy to the counters before an attempt. It
// returns how long the caller must wait (zero: go ahead) and, when the
// attempt goes ahead, the counters with it counted. Counting before the
// password is checked, and giving the attempt back on success, keeps
// parallel guesses from slipping past a limit.
func (l Limits) decideSignIn(k throttleKeys, cur map[string]domain.ThrottleCounter, now time.Time) (time.Duration, map[string]domain.ThrottleCounter) {
	pair := window(cur[k.pair], now, l.Window)
	addr := window(cur[k.addr], now, l.Window)
	login := cur[k.login]
	if login.Attempts > 0 && !now.Before(login.At.Add(l.LoginMemory)) {
		login = domain.ThrottleCounter{}
	}
	if pair.Attempts >= l.PerPair {
		return pair.At.Add(l.Window).Sub(now), nil
	}
	failing := pair.Attempts > 0 || addr.Attempts >= l.PerAddress
	if failing && login.Attempts > 0 {
		if wait := login.At.Add(l.loginDelay(login.Attempts)).Sub(now); wait > 0 {
			return wait, nil
		}
	}
	pair.Attempts++
	addr.Attempts++
	login = domain.ThrottleCounter{Attempts: login.Attempts + 1, At: now}
	return 0, map[string]domain.ThrottleCounter{k.pair: pair, k.addr: addr, k.login: login}
}

// decideWindow is a single fixed-window limit of max attempts.
func decideWindow(key string, max int, length time.Duration, cur map[string]domain.ThrottleCounter, now time.Time) (time.Duration, map[string]domain.ThrottleCounter) {
	c := window(cur[key], now, length)
	if c.Attempts >= max {
		return c.At.Add(length).Sub(now), nil
	}
	c.Attempts++
	return 0, map[string]domain.ThrottleCounter{key: c}
}

// forgiveSignIn takes back what a successful sign-in's own address counted
// against its login: the attempt itself and the pair's earlier failures
// (the owner's typos), not what other addresses did, so that an owner who
// gets in does not reset a stranger's delays.
func forgiveSignIn(k throttleKeys, cur map[string]domain.ThrottleCounter) map[string]domain.ThrottleCounter {
	login, addr := cur[k.login], cur[k.addr]
	login.Attempts -= max(cur[k.pair].Attempts, 1)
	addr.Attempts--
	if login.Attempts < 0 {
		login.Attempts = 0
	}
	if addr.Attempts < 0 {
		addr.Attempts = 0
	}
	return map[string]domain.ThrottleCounter{k.pair: {}, k.login: login, k.addr: addr}
}
