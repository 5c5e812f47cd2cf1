// Package units is the use case of the geography: administrative units with
// their validity and successions, community learning centres and association
// branches. Every method takes the caller's principal and decides what it
// may do; the HTTP handlers and the commands call the same methods.
package units

import (
	"context"
	"time"

	"densach/domain"
)

// Service lists, reads, creates and merges units, centres and branches.
// Build it by field assignment in cmd/.
type Service struct {
	Units domain.UnitStore
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Workbook reads XLSX lists (ImportFile); nil accepts CSV only.
	Workbook WorkbookReader
}

// today is the civil date in Vietnam (midnight UTC, as dates are stored).
func (s *Service) today() time.Time {
	if s.Now != nil {
		return domain.Today(s.Now())
	}
	return domain.Today(time.Now())
}

// List lists units; every signed-in person reads the geography (it fills
// forms and is public).
func (s *Service) List(ctx context.Context, pr domain.Principal, f domain.UnitFilter) ([]domain.Unit, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, domain.Invalid(domain.FieldOf("kind", "kind_invalid", nil))
	}
	f.Today = s.today()
	return s.Units.ListUnits(ctx, f)
}

// Get reads one unit.
func (s *Service) Get(ctx context.Context, pr domain.Principal, id int64) (domain.Unit, error) {
	return s.Units.GetUnit(ctx, id)
}

// NewUnit is what a caller asks to create: the fields as sent, validated by
// Create.
type NewUnit struct {
	Code           string
	Name           string
	Kind           domain.UnitKind
	ParentID       *int64
	ValidFrom      string
	PredecessorIDs []int64
}

// Create adds a unit (administrators only), succeeding the given
// predecessors when it is a merge. A commune-level unit's parent is a
// current province, and nothing new is placed under a unit that has ended.
func (s *Service) Create(ctx context.Context, pr domain.Principal, in NewUnit) (domain.Unit, error) {
	if !pr.IsAdmin() {
		return domain.Unit{}, forbidden()
	}
	u, err := in.validate()
	if err != nil {
		return domain.Unit{}, err
	}
	if err := s.checkParent(ctx, u); err != nil {
		return domain.Unit{}, err
	}
	if err := s.Units.CreateUnit(ctx, domain.ActorOf(ctx, pr), &u, in.PredecessorIDs); err != nil {
		return domain.Unit{}, err
	}
	return u, nil
}

// The limits of a unit's input: code and name lengths in characters (a
// centre's or branch's name too), predecessors of one merger.
const (
	maxCodeLen      = 20
	maxNameLen      = 200
	maxPredecessors = 50
)

func (in NewUnit) validate() (domain.Unit, error) {
	var f domain.Fields
	u := domain.Unit{Kind: in.Kind, ParentID: in.ParentID}
	var err error
	if u.Code, err = domain.NormalizeText(in.Code, maxCodeLen); err != nil || u.Code == "" {
		f.AddOf("code", "code_required", domain.Params{"max": maxCodeLen})
	}
	if u.Name, err = domain.NormalizeText(in.Name, maxNameLen); err != nil || u.Name == "" {
		f.AddOf("name", "name_required", domain.Params{"max": maxNameLen})
	}
	if !u.Kind.Valid() {
		f.AddOf("kind", "kind_invalid", nil)
	} else if (u.Kind == domain.UnitProvince) != (in.ParentID == nil) {
		f.AddOf("parent_id", "parent_invalid", nil)
	}
	if u.ValidFrom, err = time.Parse(time.DateOnly, in.ValidFrom); err != nil {
		f.AddOf("valid_from", "date_invalid", nil)
	}
	if len(in.PredecessorIDs) > maxPredecessors {
		f.AddOf("predecessor_ids", "too_many", domain.Params{"max": maxPredecessors})
	}
	return u, f.Err()
}

// checkParent enforces where a unit may stand: a commune-level unit under a
// province, and a current unit under a current parent (a former unit, kept
// as history, under a parent that lasted at least as long). The database
// guards the same rule (migration 00010).
func (s *Service) checkParent(ctx context.Context, u domain.Unit) error {
	if u.ParentID == nil {
		return nil
	}
	parent, err := s.Units.GetUnit(ctx, *u.ParentID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.Invalid(domain.FieldOf("parent_id", "parent_unknown", nil))
	}
	if err != nil {
		return err
	}
	if u.Kind.CommuneLevel() && parent.Kind != domain.UnitProvince {
		return domain.Invalid(domain.FieldOf("parent_id", "parent_not_province", nil))
	}
	if parent.ValidTo != nil && (u.ValidTo == nil || u.ValidTo.After(*parent.ValidTo)) {
		return domain.Invalid(domain.FieldOf("parent_id", "parent_ended", nil))
	}
	return nil
}

// Merge records that existing units were merged into an existing successor
// on effectiveOn (today when zero; administrators only): each predecessor still current ends
// the day before. Links already recorded are kept; it reports how many it
// added.
func (s *Service) Merge(ctx context.Context, pr domain.Principal, successorID int64, predecessorIDs []int64, effectiveOn time.Time) (int, error) {
	if !pr.IsAdmin() {
		return 0, forbidden()
	}
	if effectiveOn.IsZero() {
		effectiveOn = s.today()
	}
	if len(predecessorIDs) == 0 || len(predecessorIDs) > maxPredecessors {
		return 0, domain.Invalid(domain.FieldOf("predecessor_ids", "predecessors_count", domain.Params{"min": 1, "max": maxPredecessors}))
	}
	succ, err := s.Units.GetUnit(ctx, successorID)
	if err != nil {
		return 0, err
	}
	if succ.ValidTo != nil {
		return 0, domain.Invalid(domain.FieldOf("successor_id", "successor_ended", nil))
	}
	return s.Units.LinkSuccessions(ctx, domain.ActorOf(ctx, pr), successorID, predecessorIDs, effectiveOn)
}

func forbidden() error {
	return domain.Fail(domain.CodeForbidden, "forbidden", nil)
}
