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
}

func (s *Service) today() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	y, m, d := now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// List lists units; every signed-in person reads the geography (it fills
// forms and is public).
func (s *Service) List(ctx context.Context, pr domain.Principal, f domain.UnitFilter) ([]domain.Unit, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, domain.Invalid(domain.Field("kind", "kind_invalid", "Loại đơn vị không hợp lệ."))
	}
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

func (in NewUnit) validate() (domain.Unit, error) {
	var f domain.Fields
	u := domain.Unit{Kind: in.Kind, ParentID: in.ParentID}
	var err error
	if u.Code, err = domain.NormalizeText(in.Code, 20); err != nil || u.Code == "" {
		f.Add("code", "code_required", "Cần nhập mã đơn vị (tối đa 20 ký tự).")
	}
	if u.Name, err = domain.NormalizeText(in.Name, 200); err != nil || u.Name == "" {
		f.Add("name", "name_required", "Cần nhập tên đơn vị (tối đa 200 ký tự).")
	}
	if !u.Kind.Valid() {
		f.Add("kind", "kind_invalid", "Loại đơn vị không hợp lệ.")
	} else if (u.Kind == domain.UnitProvince) != (in.ParentID == nil) {
		f.Add("parent_id", "parent_invalid", "Tỉnh không có đơn vị cấp trên; xã/phường phải thuộc một tỉnh.")
	}
	if u.ValidFrom, err = time.Parse(time.DateOnly, in.ValidFrom); err != nil {
		f.Add("valid_from", "date_invalid", "Ngày hiệu lực cần có dạng năm-tháng-ngày (ví dụ 2025-07-01).")
	}
	if len(in.PredecessorIDs) > 50 {
		f.Add("predecessor_ids", "too_many", "Tối đa 50 đơn vị tiền thân.")
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
		return domain.Invalid(domain.Field("parent_id", "parent_unknown", "Không có đơn vị cấp trên này."))
	}
	if err != nil {
		return err
	}
	if u.Kind.CommuneLevel() && parent.Kind != domain.UnitProvince {
		return domain.Invalid(domain.Field("parent_id", "parent_not_province", "Xã, phường, đặc khu phải thuộc một tỉnh."))
	}
	if parent.ValidTo != nil && (u.ValidTo == nil || u.ValidTo.After(*parent.ValidTo)) {
		return domain.Invalid(domain.Field("parent_id", "parent_ended", "Đơn vị cấp trên đã hết hiệu lực: không thể đặt đơn vị mới vào đó."))
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
	if len(predecessorIDs) == 0 || len(predecessorIDs) > 50 {
		return 0, domain.Invalid(domain.Field("predecessor_ids", "predecessors_count", "Cần từ 1 đến 50 đơn vị tiền thân."))
	}
	succ, err := s.Units.GetUnit(ctx, successorID)
	if err != nil {
		return 0, err
	}
	if succ.ValidTo != nil {
		return 0, domain.Invalid(domain.Field("successor_id", "successor_ended", "Đơn vị kế thừa phải còn hiệu lực."))
	}
	return s.Units.LinkSuccessions(ctx, domain.ActorOf(ctx, pr), successorID, predecessorIDs, effectiveOn)
}

func forbidden() error {
	return domain.Errorf(domain.CodeForbidden, "Bạn không có quyền thực hiện thao tác này.")
}
