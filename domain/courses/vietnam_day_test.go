package courses_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

// TestProvinceLibraryOnVietnamsDay: a province's library course may be made
// for a province current today in Vietnam by the service's clock: one that
// ended on 30 June 2025 still is at 23:30 ICT that day, no longer at
// 00:30 ICT on 1 July (17:30 UTC on 30 June).
func TestProvinceLibraryOnVietnamsDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ended := w.ID(`INSERT INTO units (code, name, kind, valid_from, valid_to) VALUES ('02', 'Hà Giang', 'province', '1991-10-01', '2025-06-30') RETURNING id`)
	for _, c := range []struct {
		at time.Time
		ok bool
	}{
		{time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC), true},
		{time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC), false},
	} {
		w.svc.Now = func() time.Time { return c.at }
		_, err := w.svc.Create(ctx, w.admin, courses.NewCourse{ProvinceID: ended, Details: courses.Details{Title: "Khóa tỉnh", Category: "health"}})
		rejected := domain.ErrorCode(err) == domain.CodeInvalid && hasField(err, "province_id")
		if (err == nil) != c.ok || (!c.ok && !rejected) {
			t.Errorf("at %s: %v, want accepted %v", c.at.Format(time.RFC3339), err, c.ok)
		}
	}
}

func hasField(err error, name string) bool {
	e := domain.AsError(err)
	if e == nil {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == name {
			return true
		}
	}
	return false
}
