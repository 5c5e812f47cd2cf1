package units

import (
	"testing"
	"time"
)

// TestTodayIsVietnams: the default effective date of a merge is today in
// Vietnam, whatever the clock's zone: 23:59 and 00:01 in Vietnam either side
// of midnight (00:01 is still the day before in UTC), and a month's end.
func TestTodayIsVietnams(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	cases := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 23, 59, 0, 0, ict), "2026-12-01"},
		{time.Date(2026, 12, 2, 0, 1, 0, 0, ict), "2026-12-02"},
		{time.Date(2026, 12, 1, 17, 1, 0, 0, time.UTC), "2026-12-02"}, // the same instant as 00:01, in UTC
		{time.Date(2026, 12, 31, 23, 59, 0, 0, ict), "2026-12-31"},
		{time.Date(2027, 1, 1, 0, 1, 0, 0, ict).UTC(), "2027-01-01"},
		{time.Date(2026, 11, 30, 18, 45, 0, 0, ict), "2026-11-30"},
	}
	for _, c := range cases {
		s := &Service{Now: func() time.Time { return c.now }}
		got := s.today()
		if got.Format(time.DateOnly) != c.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("at %s: today %s, want %s (midnight UTC)", c.now.Format(time.RFC3339), got, c.want)
		}
	}
}
