package domain

import (
	"testing"
	"time"
)

// TestToday: Vietnam's civil date of an instant, whatever the instant's
// zone: 00:30 ICT is still the day before in UTC (17:30 UTC), 23:30 ICT is
// 16:30 UTC the same day, and a year's end.
func TestToday(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC), "2025-07-01"},
		{time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC), "2025-06-30"},
		{time.Date(2025, 7, 1, 0, 30, 0, 0, ict), "2025-07-01"},
		{time.Date(2025, 6, 30, 12, 30, 0, 0, time.FixedZone("PDT", -7*3600)), "2025-07-01"},
		{time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), "2027-01-01"},
		{time.Date(2026, 12, 31, 16, 59, 59, 0, time.UTC), "2026-12-31"},
	} {
		got := Today(c.at)
		if got.Format(time.DateOnly) != c.want || got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 {
			t.Errorf("Today(%s) = %s, want %s at midnight UTC", c.at.Format(time.RFC3339), got, c.want)
		}
	}
}
