package classes

import "time"

// Holiday is a day without classes in a province. The public holidays are
// computed for a year (ComputedHolidays) and stored per province the first
// time the year is needed; officers then add or delete days (a province's
// own festival, the day next to Quốc khánh the government picks each year).
type Holiday struct {
	ID         int64
	ProvinceID int64
	Day        time.Time // a civil date, at midnight UTC
	Name       string
	Source     string // HolidayComputed or HolidayManual
}

// The sources of a holiday.
const (
	HolidayComputed = "computed"
	HolidayManual   = "manual"
)

// tetDays is how many days the Tết break is seeded with: the last day of
// the lunar year and the first four of the new one (Bộ luật Lao động 2019,
// Điều 112: five days, placed each year by the government; officers move
// them in the data when the decision differs).
const tetDays = 5

// ComputedHolidays are the public holidays of a Gregorian year by the rules
// of Bộ luật Lao động 2019, Điều 112: Tết Dương lịch (1 January), Tết
// Nguyên đán (five days around the lunar new year), Giỗ Tổ Hùng Vương (10th
// day of the 3rd lunar month), Ngày Chiến thắng (30 April), Quốc tế Lao động
// (1 May) and Quốc khánh (2 September). Days are civil dates; a day named
// twice keeps its first name.
func ComputedHolidays(year int) []Holiday {
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	var out []Holiday
	add := func(t time.Time, name string) {
		if t.Year() != year {
			return
		}
		for _, h := range out {
			if h.Day.Equal(t) {
				return
			}
		}
		out = append(out, Holiday{Day: t, Name: name, Source: HolidayComputed})
	}
	add(day(time.January, 1), "Tết Dương lịch")
	// The Tết break of the lunar year starting in this year, and the end of
	// the next one's when it starts in late December (never in practice).
	for _, y := range []int{year, year + 1} {
		tet := Tet(y)
		for i := -1; i < tetDays-1; i++ {
			add(tet.AddDate(0, 0, i), "Tết Nguyên đán")
		}
	}
	if g, ok := LunarToSolar(10, 3, year, false); ok {
		add(g, "Giỗ Tổ Hùng Vương")
	}
	add(day(time.April, 30), "Ngày Chiến thắng")
	add(day(time.May, 1), "Ngày Quốc tế Lao động")
	add(day(time.September, 2), "Quốc khánh")
	return out
}
