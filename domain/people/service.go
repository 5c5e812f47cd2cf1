// Package people holds the use cases of the people aggregate: reading,
// creating, editing and importing people, their accounts and their roles.
// Every method takes the caller's Principal and makes every authorization
// decision itself, so that the HTTP handlers only decode and encode and the
// rules are tested here without HTTP.
package people

import (
	"context"
	"time"

	"densach/domain"
)

// Locator finds where units and centres lie: the part of domain.UnitStore
// the people use cases need.
type Locator interface {
	// UnitArea locates a unit; CodeNotFound or CodeInvalid when it is
	// unknown or historical.
	UnitArea(ctx context.Context, id int64, today time.Time) (domain.Area, error)
	// CentreArea locates a centre; CodeNotFound when unknown.
	CentreArea(ctx context.Context, id int64) (domain.Area, error)
}

// DefaultDisclosureLimit is how many answers per day may tell a caller that
// a CCCD, phone or e-mail belongs to someone they may not change.
const DefaultDisclosureLimit = 30

// Service is the people use cases, built by field assignment in cmd/.
type Service struct {
	People      domain.PeopleStore
	Units       Locator
	Disclosures domain.DisclosureStore
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Hash hashes a password; nil means domain.HashPassword.
	Hash func(ctx context.Context, password string) (string, error)
	// DisclosureLimit bounds disclosures per caller and day; 0 means
	// DefaultDisclosureLimit.
	DisclosureLimit int
}

// View is a person as one caller sees them: contact details masked unless
// the caller is the person or covers them, and whether the caller may
// change them (profile, sign-in identifiers, account, roles).
type View struct {
	domain.Person
	Masked   bool
	Editable bool
}

var (
	errNotFound   = domain.Fail(domain.CodeNotFound, "person_not_found", nil)
	errNotCovered = domain.Fail(domain.CodeForbidden, "person_read_only", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if s.Hash != nil {
		return s.Hash(ctx, password)
	}
	return domain.HashPassword(ctx, password)
}

func (s *Service) disclosureLimit() int {
	if s.DisclosureLimit > 0 {
		return s.DisclosureLimit
	}
	return DefaultDisclosureLimit
}

// ViewOf is p as pr sees it.
func ViewOf(pr domain.Principal, p domain.Person) View {
	sees := pr.SeesContact(p)
	editable := pr.CanEditProfile(p)
	if !sees {
		p = p.Masked()
	}
	return View{Person: p, Masked: !sees, Editable: editable}
}

// readable loads a person the caller may see. Unknown and unreadable people
// get the same answer, so ids cannot be probed.
func (s *Service) readable(ctx context.Context, pr domain.Principal, id int64) (domain.Person, error) {
	p, err := s.People.GetPerson(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.Person{}, errNotFound
	}
	if err != nil {
		return domain.Person{}, err
	}
	if !pr.PeopleFilter(domain.ActRead).Matches(p.Area()) {
		return domain.Person{}, errNotFound
	}
	return p, nil
}

// covered loads a person the caller may change: 404 when they cannot see
// them, 403 when they can see but not change them.
func (s *Service) covered(ctx context.Context, pr domain.Principal, id int64) (domain.Person, error) {
	p, err := s.readable(ctx, pr, id)
	if err != nil {
		return p, err
	}
	if !pr.Covers(p) {
		return p, errNotCovered
	}
	return p, nil
}

// communeArea locates the commune a person lives in: a current
// commune-level unit, else a field error on commune_id.
func (s *Service) communeArea(ctx context.Context, id int64) (domain.Area, error) {
	area, err := s.Units.UnitArea(ctx, id, domain.Today(s.now()))
	if code := domain.ErrorCode(err); code == domain.CodeNotFound || code == domain.CodeInvalid || (err == nil && area.CommuneID == 0) {
		return domain.Area{}, domain.Invalid(domain.FieldOf("commune_id", "commune_unknown", nil))
	}
	return area, err
}

// disclose bounds and audits answers that reveal a CCCD, phone or e-mail
// of someone the caller may not change. Callers who manage everyone
// (administrators) learn nothing they could not read.
func (s *Service) disclose(ctx context.Context, pr domain.Principal, ds []domain.Disclosure) error {
	if len(ds) == 0 || pr.PeopleFilter(domain.ActManage).All {
		return nil
	}
	if s.Disclosures == nil {
		return domain.Fail(domain.CodeInternal, "disclosure_place_missing", nil)
	}
	return s.Disclosures.RecordDisclosures(ctx, domain.ActorOf(ctx, pr), s.now(), s.disclosureLimit(), ds)
}

// duplicateDisclosures are the identifiers a refused write says are taken.
func duplicateDisclosures(err error) []domain.Disclosure {
	if domain.ErrorCode(err) != domain.CodeConflict {
		return nil
	}
	var out []domain.Disclosure
	for _, f := range domain.AsError(err).Fields {
		switch f.Field {
		case "cccd", "phone", "email":
			out = append(out, domain.Disclosure{Field: f.Field})
		}
	}
	return out
}

// writeErr passes a refused write's error on, after counting what it
// discloses: past the daily allowance the caller gets the limit instead.
func (s *Service) writeErr(ctx context.Context, pr domain.Principal, err error) error {
	if ds := duplicateDisclosures(err); len(ds) > 0 {
		if derr := s.disclose(ctx, pr, ds); derr != nil {
			return derr
		}
	}
	return err
}
