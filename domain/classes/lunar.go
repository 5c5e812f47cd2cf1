package classes

import (
	"math"
	"time"
)

// The Vietnamese lunar calendar, after Hồ Ngọc Đức's algorithm
// (https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html): new
// moons and solar terms from Meeus' approximations, with days counted in
// UTC+7. A Chinese calendar library (such as 6tail/lunar-go) counts days in
// UTC+8 and so differs from the Vietnamese calendar whenever a new moon
// falls between 23:00 and 24:00 Hanoi time (Tết 1985 and 2007 among them):
// that is why it is computed here.

const vnTimeZone = 7.0

// jdFromDate is the Julian day number of a Gregorian (or, before 1582,
// Julian) date.
func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	jd := dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
	if jd < 2299161 {
		jd = dd + (153*m+2)/5 + 365*y + y/4 - 32083
	}
	return jd
}

// jdToDate is the date of a Julian day number.
func jdToDate(jd int) (int, int, int) {
	var b, c int
	if jd > 2299160 {
		a := jd + 32044
		b = (4*a + 3) / 146097
		c = a - (b*146097)/4
	} else {
		c = jd + 32082
	}
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	return e - (153*m+2)/5 + 1, m + 3 - 12*(m/10), b*100 + d - 4800 + m/10
}

// newMoon is the Julian date (UT) of the k-th new moon after 1900-01-01.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	dr := math.Pi / 180
	sin := math.Sin
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*sin(m*dr) + 0.0021*sin(2*dr*m)
	c1 = c1 - 0.4068*sin(mpr*dr) + 0.0161*sin(dr*2*mpr)
	c1 -= 0.0004 * sin(dr*3*mpr)
	c1 = c1 + 0.0104*sin(dr*2*f) - 0.0051*sin(dr*(m+mpr))
	c1 = c1 - 0.0074*sin(dr*(m-mpr)) + 0.0004*sin(dr*(2*f+m))
	c1 = c1 - 0.0004*sin(dr*(2*f-m)) - 0.0006*sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*sin(dr*(2*f-mpr)) + 0.0005*sin(dr*(2*mpr+m))
	var deltat float64
	if t < -11 {
		deltat = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltat = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltat
}

// newMoonDay is the day number of the k-th new moon in the time zone.
func newMoonDay(k int, tz float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + tz/24))
}

// sunLongitude is the sun's longitude in radians at a Julian date (UT).
func sunLongitude(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - math.Pi*2*math.Floor(l/(math.Pi*2))
}

// sunSector is the solar term (0–11, by 30°) at the start of a day.
func sunSector(dayNumber int, tz float64) int {
	return int(math.Floor(sunLongitude(float64(dayNumber)-0.5-tz/24) / math.Pi * 6))
}

// lunarMonth11 is the day number of the start of the 11th lunar month (the
// one holding the winter solstice) of year yy.
func lunarMonth11(yy int, tz float64) int {
	off := jdFromDate(31, 12, yy) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k, tz)
	if sunSector(nm, tz) >= 9 {
		nm = newMoonDay(k-1, tz)
	}
	return nm
}

// leapMonthOffset is the offset, from the 11th month starting at a11, of the
// leap month of a leap year (the first month without a major solar term).
func leapMonthOffset(a11 int, tz float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k+i, tz), tz)
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k+i, tz), tz)
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// LunarToSolar is the civil date (at midnight UTC) of a Vietnamese lunar
// date; leap asks for the leap month of that number. ok is false for a leap
// month the year does not have.
func LunarToSolar(day, month, year int, leap bool) (time.Time, bool) {
	tz := vnTimeZone
	var a11, b11 int
	if month < 11 {
		a11, b11 = lunarMonth11(year-1, tz), lunarMonth11(year, tz)
	} else {
		a11, b11 = lunarMonth11(year, tz), lunarMonth11(year+1, tz)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11, tz)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return time.Time{}, false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return time.Time{}, false
	}
	d, m, y := jdToDate(newMoonDay(k+off, tz) + day - 1)
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// Tet is the first day of the lunar year that begins in the Gregorian year.
func Tet(year int) time.Time {
	t, _ := LunarToSolar(1, 1, year, false)
	return t
}
