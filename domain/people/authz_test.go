package people_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"densach/domain"
	"densach/domain/people"
)

// callerKinds are the columns of the table: every role, in the targets'
// own scope (province A, commune A1, centre A1) and in foreign ones.
var callerKinds = []string{kAdmin, kOfficerA, kOfficerB, kOfficerA1, kOfficerA2, kManagerA1, kManagerA2, kTeacherA1, kLearnerA1}

// The callers' indexes in callerKinds.
const (
	cAdmin = iota
	cOfficerA
	cOfficerB
	cOfficerA1
	cOfficerA2
	cManagerA1
	cManagerA2
	cTeacherA1
	cLearnerA1
)

// readsA1 are the callers who read the people of commune A1.
var readsA1 = [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}

// targetCase is one row: a person holding one role (all living in commune
// A1 but the foreign resident of B1), whom each caller may read and cover.
type targetCase struct {
	kind     string
	readable [9]bool
	covers   [9]bool
}

// targets is the table that would have caught the account takeover (issue
// 7.1): a manager or commune officer reads the officers and the
// administrator living in their commune but covers none of them.
var targets = []targetCase{
	{kAdmin, readsA1, [9]bool{cAdmin: true}},
	{kOfficerA, readsA1, [9]bool{cAdmin: true, cOfficerA: true}},
	{kOfficerA1, readsA1, [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true}},
	{kManagerA1, readsA1, [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true}},
	{kTeacherA1, readsA1, [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true}},
	{kLearnerA1, readsA1, [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true}},
	{kResident, readsA1, [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true}},
	{kForeign, [9]bool{cAdmin: true, cOfficerB: true}, [9]bool{cAdmin: true, cOfficerB: true}},
}

// writeCode is the answer to a change of a target: 404 unreadable, 403
// read but not covered, else ok ("").
func (tc targetCase) writeCode(i int) domain.Code {
	switch {
	case !tc.readable[i]:
		return domain.CodeNotFound
	case !tc.covers[i]:
		return domain.CodeForbidden
	}
	return ""
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}

// TestAuthzPeopleUseCases runs every people, account, role and import use
// case for every caller against a target holding each role.
func TestAuthzPeopleUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, len(callerKinds))
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	// Methods that leave a target's roles alone share one target per row.
	shared := make([]person, len(targets))
	for j, tc := range targets {
		shared[j] = w.newPerson(tc.kind)
	}
	// managesCommune[i] lists the communes where caller i may create.
	managesA1 := [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true}
	managesB1 := [9]bool{cAdmin: true, cOfficerB: true}
	// Managers edit their own profile (they manage where they live), though
	// they could not have granted their own role; teachers and learners do not.
	meEditable := [9]bool{cAdmin: true, cOfficerA: true, cOfficerB: true, cOfficerA1: true, cOfficerA2: true, cManagerA1: true, cManagerA2: true}
	canGrantLearnerA1 := [9]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true}

	for i, pr := range callers {
		t.Run("me/"+callerKinds[i], func(t *testing.T) {
			v, err := w.svc.Me(ctx, pr)
			if err != nil || v.ID != pr.PersonID || v.Masked || v.Editable != meEditable[i] {
				t.Fatalf("me: %+v %v, editable want %v", v, err, meEditable[i])
			}
			village := "Bản Tự Sửa"
			_, err = w.svc.Update(ctx, pr, pr.PersonID, domain.PersonChanges{Village: &village})
			if want := map[bool]domain.Code{true: "", false: domain.CodeForbidden}[meEditable[i]]; codeOf(err) != want {
				t.Fatalf("update self: %v, want %q", err, want)
			}
		})
	}
	for j, tc := range targets {
		for i, pr := range callers {
			name := tc.kind + "/" + callerKinds[i]
			target := shared[j]
			t.Run("get/"+name, func(t *testing.T) {
				v, err := w.svc.Get(ctx, pr, target.ID)
				want := domain.Code("")
				if !tc.readable[i] {
					want = domain.CodeNotFound
				}
				if codeOf(err) != want {
					t.Fatalf("get: %v, want %q", err, want)
				}
				if err == nil && (v.Masked != !tc.covers[i] || v.Editable != tc.covers[i] || (v.Masked && v.Phone == target.Phone)) {
					t.Fatalf("view masked=%v editable=%v phone=%s; covers %v", v.Masked, v.Editable, v.Phone, tc.covers[i])
				}
			})
			t.Run("list/"+name, func(t *testing.T) {
				q := domain.PeopleQuery{Search: target.Name}
				q.Normalize()
				page, err := w.svc.List(ctx, pr, q)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, v := range page.Items {
					if v.ID == target.ID {
						found = true
						if v.Masked != !tc.covers[i] || v.Editable != tc.covers[i] {
							t.Fatalf("listed masked=%v editable=%v; covers %v", v.Masked, v.Editable, tc.covers[i])
						}
					}
				}
				if found != tc.readable[i] {
					t.Fatalf("listed %v, readable %v", found, tc.readable[i])
				}
			})
			t.Run("update/"+name, func(t *testing.T) {
				village := fmt.Sprintf("Bản %c", 'A'+i)
				_, err := w.svc.Update(ctx, pr, target.ID, domain.PersonChanges{Village: &village})
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("update: %v, want %q", err, want)
				}
				stored := w.ID(`SELECT count(*) FROM people WHERE id = $1 AND village = $2`, target.ID, village)
				if (err == nil) != (stored == 1) {
					t.Fatalf("update answered %v, stored %d", err, stored)
				}
			})
			t.Run("set_account/"+name, func(t *testing.T) {
				pw := fmt.Sprintf("mật khẩu mới %d", i)
				err := w.svc.SetAccount(ctx, pr, target.ID, pw)
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("set account: %v, want %q", err, want)
				}
				stored := w.ID(`SELECT count(*) FROM accounts WHERE person_id = $1 AND password_hash = $2`, target.ID, "test:"+pw)
				if (err == nil) != (stored == 1) {
					t.Fatalf("set account answered %v, stored %d", err, stored)
				}
			})
			t.Run("grant/"+name, func(t *testing.T) {
				fresh := w.newPerson(tc.kind)
				g, err := w.svc.GrantRole(ctx, pr, domain.GrantRequest{PersonID: fresh.ID, Role: domain.RoleLearner, CentreID: w.CentreA1})
				want := tc.writeCode(i)
				if want == "" && !canGrantLearnerA1[i] {
					want = domain.CodeForbidden
				}
				if codeOf(err) != want {
					t.Fatalf("grant: %v, want %q", err, want)
				}
				stored := w.ID(`SELECT count(*) FROM role_grants WHERE person_id = $1 AND role = 'learner' AND centre_id = $2 AND revoked_at IS NULL`, fresh.ID, w.CentreA1)
				if (err == nil) != (stored == 1 && g.ID != 0) {
					t.Fatalf("grant answered %v, stored %d", err, stored)
				}
			})
			t.Run("revoke/"+name, func(t *testing.T) {
				fresh := w.newPerson(tc.kind)
				grantID := w.ID(`SELECT id FROM role_grants WHERE person_id = $1`, fresh.ID)
				id := grantID
				if id == 0 {
					id = 999_999_999
				}
				err := w.svc.RevokeRole(ctx, pr, fresh.ID, id)
				want := tc.writeCode(i)
				switch {
				case !tc.readable[i]:
				case grantID == 0:
					want = domain.CodeNotFound // no role to revoke
				case want == "" && tc.kind == kLearnerA1 && i == cManagerA1:
					want = domain.CodeForbidden // a manager grants learners at the centre only
				}
				if codeOf(err) != want {
					t.Fatalf("revoke: %v, want %q", err, want)
				}
				revoked := w.ID(`SELECT count(*) FROM role_grants WHERE person_id = $1 AND revoked_at IS NOT NULL`, fresh.ID)
				if (err == nil) != (revoked == 1) {
					t.Fatalf("revoke answered %v, %d revoked", err, revoked)
				}
			})
			t.Run("import/"+name, func(t *testing.T) {
				file := fmt.Sprintf("ho_ten,ma_xa,so_dien_thoai,thon\n%s,%s,%s,Bản Nhập %d\n", target.Name, target.CommuneCode, target.Phone, i)
				rep, err := w.svc.Import(ctx, pr, []byte(file), people.ImportOptions{DryRun: true})
				switch {
				case i == cTeacherA1 || i == cLearnerA1:
					if codeOf(err) != domain.CodeForbidden {
						t.Fatalf("import: %v, want forbidden", err)
					}
				case err != nil:
					t.Fatal(err)
				case tc.covers[i]:
					if rep.Updated != 1 || len(rep.Errors) != 0 {
						t.Fatalf("import by a caller who covers the target: %+v", rep)
					}
				default:
					if rep.Updated != 0 || rep.Created != 0 || len(rep.Errors) != 1 || rep.Errors[0].Code != "person_not_editable" ||
						strings.Contains(rep.Errors[0].Message, "phạm vi") {
						t.Fatalf("import matching a person the caller does not cover: %+v", rep)
					}
				}
			})
			t.Run("deactivate/"+name, func(t *testing.T) {
				fresh := w.newPerson(tc.kind)
				w.ID(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x')`, fresh.ID)
				_, err := w.svc.Deactivate(ctx, pr, fresh.ID)
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("deactivate: %v, want %q", err, want)
				}
				inactive := w.ID(`SELECT count(*) FROM people WHERE id = $1 AND NOT active`, fresh.ID)
				audited := w.ID(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'person_deactivated'`, fresh.ID)
				if (err == nil) != (inactive == 1 && audited == 1) {
					t.Fatalf("deactivate answered %v; inactive %d, audited %d", err, inactive, audited)
				}
				if err != nil {
					w.ID(`UPDATE people SET active = false WHERE id = $1`, fresh.ID)
				}
				_, err = w.svc.Activate(ctx, pr, fresh.ID)
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("activate: %v, want %q", err, want)
				}
				active := w.ID(`SELECT count(*) FROM people WHERE id = $1 AND active`, fresh.ID)
				if (err == nil) != (active == 1) {
					t.Fatalf("activate answered %v; active %d", err, active)
				}
			})
			t.Run("merge/"+name, func(t *testing.T) {
				keep := w.newPerson(tc.kind)
				dupKind := kResident
				if tc.kind == kForeign {
					dupKind = kForeign
				}
				dup := w.newPerson(dupKind)
				_, err := w.svc.Merge(ctx, pr, keep.ID, dup.ID)
				if want := tc.writeCode(i); codeOf(err) != want {
					t.Fatalf("merge: %v, want %q", err, want)
				}
				merged := w.ID(`SELECT count(*) FROM people WHERE id = $1 AND merged_into_id = $2`, dup.ID, keep.ID)
				if (err == nil) != (merged == 1) {
					t.Fatalf("merge answered %v, merged %d", err, merged)
				}
			})
			t.Run("similar/"+name, func(t *testing.T) {
				commune := w.CommA1
				if tc.kind == kForeign {
					commune = w.CommB1
				}
				got, err := w.svc.Similar(ctx, pr, strings.ToLower(target.Name), 0, commune)
				mayCreate := i != cTeacherA1 && i != cLearnerA1
				if want := map[bool]domain.Code{true: "", false: domain.CodeForbidden}[mayCreate]; codeOf(err) != want {
					t.Fatalf("similar: %v, want %q", err, want)
				}
				found := len(got) == 1 && got[0].ID == target.ID
				if err == nil && (found != tc.readable[i] || (!found && len(got) != 0) || (found && got[0].Masked != !tc.covers[i])) {
					t.Fatalf("similar answered %+v; readable %v covers %v", got, tc.readable[i], tc.covers[i])
				}
			})
			t.Run("create/"+name, func(t *testing.T) {
				commune := w.CommA1
				manages := managesA1[i]
				if tc.kind == kForeign {
					commune, manages = w.CommB1, managesB1[i]
				}
				fullName, phone := "Lò Văn Trùng", target.Phone
				_, err := w.svc.Create(ctx, pr, domain.PersonChanges{FullName: &fullName, CommuneID: &commune, Phone: &phone}, "")
				want := domain.CodeForbidden
				if manages {
					want = domain.CodeConflict // the phone is the target's
				}
				if codeOf(err) != want {
					t.Fatalf("create with the target's phone: %v, want %q", err, want)
				}
			})
		}
	}
}
