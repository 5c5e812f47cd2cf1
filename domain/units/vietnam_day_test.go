package units_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"densach/domain"
)

// TestListCurrentOnVietnamsDay: the current units are those of today in
// Vietnam by the service's clock. The province ending 30 June 2025 is listed
// at 23:30 ICT that day and not at 00:30 ICT on 1 July, though that is
// still 30 June in UTC.
func TestListCurrentOnVietnamsDay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := domain.Principal{PersonID: 1}
	for _, c := range []struct {
		at    time.Time
		ended bool
	}{
		{time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC), true},
		{time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC), false},
	} {
		f.svc.Now = func() time.Time { return c.at }
		us, err := f.svc.List(ctx, p, domain.UnitFilter{Kind: domain.UnitProvince})
		if err != nil {
			t.Fatal(err)
		}
		listed := slices.ContainsFunc(us, func(u domain.Unit) bool { return u.ID == f.ended })
		if listed != c.ended || len(us) < 2 {
			t.Errorf("at %s: %d provinces, the one ending 30 June listed %v, want %v", c.at.Format(time.RFC3339), len(us), listed, c.ended)
		}
	}
}
