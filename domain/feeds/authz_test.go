package feeds_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/domain/feeds"
)

// The columns of the table: every role in centre A1's scope (province A,
// commune A1) and in a foreign one (B), with the class's own teacher and
// enrolled learner besides a teacher and a learner of the centre who are
// neither.
const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacher   // teaches class A1 (a teacher of centre A1)
	cTeacherA1 // another teacher of centre A1
	cLearner   // enrolled in class A1 (a learner of centre A1)
	cLearnerA1 // a learner of centre A1, not enrolled
	cOfficerB
	cManagerB1
	cTeacherB1 // teaches class B1
	cLearnerB1 // enrolled in class B1
	nCallers
)

var callerNames = [nCallers]string{"admin", "officer_province_A", "officer_commune_A1", "manager_A1", "teacher_of_class_A1", "teacher_A1",
	"learner_in_class_A1", "learner_A1", "officer_province_B", "manager_B1", "teacher_of_class_B1", "learner_in_class_B1"}

const (
	ok  = domain.Code("")
	no  = domain.CodeForbidden // sees the subject, may not subscribe
	nf  = domain.CodeNotFound  // does not see the subject
	bad = domain.CodeInvalid
)

// TestAuthzFeeds makes a link of every kind to the subjects of centre A1
// (own scope) and B1 (foreign) as every caller, and checks that each link
// made works when fetched (with the owner's grants read again).
func TestAuthzFeeds(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	kinds := [nCallers]string{"admin", "officer_province_A", "officer_commune_A1", "manager_A1", "teacher_A1", "teacher_A1",
		"learner_A1", "learner_A1", "officer_province_B", "manager_B1", "teacher_B1", "learner_B1"}
	var callers [nCallers]domain.Principal
	for i, k := range kinds {
		callers[i] = w.signIn(k)
	}
	a1 := w.place(w.CentreA1, callers[cTeacher].PersonID)
	b1 := w.place(w.CentreB1, callers[cTeacherB1].PersonID)
	w.session(a1, 3, callers[cTeacher].PersonID)
	w.session(b1, 3, callers[cTeacherB1].PersonID)
	w.enrol(callers[cLearner].PersonID, a1.class)
	w.enrol(callers[cLearnerB1].PersonID, b1.class)

	type row struct {
		kind    feeds.Kind
		subject int64
		want    [nCallers]domain.Code
	}
	rows := map[string]row{
		"class_A1": {feeds.KindClass, a1.class.ID, [nCallers]domain.Code{ok, ok, ok, ok, ok, ok, ok, no, nf, nf, nf, nf}},
		"venue_A1": {feeds.KindVenue, a1.venue.ID, [nCallers]domain.Code{ok, ok, ok, ok, ok, ok, nf, nf, nf, nf, nf, nf}},
		"teacher_A1": {feeds.KindTeacher, callers[cTeacher].PersonID,
			[nCallers]domain.Code{ok, no, no, ok, ok, no, nf, nf, nf, nf, nf, nf}},
		"learner_A1": {feeds.KindLearner, callers[cLearner].PersonID,
			[nCallers]domain.Code{no, no, no, no, no, no, ok, nf, nf, nf, nf, nf}},
		"class_B1": {feeds.KindClass, b1.class.ID, [nCallers]domain.Code{ok, nf, nf, nf, nf, nf, nf, nf, ok, ok, ok, ok}},
		"venue_B1": {feeds.KindVenue, b1.venue.ID, [nCallers]domain.Code{ok, nf, nf, nf, nf, nf, nf, nf, ok, ok, ok, nf}},
		"teacher_B1": {feeds.KindTeacher, callers[cTeacherB1].PersonID,
			[nCallers]domain.Code{ok, nf, nf, nf, nf, nf, nf, nf, no, ok, ok, nf}},
		"learner_B1": {feeds.KindLearner, callers[cLearnerB1].PersonID,
			[nCallers]domain.Code{no, nf, nf, nf, nf, nf, nf, nf, no, no, no, ok}},
		// A learner is no teacher: their own teacher feed has nothing to show.
		"teacher_self_not_teaching": {feeds.KindTeacher, callers[cLearnerA1].PersonID,
			[nCallers]domain.Code{no, no, no, no, no, no, nf, no, nf, nf, nf, nf}},
		"unknown_class":  {feeds.KindClass, 1 << 40, [nCallers]domain.Code{nf, nf, nf, nf, nf, nf, nf, nf, nf, nf, nf, nf}},
		"unknown_person": {feeds.KindLearner, 1 << 40, [nCallers]domain.Code{nf, nf, nf, nf, nf, nf, nf, nf, nf, nf, nf, nf}},
		"unknown_kind":   {feeds.Kind("room"), a1.venue.ID, [nCallers]domain.Code{bad, bad, bad, bad, bad, bad, bad, bad, bad, bad, bad, bad}},
	}
	for name, r := range rows {
		for i, p := range callers {
			t.Run(name+"/"+callerNames[i], func(t *testing.T) {
				f, err := w.svc.Create(ctx, p, r.kind, r.subject)
				if codeOf(err) != r.want[i] {
					t.Fatalf("create: %v, want %q", err, r.want[i])
				}
				if err != nil {
					return
				}
				cal, err := w.svc.Fetch(ctx, f.Token)
				if err != nil {
					t.Fatalf("fetch: %v", err)
				}
				if cal.Feed.ID != f.ID || cal.Name == "" {
					t.Fatalf("fetched %+v", cal.Feed)
				}
				if err := w.svc.Revoke(ctx, p, f.ID); err != nil {
					t.Fatalf("revoke: %v", err)
				}
			})
		}
	}
}

// TestFeedsOwnerOnly: a link is listed, revoked and seen only by its
// owner; others (the administrator too) get 404 for it.
func TestFeedsOwnerOnly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	teacher, manager := w.signIn("teacher_A1"), w.signIn("manager_A1")
	a1 := w.place(w.CentreA1, teacher.PersonID)
	f, err := w.svc.Create(ctx, teacher, feeds.KindClass, a1.class.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []domain.Principal{w.admin, manager} {
		if err := w.svc.Revoke(ctx, p, f.ID); codeOf(err) != nf {
			t.Fatalf("revoke by another: %v", err)
		}
		list, err := w.svc.Mine(ctx, p)
		if err != nil || len(list) != 0 {
			t.Fatalf("another's list: %v %+v", err, list)
		}
	}
	list, err := w.svc.Mine(ctx, teacher)
	if err != nil || len(list) != 1 || list[0].ID != f.ID || list[0].SubjectName != a1.class.Title || list[0].Kind != feeds.KindClass {
		t.Fatalf("owner's list: %v %+v", err, list)
	}
	if err := w.svc.Revoke(ctx, teacher, f.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Revoke(ctx, teacher, f.ID); codeOf(err) != nf {
		t.Fatalf("revoked twice: %v", err)
	}
	if list, _ := w.svc.Mine(ctx, teacher); len(list) != 0 {
		t.Fatalf("listed after revocation: %+v", list)
	}
	if _, err := w.svc.Fetch(ctx, f.Token); codeOf(err) != nf {
		t.Fatalf("fetch after revocation: %v", err)
	}
	// Both are in the audit log, by the owner, without the token.
	var n int64
	if err := w.DB.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'calendar_feed' AND entity_id = $1 AND actor_id = $2
		AND action IN ('calendar_feed_created', 'calendar_feed_revoked') AND position($3 in changes::text) = 0`, f.ID, teacher.PersonID, f.Token).Scan(&n); err != nil || n != 2 {
		t.Fatalf("audit entries: %d %v", n, err)
	}
	if _, err := w.svc.Mine(ctx, domain.System()); codeOf(err) != no {
		t.Fatalf("system principal: %v", err)
	}
}
