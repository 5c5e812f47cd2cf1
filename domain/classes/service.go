package classes

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"densach/domain"
)

// Service is the classes use cases, built by field assignment in cmd/.
type Service struct {
	Store   Store
	Courses Courses
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

var (
	errForbidden       = domain.Fail(domain.CodeForbidden, "forbidden", nil)
	errVenueNotFound   = domain.Fail(domain.CodeNotFound, "venue_not_found", nil)
	errClassNotFound   = domain.Fail(domain.CodeNotFound, "class_not_found", nil)
	errSessionNotFound = domain.Fail(domain.CodeNotFound, "session_not_found", nil)
	errShareNotFound   = domain.Fail(domain.CodeNotFound, "teacher_share_not_found", nil)
	errHolidayNotFound = domain.Fail(domain.CodeNotFound, "holiday_not_found", nil)
	errCentreNotFound  = domain.Fail(domain.CodeNotFound, "centre_not_found", nil)
	errClassClosed     = domain.Fail(domain.CodeConflict, "class_closed", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// readsCentre reports whether the caller sees everything of a centre:
// administrators, officers of its province or commune, its managers and
// teachers.
func readsCentre(p domain.Principal, a domain.Area) bool {
	if p.AreaFilter().Matches(a) {
		return true
	}
	for _, g := range p.Grants {
		if g.Role == domain.RoleTeacher && slices.Contains(a.CentreIDs, g.CentreID) {
			return true
		}
	}
	return false
}

// managesCentre reports whether the caller runs a centre's classes and
// venues: administrators and the centre's managers.
func managesCentre(p domain.Principal, centreID int64) bool {
	for _, g := range p.Grants {
		if g.Role == domain.RoleAdmin || g.Role == domain.RoleManager && g.CentreID == centreID {
			return true
		}
	}
	return false
}

// readScope is the centres whose classes and venues the caller reads in full.
func readScope(p domain.Principal) domain.Filter {
	f := p.AreaFilter()
	for _, g := range p.Grants {
		if g.Role == domain.RoleTeacher && g.CentreID != 0 && !slices.Contains(f.CentreIDs, g.CentreID) {
			f.CentreIDs = append(f.CentreIDs, g.CentreID)
		}
	}
	return f
}

// learnerProvinces are the provinces whose open classes the caller sees as
// a learner.
func learnerProvinces(p domain.Principal) []int64 {
	var out []int64
	for _, g := range p.Grants {
		if g.Role == domain.RoleLearner && g.ProvinceID != 0 && !slices.Contains(out, g.ProvinceID) {
			out = append(out, g.ProvinceID)
		}
	}
	return out
}

func (s *Service) centreArea(ctx context.Context, centreID int64) (domain.Area, error) {
	a, err := s.Store.CentreArea(ctx, centreID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return a, errCentreNotFound
	}
	return a, err
}

// checkText adds field errors for a required (or optional) text too long.
func checkText(f *domain.Fields, field, v string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(v) == "":
		f.AddOf(field, "required", domain.Params{"field": field})
	case utf8.RuneCountInString(v) > max:
		f.AddOf(field, "text_too_long", domain.Params{"max": max})
	}
}

// checkURL adds a field error for a meeting link that is not http(s).
func checkURL(f *domain.Fields, field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(v) > 500 {
		f.AddOf(field, "meeting_url_invalid", nil)
	}
}

// ---- Venues ----

// ListVenues lists the venues the caller sees (of one centre when centreID
// is not 0): administrators all, officers their area's, managers and
// teachers their centre's.
func (s *Service) ListVenues(ctx context.Context, p domain.Principal, centreID int64) ([]Venue, error) {
	scope := readScope(p)
	if scope.Empty() {
		return nil, errForbidden
	}
	return s.Store.Venues(ctx, scope, centreID)
}

// venue reads a venue the caller sees (else not found).
func (s *Service) venue(ctx context.Context, p domain.Principal, id int64) (Venue, error) {
	v, err := s.Store.Venue(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return v, errVenueNotFound
	}
	if err != nil {
		return v, err
	}
	a, err := s.Store.CentreArea(ctx, v.CentreID)
	if err != nil {
		return v, err
	}
	if !readsCentre(p, a) {
		return v, errVenueNotFound
	}
	return v, nil
}

// GetVenue reads one venue.
func (s *Service) GetVenue(ctx context.Context, p domain.Principal, id int64) (Venue, error) {
	return s.venue(ctx, p, id)
}

func (in VenueInput) validate() error {
	var f domain.Fields
	checkText(&f, "name", in.Name, true, 200)
	checkText(&f, "address", in.Address, false, 500)
	if in.Capacity < 1 || in.Capacity > 10000 {
		f.AddOf("capacity", "capacity_invalid", domain.Params{"max": 10000})
	}
	if in.Computers < 0 || in.Computers > 10000 {
		f.AddOf("computers", "computers_invalid", nil)
	}
	return f.Err()
}

func (in VenueInput) apply(v *Venue) {
	v.Name, v.Address, v.Capacity = strings.TrimSpace(in.Name), strings.TrimSpace(in.Address), in.Capacity
	v.Computers, v.Projector, v.Internet = in.Computers, in.Projector, in.Internet
	if in.Active != nil {
		v.Active = *in.Active
	}
}

// CreateVenue adds a venue to a centre the caller manages.
func (s *Service) CreateVenue(ctx context.Context, p domain.Principal, in VenueInput) (Venue, error) {
	a, err := s.centreArea(ctx, in.CentreID)
	if err != nil {
		return Venue{}, err
	}
	if !managesCentre(p, in.CentreID) {
		if readsCentre(p, a) {
			return Venue{}, errForbidden
		}
		return Venue{}, errCentreNotFound
	}
	if err := in.validate(); err != nil {
		return Venue{}, err
	}
	v := Venue{CentreID: in.CentreID, Active: true}
	in.apply(&v)
	if err := s.Store.CreateVenue(ctx, &v); err != nil {
		return Venue{}, err
	}
	return s.Store.Venue(ctx, v.ID)
}

// UpdateVenue replaces a venue's details.
func (s *Service) UpdateVenue(ctx context.Context, p domain.Principal, id int64, in VenueInput) (Venue, error) {
	v, err := s.venue(ctx, p, id)
	if err != nil {
		return v, err
	}
	if !managesCentre(p, v.CentreID) {
		return Venue{}, errForbidden
	}
	if err := in.validate(); err != nil {
		return Venue{}, err
	}
	in.apply(&v)
	if err := s.Store.UpdateVenue(ctx, v); err != nil {
		return Venue{}, err
	}
	return s.Store.Venue(ctx, id)
}

// ---- Shared teachers ----

// ListShares lists the standing agreements from or to a centre the caller sees.
func (s *Service) ListShares(ctx context.Context, p domain.Principal, centreID int64) ([]Share, error) {
	a, err := s.centreArea(ctx, centreID)
	if err != nil {
		return nil, err
	}
	if !readsCentre(p, a) {
		return nil, errCentreNotFound
	}
	return s.Store.Shares(ctx, centreID)
}

// CreateShare records that the caller's centre (fromCentre, where the
// person teaches) agrees to lend the person to toCentre: a manager of the
// lending centre, or an administrator.
func (s *Service) CreateShare(ctx context.Context, p domain.Principal, personID, fromCentre, toCentre int64, note string) (Share, error) {
	a, err := s.centreArea(ctx, fromCentre)
	if err != nil {
		return Share{}, err
	}
	if !managesCentre(p, fromCentre) {
		if readsCentre(p, a) {
			return Share{}, errForbidden
		}
		return Share{}, errCentreNotFound
	}
	var f domain.Fields
	checkText(&f, "note", note, false, 500)
	if _, err := s.Store.CentreArea(ctx, toCentre); err != nil || toCentre == fromCentre {
		f.AddOf("to_centre_id", "centre_not_found", nil)
	}
	centres, err := s.Store.TeacherCentres(ctx, personID)
	if err != nil {
		return Share{}, err
	}
	if !slices.Contains(centres, fromCentre) {
		f.AddOf("person_id", "teacher_not_at_centre", nil)
	}
	if err := f.Err(); err != nil {
		return Share{}, err
	}
	sh := Share{PersonID: personID, FromCentreID: fromCentre, ToCentreID: toCentre, Note: strings.TrimSpace(note), AgreedBy: p.PersonID}
	if err := s.Store.CreateShare(ctx, &sh); err != nil {
		return Share{}, err
	}
	return s.Store.Share(ctx, sh.ID)
}

// RevokeShare ends an agreement (the lending centre's managers). Classes
// already naming the teacher keep them.
func (s *Service) RevokeShare(ctx context.Context, p domain.Principal, id int64) error {
	sh, err := s.Store.Share(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return errShareNotFound
	}
	if err != nil {
		return err
	}
	from, err := s.Store.CentreArea(ctx, sh.FromCentreID)
	if err != nil {
		return err
	}
	to, err := s.Store.CentreArea(ctx, sh.ToCentreID)
	if err != nil {
		return err
	}
	if !managesCentre(p, sh.FromCentreID) {
		if readsCentre(p, from) || readsCentre(p, to) {
			return errForbidden
		}
		return errShareNotFound
	}
	if sh.RevokedAt != nil {
		return nil
	}
	return s.Store.RevokeShare(ctx, id, p.PersonID, s.now())
}
