package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// LoginKind names the field of a person that a login matches.
type LoginKind string

// The kinds of login: people sign in with whatever identifier they have.
const (
	LoginPhone LoginKind = "phone"
	LoginCCCD  LoginKind = "cccd"
	LoginEmail LoginKind = "email"
)

// Login is a sign-in name in the normalised form people are stored with.
type Login struct {
	Kind  LoginKind
	Value string
}

// maxLoginLen bounds a login before any parsing; the longest real one is an
// e-mail address of 254 characters.
const maxLoginLen = 254

// ParseLogin recognises a login as an e-mail address (it has an @), a CCCD
// or old CMND (12 or 9 digits with a valid province code) or else a phone
// number, and normalises it. Errors are field errors on "login".
func ParseLogin(s string) (Login, error) {
	s = strings.TrimSpace(s)
	bad := Invalid(FieldOf("login", "login_invalid", nil))
	switch {
	case s == "":
		return Login{}, Invalid(FieldOf("login", "login_required", nil))
	case len(s) > maxLoginLen:
		return Login{}, bad
	case strings.Contains(s, "@"):
		v, err := NormalizeEmail(s)
		if err != nil || v == "" {
			return Login{}, bad
		}
		return Login{Kind: LoginEmail, Value: v}, nil
	}
	// A phone number is 10 digits and never 9 or 12 in its national form,
	// so a 9- or 12-digit number that is a valid CCCD is one. (A 12-digit
	// "84…" phone number fails the CCCD province check: codes start with 0.)
	if !strings.Contains(s, "+") {
		if v, err := NormalizeCCCD(s); err == nil && v != "" {
			return Login{Kind: LoginCCCD, Value: v}, nil
		}
	}
	v, err := NormalizePhone(s)
	if err != nil || v == "" {
		return Login{}, bad
	}
	return Login{Kind: LoginPhone, Value: v}, nil
}

// Account is a person's means of signing in.
type Account struct {
	ID                int64
	PersonID          int64
	PasswordHash      string
	Disabled          bool
	PasswordChangedAt time.Time
	// MustChangePassword is set when someone else chose the password (an
	// administrator, a manager, the bootstrap command): until the owner
	// picks their own, a sign-in reaches only their profile, the password
	// change and sign-out.
	MustChangePassword bool
}

// refreshTokenBytes is the entropy of a refresh token: 256 bits cannot be
// guessed, so a plain SHA-256 (no salt, no slow hash) is safe to store and
// lets the database find a token by its hash.
const refreshTokenBytes = 32

// NewRefreshToken returns a fresh opaque refresh token (base64url) and the
// hash it is stored under; the token itself is never stored.
func NewRefreshToken() (token string, hash []byte, err error) {
	var b [refreshTokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, Wrap("domain.NewRefreshToken", CodeInternal, err)
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashRefreshToken(token), nil
}

// HashRefreshToken returns the stored form of a refresh token.
func HashRefreshToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ThrottleCounter is the state of one login-throttling counter: how many
// attempts it holds and the time the counting rule measures from (the start
// of a fixed window, or the last attempt for growing delays). The zero
// value is a counter that never counted.
type ThrottleCounter struct {
	Attempts int
	At       time.Time
}

// AccountBootstrap asks for an account that signs in with Login and holds
// Role: the person is created when no one has that login, the account
// created or its password reset, the role granted unless already held.
type AccountBootstrap struct {
	Login        Login
	FullName     string // for a new person; a placeholder when empty
	CommuneCode  string // home of a new person; the first current commune-level unit when empty
	PasswordHash string
	Role         Role
	UnitCode     string // officer: the province or commune
	CentreID     int64  // manager, teacher, learner
}

// AccountBootstrapped reports what AccountBootstrap did.
type AccountBootstrapped struct {
	PersonID       int64
	AccountID      int64
	PersonCreated  bool
	AccountCreated bool
	RoleGranted    bool
}

// AuthStore keeps accounts, refresh tokens and login throttling. Storage
// failures are CodeUnavailable or CodeInternal as everywhere.
type AuthStore interface {
	// AccountByLogin returns the account of the person the login names;
	// CodeNotFound when no person or no account matches.
	AccountByLogin(ctx context.Context, login Login) (Account, error)
	// Account returns an account by id; CodeNotFound when unknown.
	Account(ctx context.Context, id int64) (Account, error)
	// AccountPrincipal returns the principal of an enabled account, with
	// the person's active grants resolved to areas and the account's
	// MustChangePassword; CodeUnauthorized when
	// the account is unknown or disabled.
	AccountPrincipal(ctx context.Context, accountID int64) (Principal, error)
	// UpgradePasswordHash replaces a hash of the same password made with
	// old parameters; it does nothing when the hash changed meanwhile.
	UpgradePasswordHash(ctx context.Context, accountID int64, oldHash, newHash string) error
	// ChangePassword sets a new hash chosen by the account's owner (so it
	// clears MustChangePassword), revokes every refresh token of the account
	// and writes the audit log, in one transaction; CodeConflict when the
	// hash is no longer oldHash (a concurrent change).
	ChangePassword(ctx context.Context, by Actor, accountID int64, oldHash, newHash string) error
	// StartRefreshFamily stores the first refresh token of a new sign-in.
	StartRefreshFamily(ctx context.Context, accountID int64, hash []byte, ttl time.Duration) error
	// RotateRefreshToken marks the token with oldHash used and stores
	// newHash in its family, returning the account. CodeUnauthorized when
	// the token is unknown, expired, revoked or its account disabled; a
	// token that was already used revokes its whole family (it was stolen,
	// or the thief already used it) and is CodeUnauthorized too.
	RotateRefreshToken(ctx context.Context, oldHash, newHash []byte, ttl time.Duration) (accountID int64, err error)
	// RevokeRefreshFamily revokes the sign-in the token belongs to; an
	// unknown token is not an error.
	RevokeRefreshFamily(ctx context.Context, hash []byte) error
	// RevokeAccountRefreshTokens revokes every sign-in of the account.
	RevokeAccountRefreshTokens(ctx context.Context, accountID int64) error
	// RequirePasswordChange marks the account's password as chosen by
	// someone else (MustChangePassword); CodeNotFound for an unknown account.
	RequirePasswordChange(ctx context.Context, accountID int64) error
	// BootstrapAccount does what b asks (see AccountBootstrap) in one
	// transaction, marking the account MustChangePassword and revoking its
	// sign-ins when the password is reset; CodeInvalid (field login, role,
	// commune_code, unit_code, centre_id) for a scope or place it cannot find.
	BootstrapAccount(ctx context.Context, b AccountBootstrap) (AccountBootstrapped, error)
	// ThrottleAttempt locks the counters of keys (absent ones are zero)
	// and stores what decide returns for them, in one transaction: parallel
	// attempts on one key are decided one after the other, so that they
	// cannot slip past a limit together. A returned counter with no
	// attempts is deleted; keys decide leaves out are left unchanged.
	ThrottleAttempt(ctx context.Context, keys []string, decide func(map[string]ThrottleCounter) map[string]ThrottleCounter) error
	// ThrottleSuccess forgets a successful attempt: the counters of clear
	// are reset and the attempt is taken back from those of giveBack.
	ThrottleSuccess(ctx context.Context, clear, giveBack []string) error
}
