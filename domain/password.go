package domain

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// The password length policy, in characters (not bytes, so Vietnamese
// letters with diacritics count once).
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// passwordParams are the argon2id costs for new hashes: OWASP's recommended
// minimum (19 MiB, 2 passes, 1 lane). The server runs on 2 cores: one lane
// per hash lets two sign-ins proceed at once instead of one sign-in taking
// both cores, and 19 MiB keeps a burst of sign-ins inside the memory of a
// small machine while still making each offline guess cost real memory.
// One hash takes some tens of milliseconds there.
var passwordParams = argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// hashSlots bounds the argon2id computations running at once. Each holds
// 19 MiB: without a bound, a flood of sign-in requests would exhaust memory
// long before the rate limiter (which counts per login and address) sees a
// pattern. It is process-wide because memory is.
var hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// dummyHash is checked against when a login names no account, so that an
// unknown login costs as much time as a wrong password and timing does not
// reveal who has an account.
var dummyHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("densach-dummy-password", &passwordParams)
	if err != nil {
		panic("argon2id: " + err.Error())
	}
	return h
})

// ValidatePassword checks a new password against the length policy and the
// list of common passwords; field names the input field the errors are
// reported on.
func ValidatePassword(field, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return Invalid(FieldOf(field, "password_too_short", Params{"min": MinPasswordLen}))
	case n > MaxPasswordLen:
		return Invalid(FieldOf(field, "password_too_long", Params{"max": MaxPasswordLen}))
	case IsCommonPassword(password):
		return Invalid(FieldOf(field, "password_common", nil))
	}
	return nil
}

// HashPassword returns the argon2id hash of a password (in the PHC string
// format, which carries its own salt and parameters).
func HashPassword(ctx context.Context, password string) (string, error) {
	if err := acquireHashSlot(ctx); err != nil {
		return "", err
	}
	defer releaseHashSlot()
	h, err := argon2id.CreateHash(password, &passwordParams)
	if err != nil {
		return "", Wrap("domain.HashPassword", CodeInternal, err)
	}
	return h, nil
}

// CheckPassword reports whether password matches hash. A hash that is not
// argon2id (a disabled or imported account) never matches, at the same
// cost as a mismatch. It fails only when the context ends first.
func CheckPassword(ctx context.Context, password, hash string) (bool, error) {
	if err := acquireHashSlot(ctx); err != nil {
		return false, err
	}
	defer releaseHashSlot()
	if !sanePasswordHash(hash) {
		// Spend what a real check would, then fail.
		_, _, _ = argon2id.CheckHash(password, dummyHash())
		return false, nil
	}
	ok, _, err := argon2id.CheckHash(password, hash)
	return ok && err == nil, nil
}

// sanePasswordHash reports whether hash is argon2id with parameters the
// library can compute in bounded memory: a corrupt row must neither panic
// (zero lanes) nor allocate gigabytes.
func sanePasswordHash(hash string) bool {
	p, _, _, err := argon2id.DecodeHash(hash)
	return err == nil && p.Parallelism >= 1 && p.Iterations >= 1 && p.Iterations <= 16 &&
		p.Memory >= 8*uint32(p.Parallelism) && p.Memory <= 256*1024 && p.KeyLength >= 16
}

// DummyCheckPassword spends the time of one password check and always
// fails; call it when the login matched no account.
func DummyCheckPassword(ctx context.Context, password string) error {
	_, err := CheckPassword(ctx, password, dummyHash())
	return err
}

// PasswordNeedsRehash reports whether hash was made with other parameters
// than today's, so that a successful sign-in can upgrade it.
func PasswordNeedsRehash(hash string) bool {
	p, _, _, err := argon2id.DecodeHash(hash)
	if err != nil {
		return true
	}
	return *p != passwordParams
}

func acquireHashSlot(ctx context.Context) error {
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &Error{Code: CodeUnavailable, Key: "hash_busy", Message: Message("hash_busy", nil), Op: "domain.password", Err: errors.Join(errors.New("waiting for a hash slot"), ctx.Err())}
	}
}

func releaseHashSlot() { <-hashSlots }
