package classes

import (
	"context"
	"strings"
	"time"

	"densach/domain"
)

var errProvinceNotFound = domain.Fail(domain.CodeNotFound, "province_not_found", nil)

// keepsHolidays reports whether the caller edits a province's holidays:
// administrators and the province's officers.
func keepsHolidays(p domain.Principal, provinceID int64) bool {
	for _, g := range p.Grants {
		if g.Role == domain.RoleAdmin || g.Role == domain.RoleOfficer && g.Kind == domain.ScopeProvince && g.UnitID == provinceID {
			return true
		}
	}
	return false
}

// seed stores the computed holidays of the years from..to for a province
// (each year once).
func (s *Service) seed(ctx context.Context, provinceID int64, from, to int) error {
	for y := from; y <= to; y++ {
		err := s.Store.SeedHolidays(ctx, provinceID, y, ComputedHolidays(y))
		if domain.ErrorCode(err) == domain.CodeInvalid {
			return errProvinceNotFound
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// holidays answers the name of a province's holiday on a day between from
// and to ("" for a working day), seeding the years it needs.
func (s *Service) holidays(ctx context.Context, provinceID int64, from, to time.Time) (func(time.Time) string, error) {
	if err := s.seed(ctx, provinceID, from.Year(), to.Year()); err != nil {
		return nil, err
	}
	hs, err := s.Store.Holidays(ctx, provinceID, from, to)
	if err != nil {
		return nil, err
	}
	names := make(map[time.Time]string, len(hs))
	for _, h := range hs {
		names[h.Day] = h.Name
	}
	return func(d time.Time) string { return names[d] }, nil
}

// ListHolidays lists a province's holidays of a year (seeded on first
// use). Every signed-in person reads them.
func (s *Service) ListHolidays(ctx context.Context, p domain.Principal, provinceID int64, year int) ([]Holiday, error) {
	if year < 1900 || year > 2199 {
		return nil, domain.Invalid(domain.FieldOf("year", "year_invalid", nil))
	}
	if err := s.seed(ctx, provinceID, year, year); err != nil {
		return nil, err
	}
	return s.Store.Holidays(ctx, provinceID, time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC))
}

// AddHoliday adds a day to a province's holidays (its officers).
func (s *Service) AddHoliday(ctx context.Context, p domain.Principal, provinceID int64, day time.Time, name string) (Holiday, error) {
	if !keepsHolidays(p, provinceID) {
		return Holiday{}, errForbidden
	}
	var f domain.Fields
	checkText(&f, "name", name, true, 200)
	if day.IsZero() || day.Year() < 1900 || day.Year() > 2199 {
		f.AddOf("day", "required", domain.Params{"field": "day"})
	}
	if err := f.Err(); err != nil {
		return Holiday{}, err
	}
	// The year is seeded first, so that seeding later never adds its
	// computed days next to (or over) the officers' edits.
	if err := s.seed(ctx, provinceID, day.Year(), day.Year()); err != nil {
		return Holiday{}, err
	}
	h := Holiday{ProvinceID: provinceID, Day: civil(day), Name: strings.TrimSpace(name), Source: HolidayManual}
	if err := s.Store.CreateHoliday(ctx, &h); err != nil {
		return Holiday{}, err
	}
	return h, nil
}

// DeleteHoliday removes a day from a province's holidays (its officers);
// a computed day stays deleted (its year is not seeded again).
func (s *Service) DeleteHoliday(ctx context.Context, p domain.Principal, id int64) error {
	h, err := s.Store.Holiday(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return errHolidayNotFound
	}
	if err != nil {
		return err
	}
	if !keepsHolidays(p, h.ProvinceID) {
		return errForbidden
	}
	return s.Store.DeleteHoliday(ctx, id)
}
