package classes

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestTet checks the first day of the lunar year against the Vietnamese
// calendar as published (1985 and 2007 differ from the Chinese calendar,
// whose days are counted in UTC+8).
func TestTet(t *testing.T) {
	for year, want := range map[int]string{
		1985: "1985-01-21", 2007: "2007-02-17", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01",
		2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
		2028: "2028-01-26", 2029: "2029-02-13",
	} {
		if got := Tet(year); !got.Equal(date(want)) {
			t.Errorf("Tết %d: %s, want %s", year, got.Format(time.DateOnly), want)
		}
	}
}

// TestHungKings checks Giỗ Tổ Hùng Vương (10/3 lunar), across a leap year
// (2023 has a leap 2nd month, 2025 a leap 6th).
func TestHungKings(t *testing.T) {
	for year, want := range map[int]string{
		2022: "2022-04-10", 2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26",
	} {
		got, ok := LunarToSolar(10, 3, year, false)
		if !ok || !got.Equal(date(want)) {
			t.Errorf("Giỗ Tổ %d: %s, want %s", year, got.Format(time.DateOnly), want)
		}
	}
	// 2023's leap month is the 2nd, 2025's the 6th; 2024 has none.
	if d, ok := LunarToSolar(1, 2, 2023, true); !ok || !d.Equal(date("2023-03-22")) {
		t.Errorf("leap 2nd month 2023: %s %v", d.Format(time.DateOnly), ok)
	}
	if d, ok := LunarToSolar(1, 6, 2025, true); !ok || !d.Equal(date("2025-07-25")) {
		t.Errorf("leap 6th month 2025: %s %v", d.Format(time.DateOnly), ok)
	}
	if _, ok := LunarToSolar(1, 3, 2024, true); ok {
		t.Error("2024 has no leap month")
	}
}

// TestComputedHolidays checks a year's seeded days.
func TestComputedHolidays(t *testing.T) {
	got := map[string]string{}
	for _, h := range ComputedHolidays(2026) {
		got[h.Day.Format(time.DateOnly)] = h.Name
	}
	for _, d := range []string{"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
		"2026-04-26", "2026-04-30", "2026-05-01", "2026-09-02"} {
		if got[d] == "" {
			t.Errorf("%s missing from %v", d, got)
		}
	}
	if len(got) != 10 {
		t.Errorf("%d days: %v", len(got), got)
	}
	// Tết 2025 starts on 29 January: the break is 28 January – 1 February.
	n := 0
	for _, h := range ComputedHolidays(2025) {
		if h.Name == "Tết Nguyên đán" {
			n++
			if h.Day.Before(date("2025-01-28")) || h.Day.After(date("2025-02-01")) {
				t.Errorf("Tết 2025 day %s", h.Day.Format(time.DateOnly))
			}
		}
	}
	if n != 5 {
		t.Errorf("%d days of Tết 2025", n)
	}
}
