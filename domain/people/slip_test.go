package people_test

import (
	"context"
	"testing"

	"densach/domain"
)

// TestIssueOneTimePassword asks every caller for a one-time password of a
// target holding each role (the authorization table of
// TestAuthzPeopleUseCases): only callers who cover the target get a slip,
// whose password is stored hashed and marked must-change; everyone else
// gets 404 or 403 and the target's account stays as it was.
func TestIssueOneTimePassword(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, len(callerKinds))
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	for _, tc := range targets {
		for i, pr := range callers {
			t.Run(tc.kind+"/by_"+callerKinds[i], func(t *testing.T) {
				target := w.newPerson(tc.kind)
				slip, err := w.svc.IssueOneTimePassword(ctx, pr, target.ID)
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("issue: %v, want %q", err, want)
				}
				stored := w.ID(`SELECT count(*) FROM accounts WHERE person_id = $1`, target.ID)
				if err != nil {
					if stored != 0 || slip.Password != "" {
						t.Fatalf("refused (%v) but an account was stored or a password returned", err)
					}
					return
				}
				if slip.Person.ID != target.ID || slip.Person.FullName != target.Name || !slip.Created ||
					len(slip.Logins) != 1 || slip.Logins[0] != (domain.Login{Kind: domain.LoginPhone, Value: target.Phone}) {
					t.Fatalf("slip %+v for %+v", slip, target)
				}
				if len(slip.Password) != domain.OneTimePasswordGroups*(domain.OneTimePasswordGroupLen+1)-1 {
					t.Fatalf("password %q", slip.Password)
				}
				n := w.ID(`SELECT count(*) FROM accounts WHERE person_id = $1 AND password_hash = $2 AND must_change_password`, target.ID, "test:"+slip.Password)
				if n != 1 {
					t.Fatalf("stored %d must-change accounts with the slip's hash", n)
				}
			})
		}
	}
}

// TestIssueOneTimePasswordCases covers the answers beyond authorization:
// a reset of an existing account, every kind of login on the slip, a
// person with no login and oneself.
func TestIssueOneTimePasswordCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgr := w.signIn(kManagerA1)
	admin := w.signIn(kAdmin)
	withAccount := w.signIn(kLearnerA1)
	all := w.newPerson(kResident)
	w.ID(`UPDATE people SET cccd = '012345678901', email = 'ca@example.vn' WHERE id = $1`, all.ID)
	none := w.newPerson(kResident)
	w.ID(`UPDATE people SET phone = NULL WHERE id = $1`, none.ID)
	for _, tc := range []struct {
		name    string
		caller  domain.Principal
		target  int64
		field   string
		created bool
		logins  []domain.LoginKind
	}{
		{"reset of an existing account", mgr, withAccount.PersonID, "", false, []domain.LoginKind{domain.LoginPhone}},
		{"phone, CCCD and e-mail", mgr, all.ID, "", true, []domain.LoginKind{domain.LoginPhone, domain.LoginCCCD, domain.LoginEmail}},
		{"no login", mgr, none.ID, "login_missing", false, nil},
		{"oneself", admin, admin.PersonID, "own_password", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.ID(`SELECT count(*) FROM audit_log WHERE entity_id = $1`, tc.target)
			slip, err := w.svc.IssueOneTimePassword(ctx, tc.caller, tc.target)
			after := w.ID(`SELECT count(*) FROM audit_log WHERE entity_id = $1`, tc.target)
			if tc.field != "" {
				e := domain.AsError(err)
				if codeOf(err) != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Code != tc.field || after != before {
					t.Fatalf("%v (audit %d→%d), want invalid %s and nothing written", err, before, after, tc.field)
				}
				return
			}
			if err != nil || slip.Created != tc.created || len(slip.Logins) != len(tc.logins) || after != before+1 {
				t.Fatalf("%+v %v (audit %d→%d)", slip, err, before, after)
			}
			for i, k := range tc.logins {
				if slip.Logins[i].Kind != k || slip.Logins[i].Value == "" {
					t.Fatalf("logins %+v, want kinds %v", slip.Logins, tc.logins)
				}
			}
			if n := w.ID(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND changes::text LIKE '%' || $2 || '%'`, tc.target, slip.Password); n != 0 {
				t.Fatal("the audit log holds the one-time password")
			}
		})
	}
}
