package classes_test

import (
	"context"
	"testing"
	"time"

	"densach/domain/classes"
)

// tetBreaks are the Tết breaks as seeded (the last day of the lunar year and
// the first four of the next), from the published calendar, not from the
// code under test.
var tetBreaks = map[int][2]string{
	2025: {"2025-01-28", "2025-02-01"},
	2026: {"2026-02-16", "2026-02-20"},
	2027: {"2027-02-05", "2027-02-09"},
	2028: {"2028-01-25", "2028-01-29"},
}

// TestPlanSkipsHolidays makes daily sessions over the Tết of several years
// and Giỗ Tổ: the break's days are skipped (and reported), the others kept,
// each at 18:00 in Vietnam; a holiday an officer deletes is taught again.
func TestPlanSkipsHolidays(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	manager := w.signIn(kManagerA1)
	venue := w.venue(w.CentreA1, "Nhà văn hoá")
	c, err := w.svc.CreateClass(ctx, manager, classes.ClassInput{CentreID: w.CentreA1, CourseID: w.courseA1, Mode: classes.ModeInPerson, VenueID: venue.ID,
		Capacity: 30, StartsOn: day("2025-01-01"), EndsOn: day("2028-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	for year, br := range tetBreaks {
		from, to := day(br[0]).AddDate(0, 0, -3), day(br[1]).AddDate(0, 0, 3)
		plan, err := w.svc.PlanSessions(ctx, manager, c.ID, classes.PlanInput{DryRun: true,
			Recurrence: classes.Recurrence{Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, StartTime: "18:00", DurationMin: 90, From: from, Until: &to}})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Skipped) != 5 || !plan.Skipped[0].Day.Equal(day(br[0])) || !plan.Skipped[4].Day.Equal(day(br[1])) {
			t.Errorf("Tết %d skipped %+v", year, plan.Skipped)
		}
		if len(plan.Sessions) != 6 {
			t.Errorf("Tết %d: %d sessions", year, len(plan.Sessions))
		}
		for _, s := range plan.Sessions {
			local := s.StartsAt.In(classes.Zone)
			if local.Hour() != 18 || s.StartsAt.UTC().Hour() != 11 || s.EndsAt.Sub(s.StartsAt) != 90*time.Minute {
				t.Errorf("session at %s", s.StartsAt)
			}
			d := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
			if !d.Before(day(br[0])) && !d.After(day(br[1])) {
				t.Errorf("a session during Tết %d: %s", year, d)
			}
		}
	}
	// Giỗ Tổ 2026 (26 April, a Sunday): a Sunday class skips it.
	until := day("2026-05-03")
	plan, err := w.svc.PlanSessions(ctx, manager, c.ID, classes.PlanInput{DryRun: true,
		Recurrence: classes.Recurrence{Weekdays: []int{7}, StartTime: "08:00", DurationMin: 120, From: day("2026-04-19"), Until: &until}})
	if err != nil || len(plan.Sessions) != 2 || len(plan.Skipped) != 1 || plan.Skipped[0].Name != "Giỗ Tổ Hùng Vương" {
		t.Fatalf("Giỗ Tổ: %+v %v", plan, err)
	}
	// The province's officer deletes it: the day is taught again, and
	// seeding the year again does not bring it back.
	officer := w.signIn(kOfficerA)
	hs, err := w.svc.ListHolidays(ctx, officer, w.ProvA, 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.Name == "Giỗ Tổ Hùng Vương" {
			if err := w.svc.DeleteHoliday(ctx, officer, h.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	plan, err = w.svc.PlanSessions(ctx, manager, c.ID, classes.PlanInput{
		Recurrence: classes.Recurrence{Weekdays: []int{7}, StartTime: "08:00", DurationMin: 120, From: day("2026-04-19"), Until: &until}})
	if err != nil || len(plan.Sessions) != 3 || !plan.Created {
		t.Fatalf("after the deletion: %+v %v", plan, err)
	}
	// A count counts sessions, not skipped days.
	plan, err = w.svc.PlanSessions(ctx, manager, c.ID, classes.PlanInput{DryRun: true,
		Recurrence: classes.Recurrence{Weekdays: []int{1, 2, 3, 4, 5}, StartTime: "14:00", DurationMin: 60, From: day("2027-02-01"), Count: 10}})
	if err != nil || len(plan.Sessions) != 10 || len(plan.Skipped) != 3 {
		t.Fatalf("count across Tết 2027: %d sessions, skipped %+v, %v", len(plan.Sessions), plan.Skipped, err)
	}
	// Refusals, each naming its field.
	for key, r := range map[string]classes.Recurrence{
		"recurrence_empty":        {Weekdays: []int{2}, StartTime: "08:00", DurationMin: 60, From: day("2026-02-17"), Until: ptr(day("2026-02-17"))},
		"recurrence_too_many":     {Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, StartTime: "08:00", DurationMin: 60, From: day("2025-01-01"), Until: ptr(day("2027-12-31"))},
		"recurrence_end_required": {Weekdays: []int{1}, StartTime: "08:00", DurationMin: 60, From: day("2026-03-01")},
		"until_before_from":       {Weekdays: []int{1}, StartTime: "08:00", DurationMin: 60, From: day("2026-03-01"), Until: ptr(day("2026-02-01"))},
		"weekdays_required":       {StartTime: "08:00", DurationMin: 60, From: day("2026-03-01"), Count: 3},
		"start_time_invalid":      {Weekdays: []int{1}, StartTime: "25:00", DurationMin: 60, From: day("2026-03-01"), Count: 3},
		"duration_invalid":        {Weekdays: []int{1}, StartTime: "08:00", DurationMin: 1000, From: day("2026-03-01"), Count: 3},
		"session_outside_class":   {Weekdays: []int{1}, StartTime: "08:00", DurationMin: 60, From: day("2028-12-01"), Count: 10},
	} {
		if _, err := w.svc.PlanSessions(ctx, manager, c.ID, classes.PlanInput{Recurrence: r}); keyOf(err) != key {
			t.Errorf("%s: %v", key, err)
		}
	}
}
