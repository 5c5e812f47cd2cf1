package classes_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// The class wizard's dry run for a class not saved yet: the sessions a
// recurrence makes, the holidays skipped (named) and the conflicts with the
// booked sessions of other classes, and nothing stored; the class's errors
// and the recurrence's are named as parts of the body (class.…, plan.…).
func TestPreviewClass(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgr := w.signIn(kManagerA1)
	venue := w.venue(w.CentreA1, "Nhà văn hoá tổ 5")
	other := w.class(w.CentreA1, w.courseA1, venue.ID, classes.StatusOpen)
	// Monday 7 September 2026, 18:30–20:00: the other class holds the venue.
	booked := w.session(other.ID, time.Date(2026, 9, 7, 18, 30, 0, 0, classes.Zone), venue.ID, 0)

	in := classes.ClassInput{CentreID: w.CentreA1, CourseID: w.courseA1, Mode: classes.ModeBlended, VenueID: venue.ID, Capacity: 20,
		StartsOn: day("2026-08-31"), EndsOn: day("2026-09-30")}
	rec := classes.Recurrence{Weekdays: []int{1, 3}, StartTime: "19:00", DurationMin: 60, Count: 3}
	before, err := w.svc.ListClasses(ctx, mgr, w.CentreA1, "")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.svc.PreviewClass(ctx, mgr, in, classes.PlanInput{Recurrence: rec})
	if err != nil {
		t.Fatal(err)
	}
	// Mon 31/8, Wed 2/9 is National Day (skipped), Mon 7/9, Wed 9/9.
	if len(plan.Sessions) != 3 || plan.Created {
		t.Fatalf("plan: %+v", plan)
	}
	if len(plan.Skipped) != 1 || plan.Skipped[0].Day.Format(time.DateOnly) != "2026-09-02" || plan.Skipped[0].Name == "" {
		t.Fatalf("skipped: %+v", plan.Skipped)
	}
	if len(plan.Conflicts) != 1 || plan.Conflicts[0].SessionID != booked.ID || plan.Conflicts[0].Wanted != 1 ||
		plan.Conflicts[0].Resource != "venue" || plan.Conflicts[0].ClassTitle != other.Title {
		t.Fatalf("conflicts: %+v", plan.Conflicts)
	}
	after, err := w.svc.ListClasses(ctx, mgr, w.CentreA1, "")
	if err != nil || len(after) != len(before) {
		t.Fatalf("a class was stored: %d → %d (%v)", len(before), len(after), err)
	}

	// Another hour: no conflict.
	rec.StartTime = "14:00"
	if plan, err = w.svc.PreviewClass(ctx, mgr, in, classes.PlanInput{Recurrence: rec}); err != nil || len(plan.Conflicts) != 0 {
		t.Fatalf("at 14:00: %+v %v", plan.Conflicts, err)
	}

	// Errors name the part of the body they belong to.
	bad := in
	bad.EndsOn = day("2026-08-01")
	_, err = w.svc.PreviewClass(ctx, mgr, bad, classes.PlanInput{Recurrence: rec})
	if e := domain.AsError(err); e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "class.ends_on" {
		t.Fatalf("bad class: %v %+v", err, e.Fields)
	}
	_, err = w.svc.PreviewClass(ctx, mgr, in, classes.PlanInput{Recurrence: classes.Recurrence{StartTime: "25:00", DurationMin: 60, Count: 2}})
	if e := domain.AsError(err); e.Code != domain.CodeInvalid || len(e.Fields) == 0 || e.Fields[0].Field != "plan.recurrence.weekdays" {
		t.Fatalf("bad recurrence: %v %+v", err, e.Fields)
	}
}
