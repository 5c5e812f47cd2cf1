package auth

import (
	"context"

	"densach/domain"
)

// Bootstrap is the operator's request for an account (`densach user
// create`): who signs in with Login, with which password, holding which role.
type Bootstrap struct {
	Login    string
	Password string
	// FullName and CommuneCode describe a person created by this request;
	// defaults apply when empty (see domain.AccountBootstrap).
	FullName    string
	CommuneCode string
	Role        domain.Role
	UnitCode    string // officer: the province or commune-level unit
	CentreID    int64  // manager, teacher, learner
}

// Bootstrapped reports what BootstrapAccount did and the login, normalised,
// that the account signs in with.
type Bootstrapped struct {
	domain.AccountBootstrapped
	Login domain.Login
}

// BootstrapAccount makes sure a person with the login exists, has an
// account with the password and holds the role: it creates the first
// administrator and recovers a lost password. Only the system may (the
// command passes domain.System()); no HTTP route leads here. The password
// must pass the same rules as any other and is one-time: the account must
// change it at its first sign-in, and a reset signs it out everywhere.
// Field errors name login, password and role, and those of the store.
func (s *Service) BootstrapAccount(ctx context.Context, pr domain.Principal, in Bootstrap) (Bootstrapped, error) {
	if !pr.IsAdmin() {
		return Bootstrapped{}, domain.Fail(domain.CodeForbidden, "forbidden", nil)
	}
	var f domain.Fields
	login, err := domain.ParseLogin(in.Login)
	f.AddErr("login", err)
	f.AddErr("password", domain.ValidatePassword("password", in.Password))
	if !in.Role.Valid() {
		f.AddOf("role", "role_invalid", nil)
	}
	if err := f.Err(); err != nil {
		return Bootstrapped{}, err
	}
	hash, err := domain.HashPassword(ctx, in.Password)
	if err != nil {
		return Bootstrapped{}, err
	}
	res, err := s.Store.BootstrapAccount(ctx, domain.AccountBootstrap{
		Login: login, FullName: in.FullName, CommuneCode: in.CommuneCode, PasswordHash: hash,
		Role: in.Role, UnitCode: in.UnitCode, CentreID: in.CentreID,
	})
	if err != nil {
		return Bootstrapped{}, err
	}
	return Bootstrapped{AccountBootstrapped: res, Login: login}, nil
}
