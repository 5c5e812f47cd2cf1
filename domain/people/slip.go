package people

import (
	"context"

	"densach/domain"
)

// Slip is what a person needs to sign in for the first time after someone
// else set up their account: handed over on paper, shown once.
type Slip struct {
	// Person is the account's owner, unmasked: only a caller who covers
	// them gets a slip.
	Person domain.Person
	// Logins are the identifiers the person can sign in with.
	Logins []domain.Login
	// Password is the one-time password in clear; it is stored only as a
	// hash and must never be logged.
	Password string
	// Created tells a new account from a reset one.
	Created bool
}

// errNoLogin refuses a slip for someone who could not use it.
var errNoLogin = domain.Invalid(domain.FieldOf("login", "login_missing", nil))

// errOwnSlip refuses a slip for oneself: a password one chose oneself is
// changed on the account page, and would not be marked must-change.
var errOwnSlip = domain.Invalid(domain.FieldOf("id", "own_password", nil))

// LoginsOf lists the identifiers p can sign in with, in the order a slip
// shows them.
func LoginsOf(p domain.Person) []domain.Login {
	var out []domain.Login
	for _, l := range []domain.Login{{Kind: domain.LoginPhone, Value: p.Phone}, {Kind: domain.LoginCCCD, Value: p.CCCD}, {Kind: domain.LoginEmail, Value: p.Email}} {
		if l.Value != "" {
			out = append(out, l)
		}
	}
	return out
}

// IssueOneTimePassword creates the person's account or resets its password
// to a generated one-time password, which the owner must change at the
// first sign-in, and signs them out everywhere. Only a caller who covers
// the person may (404 when they cannot see them, 403 when they only see
// them; CodeInvalid on "id" (own_password) for oneself); a person without a phone, CCCD or e-mail gets CodeInvalid on
// "login" (login_missing), since no one could sign in with the slip.
func (s *Service) IssueOneTimePassword(ctx context.Context, pr domain.Principal, id int64) (Slip, error) {
	target, err := s.covered(ctx, pr, id)
	if err != nil {
		return Slip{}, err
	}
	if target.ID == pr.PersonID {
		return Slip{}, errOwnSlip
	}
	logins := LoginsOf(target)
	if len(logins) == 0 {
		return Slip{}, errNoLogin
	}
	password, err := domain.NewOneTimePassword()
	if err != nil {
		return Slip{}, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return Slip{}, err
	}
	// The store marks the account must-change: the caller is not its owner.
	created, err := s.People.SetPassword(ctx, domain.ActorOf(ctx, pr), target.ID, hash)
	if err != nil {
		return Slip{}, err
	}
	return Slip{Person: target, Logins: logins, Password: password, Created: created}, nil
}
