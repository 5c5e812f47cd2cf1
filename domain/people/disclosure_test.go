package people_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/people"
)

// TestDisclosureLimit is the directory lookup of issue 7.2: answers telling
// a caller that a phone belongs to someone they may not change are bounded
// per caller and day, each one audited, and none says where the person is.
func TestDisclosureLimit(t *testing.T) {
	w := newWorld(t)
	ctx := domain.WithRequestID(context.Background(), "lookup-test")
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC) // 03:00 on 2 December in Vietnam
	w.svc.Now = func() time.Time { return now }
	w.svc.DisclosureLimit = 3
	mgr, other := w.signIn(kManagerA1), w.signIn(kManagerA1)
	var foreign []person
	for range 5 {
		foreign = append(foreign, w.newPerson(kForeign))
	}
	file := func(ps ...person) []byte {
		var b strings.Builder
		b.WriteString("ho_ten,ma_xa,so_dien_thoai\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "Lò Văn Dò,12001,%s\n", p.Phone)
		}
		return []byte(b.String())
	}
	audited := func(pr domain.Principal) int64 {
		return w.ID(`SELECT count(*) FROM audit_log WHERE action = 'identifier_disclosed' AND actor_id = $1 AND request_id = 'lookup-test'`, pr.PersonID)
	}

	// Two lookups in a dry run: answered, generically, and audited.
	rep, err := w.svc.Import(ctx, mgr, file(foreign[0], foreign[1]), people.ImportOptions{DryRun: true})
	if err != nil || len(rep.Errors) != 2 {
		t.Fatalf("first dry run: %+v %v", rep, err)
	}
	for _, e := range rep.Errors {
		if e.Code != "person_not_editable" || strings.Contains(e.Message, "Mường Thanh") || strings.Contains(e.Message, "phạm vi") {
			t.Fatalf("row error %+v", e)
		}
	}
	if n := audited(mgr); n != 2 {
		t.Fatalf("%d disclosures audited, want 2", n)
	}
	if n := w.ID(`SELECT count(*) FROM audit_log WHERE action = 'identifier_disclosed' AND entity_id = $1 AND changes->>'field' = 'phone'`, foreign[0].ID); n != 1 {
		t.Fatal("the disclosure does not name the person it disclosed")
	}
	// Two more would pass the limit of 3: the whole import is refused,
	// nothing is counted, nothing audited, and the valid rows do not apply.
	fresh := []byte("ho_ten,ma_xa\nLò Thị Mới,12001\n")
	_, err = w.svc.Import(ctx, mgr, append(file(foreign[2], foreign[3]), fresh[len("ho_ten,ma_xa\n"):]...), people.ImportOptions{})
	if codeOf(err) != domain.CodeRateLimited {
		t.Fatalf("import past the limit: %v, want rate_limited", err)
	}
	if n := audited(mgr); n != 2 || w.ID(`SELECT count(*) FROM people WHERE full_name = 'Lò Thị Mới'`) != 0 {
		t.Fatalf("a refused import wrote: %d disclosures audited", n)
	}
	// A single create hitting a foreign phone counts the same: the third is
	// answered, the fourth refused.
	name, commune := "Lò Văn Tạo", w.CommA1
	create := func(p person) error {
		_, err := w.svc.Create(ctx, mgr, domain.PersonChanges{FullName: &name, CommuneID: &commune, Phone: &p.Phone}, "")
		return err
	}
	if err := create(foreign[2]); codeOf(err) != domain.CodeConflict || strings.Contains(err.Error(), "Mường Thanh") {
		t.Fatalf("third lookup: %v, want the conflict", err)
	}
	if err := create(foreign[3]); codeOf(err) != domain.CodeRateLimited {
		t.Fatalf("fourth lookup: %v, want rate_limited", err)
	}
	if n := audited(mgr); n != 3 {
		t.Fatalf("%d disclosures audited, want 3", n)
	}
	// The allowance is the caller's own; a create that discloses nothing is
	// not bounded.
	if _, err := w.svc.Import(ctx, other, file(foreign[4]), people.ImportOptions{DryRun: true}); err != nil {
		t.Fatalf("another manager's first lookup: %v", err)
	}
	name = "Lò Văn Không Trùng"
	if err := create(person{Phone: "0971234567"}); err != nil {
		t.Fatalf("a create without duplicate: %v", err)
	}
	// The next day in Vietnam gives a new allowance.
	now = now.Add(24 * time.Hour)
	if rep, err := w.svc.Import(ctx, mgr, file(foreign[3]), people.ImportOptions{DryRun: true}); err != nil || len(rep.Errors) != 1 {
		t.Fatalf("next day: %+v %v", rep, err)
	}
	// Administrators cover everyone: nothing is disclosed to them.
	admin := w.signIn(kAdmin)
	if rep, err := w.svc.Import(ctx, admin, file(foreign...), people.ImportOptions{DryRun: true}); err != nil || rep.Updated != 5 || audited(admin) != 0 {
		t.Fatalf("admin: %+v %v, %d audited", rep, err, audited(admin))
	}
}
