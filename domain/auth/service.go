// Package auth is the sign-in use case: login by phone, CCCD or e-mail with
// throttling, refresh-token rotation with reuse detection, sign-out (here or
// everywhere) and password change. It decides; the store keeps; the API only
// decodes, calls one method and encodes (signing the access token for the
// principal a method returns).
package auth

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"densach/domain"
)

// Service runs sign-in, refresh, sign-out and password change. Build it by
// field assignment; Store is required.
type Service struct {
	Store domain.AuthStore
	// Limits is the throttling policy; zero fields take the defaults.
	Limits Limits
	// RefreshTTL is the lifetime of a refresh token (default 30 days).
	RefreshTTL time.Duration
	// Now is the clock throttling reads; nil is time.Now.
	Now func() time.Time
	// Log receives best-effort failures (a hash upgrade); nil discards them.
	Log *slog.Logger
}

// Session is a started or renewed sign-in: the principal to issue an
// access token for and the refresh token that renews it.
type Session struct {
	Principal    domain.Principal
	RefreshToken string
	RefreshTTL   time.Duration
}

// Credentials is what a sign-in presents, and from where.
type Credentials struct {
	Login    string
	Password string
	// Address is the client's IP address (after trusted proxies).
	Address string
}

// PasswordChange is the owner's request to replace their password.
type PasswordChange struct {
	Current   string
	New       string
	RequestID string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) refreshTTL() time.Duration {
	if s.RefreshTTL > 0 {
		return s.RefreshTTL
	}
	return 30 * 24 * time.Hour
}

// loginFailed is the one answer to an unknown login, a wrong password and
// a disabled account, so that it does not tell who has an account.
func loginFailed(cause string) error {
	return &domain.Error{Code: domain.CodeUnauthorized, Key: "login_failed", Message: domain.Message("login_failed", nil), Op: "auth.Login", Err: errors.New(cause)}
}

// Login checks a login and password and starts a sign-in. pr is the
// anonymous caller (sign-in needs none).
func (s *Service) Login(ctx context.Context, pr domain.Principal, in Credentials) (Session, error) {
	var f domain.Fields
	if strings.TrimSpace(in.Login) == "" {
		f.AddOf("login", "login_required", nil)
	}
	if in.Password == "" {
		f.AddOf("password", "password_required", nil)
	}
	if err := f.Err(); err != nil {
		return Session{}, err
	}
	login, parseErr := domain.ParseLogin(in.Login)
	// An unparseable login is throttled like any other, by what was typed.
	keyValue := strings.ToLower(strings.TrimSpace(in.Login))
	if parseErr == nil {
		keyValue = string(login.Kind) + ":" + login.Value
	}
	lim := s.Limits.WithDefaults()
	keys := signInKeys(keyValue, in.Address)
	if err := s.throttle(ctx, []string{keys.pair, keys.login, keys.addr}, func(cur map[string]domain.ThrottleCounter, now time.Time) (time.Duration, map[string]domain.ThrottleCounter) {
		return lim.decideSignIn(keys, cur, now)
	}); err != nil {
		return Session{}, err
	}
	if parseErr != nil {
		return Session{}, unknownLogin(ctx, in.Password, "unparseable login")
	}
	acct, err := s.authenticate(ctx, login, in.Password)
	if err != nil {
		return Session{}, err
	}
	if err := s.Store.ThrottleAttempt(ctx, []string{keys.pair, keys.login, keys.addr}, func(cur map[string]domain.ThrottleCounter) map[string]domain.ThrottleCounter {
		return forgiveSignIn(keys, cur)
	}); err != nil {
		return Session{}, err
	}
	s.upgradeHash(ctx, acct, in.Password)
	p, err := s.Store.AccountPrincipal(ctx, acct.ID)
	if err != nil {
		return Session{}, err
	}
	token, hash, err := domain.NewRefreshToken()
	if err != nil {
		return Session{}, err
	}
	if err := s.Store.StartRefreshFamily(ctx, acct.ID, hash, s.refreshTTL()); err != nil {
		return Session{}, err
	}
	return Session{Principal: p, RefreshToken: token, RefreshTTL: s.refreshTTL()}, nil
}

// throttle counts an attempt under keys as decide says, or refuses it with
// CodeRateLimited carrying the wait (see RetryAfter).
func (s *Service) throttle(ctx context.Context, keys []string, decide func(map[string]domain.ThrottleCounter, time.Time) (time.Duration, map[string]domain.ThrottleCounter)) error {
	now := s.now()
	var wait time.Duration
	err := s.Store.ThrottleAttempt(ctx, keys, func(cur map[string]domain.ThrottleCounter) map[string]domain.ThrottleCounter {
		var next map[string]domain.ThrottleCounter
		wait, next = decide(cur, now)
		return next
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		return rateLimited(wait)
	}
	return nil
}

// authenticate returns the enabled account the login and password match.
func (s *Service) authenticate(ctx context.Context, login domain.Login, password string) (domain.Account, error) {
	acct, err := s.Store.AccountByLogin(ctx, login)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return acct, unknownLogin(ctx, password, "unknown login")
	}
	if err != nil {
		return acct, err
	}
	ok, err := domain.CheckPassword(ctx, password, acct.PasswordHash)
	switch {
	case err != nil:
		return acct, err
	case !ok:
		return acct, loginFailed("wrong password")
	case acct.Disabled:
		return acct, loginFailed("account disabled")
	}
	return acct, nil
}

// unknownLogin spends the time of a password check before failing, so that
// an unknown login answers as slowly as a wrong password.
func unknownLogin(ctx context.Context, password, cause string) error {
	if err := domain.DummyCheckPassword(ctx, password); err != nil {
		return err
	}
	return loginFailed(cause)
}

// upgradeHash rehashes a correct password made with older parameters. It is
// best effort: the sign-in succeeds whether or not the upgrade does.
func (s *Service) upgradeHash(ctx context.Context, acct domain.Account, password string) {
	if !domain.PasswordNeedsRehash(acct.PasswordHash) {
		return
	}
	h, err := domain.HashPassword(ctx, password)
	if err == nil {
		err = s.Store.UpgradePasswordHash(ctx, acct.ID, acct.PasswordHash, h)
	}
	if err != nil && s.Log != nil {
		s.Log.Warn("password hash upgrade failed", "account_id", acct.ID, "error", err.Error())
	}
}

// Refresh exchanges a refresh token for a new one and the principal read
// again (role changes and a password change apply from here). A token used
// twice revokes its whole sign-in: CodeUnauthorized.
func (s *Service) Refresh(ctx context.Context, pr domain.Principal, refreshToken string) (Session, error) {
	if refreshToken == "" {
		return Session{}, domain.Fail(domain.CodeUnauthorized, "sign_in_required", nil)
	}
	token, hash, err := domain.NewRefreshToken()
	if err != nil {
		return Session{}, err
	}
	account, err := s.Store.RotateRefreshToken(ctx, domain.HashRefreshToken(refreshToken), hash, s.refreshTTL())
	if err != nil {
		return Session{}, err
	}
	p, err := s.Store.AccountPrincipal(ctx, account)
	if err != nil {
		return Session{}, err
	}
	return Session{Principal: p, RefreshToken: token, RefreshTTL: s.refreshTTL()}, nil
}

// Logout revokes the sign-in refreshToken belongs to (nothing when empty or
// unknown). Access tokens already issued run out within their lifetime.
func (s *Service) Logout(ctx context.Context, pr domain.Principal, refreshToken string) error {
	if refreshToken == "" {
		return nil
	}
	return s.Store.RevokeRefreshFamily(ctx, domain.HashRefreshToken(refreshToken))
}

// LogoutEverywhere revokes every sign-in of the caller's account. It needs
// a signed-in caller: a refresh cookie alone may be the stolen thing.
func (s *Service) LogoutEverywhere(ctx context.Context, pr domain.Principal) error {
	if pr.AccountID == 0 {
		return domain.Fail(domain.CodeUnauthorized, "sign_in_required", nil)
	}
	return s.Store.RevokeAccountRefreshTokens(ctx, pr.AccountID)
}

// passwordAttemptsPerWindow bounds password-change attempts per account, so
// that a stolen access token is no password-guessing oracle.
const passwordAttemptsPerWindow = 5

// ChangePassword replaces the caller's password after checking the current
// one, clears MustChangePassword and signs out every session of the
// account: whoever knew the old password must not stay signed in.
func (s *Service) ChangePassword(ctx context.Context, pr domain.Principal, in PasswordChange) error {
	if pr.AccountID == 0 {
		return domain.Fail(domain.CodeUnauthorized, "sign_in_required", nil)
	}
	var f domain.Fields
	if in.Current == "" {
		f.AddOf("current_password", "password_required", nil)
	}
	f.AddErr("new_password", domain.ValidatePassword("new_password", in.New))
	if in.New != "" && in.New == in.Current {
		f.AddOf("new_password", "password_same", nil)
	}
	if err := f.Err(); err != nil {
		return err
	}
	lim := s.Limits.WithDefaults()
	key := throttleKey("password", strconv.FormatInt(pr.AccountID, 10))
	if err := s.throttle(ctx, []string{key}, func(cur map[string]domain.ThrottleCounter, now time.Time) (time.Duration, map[string]domain.ThrottleCounter) {
		return decideWindow(key, passwordAttemptsPerWindow, lim.Window, cur, now)
	}); err != nil {
		return err
	}
	acct, err := s.Store.Account(ctx, pr.AccountID)
	if domain.ErrorCode(err) == domain.CodeNotFound || err == nil && acct.Disabled {
		return &domain.Error{Code: domain.CodeUnauthorized, Key: "unauthorized", Message: domain.Message("unauthorized", nil), Op: "auth.ChangePassword", Err: err}
	}
	if err != nil {
		return err
	}
	ok, err := domain.CheckPassword(ctx, in.Current, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Invalid(domain.FieldOf("current_password", "password_wrong", nil))
	}
	hash, err := domain.HashPassword(ctx, in.New)
	if err != nil {
		return err
	}
	by := domain.Actor{PersonID: pr.PersonID, RequestID: in.RequestID}
	if err := s.Store.ChangePassword(ctx, by, acct.ID, acct.PasswordHash, hash); err != nil {
		return err
	}
	return s.Store.ThrottleSuccess(ctx, []string{key}, nil)
}

// RequirePasswordChanged refuses a caller whose password someone else
// chose, until they replace it: 403 with field code
// password_change_required. The API lets such callers reach only their
// profile, the password change and sign-out.
func RequirePasswordChanged(pr domain.Principal) error {
	if !pr.MustChangePassword {
		return nil
	}
	e := domain.Fail(domain.CodeForbidden, "password_change_first", nil)
	e.Fields = []domain.FieldError{domain.FieldOf("password", "password_change_required", nil)}
	return e
}

// waitError carries how long a throttled caller must wait.
type waitError struct{ wait time.Duration }

func (w waitError) Error() string { return "throttled for " + w.wait.String() }

// rateLimited is CodeRateLimited with the wait, in whole minutes for people.
func rateLimited(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	e := domain.Fail(domain.CodeRateLimited, "login_rate_limited", domain.Params{"minutes": (secs + 59) / 60})
	e.Op, e.Err = "auth.throttle", waitError{wait}
	return e
}

// RetryAfter is how long a CodeRateLimited error from this package asks to
// wait, rounded up to whole seconds; false for other errors.
func RetryAfter(err error) (time.Duration, bool) {
	var w waitError
	if !errors.As(err, &w) {
		return 0, false
	}
	return time.Duration(math.Ceil(max(w.wait.Seconds(), 1))) * time.Second, true
}
