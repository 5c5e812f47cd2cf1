package units

import (
	"context"
	"fmt"
	"slices"

	"densach/domain"
)

// ImportResult says what an import did; a second import of the same list
// creates and links nothing.
type ImportResult struct {
	Created     int
	Unchanged   int
	Linked      int
	Unconfirmed int
	// Conflicts are entries whose code is already taken by a unit with
	// another name, kind or province; they are left as they are.
	Conflicts []string
}

// Changed reports whether the import wrote anything.
func (r ImportResult) Changed() bool { return r.Created > 0 || r.Linked > 0 }

// Import loads an official list (administrators and the system only):
// provinces first, then current units, then former units with their
// successions. A unit is matched by code (and, for a former unit, by name
// too, since codes are reused); what exists is never duplicated.
func (s *Service) Import(ctx context.Context, pr domain.Principal, entries []Entry) (ImportResult, error) {
	return s.importEntries(ctx, pr, entries, false)
}

// Preview says what Import would do with entries, writing nothing
// (administrators only): the units it would create and the successions it
// would link are counted, the conflicts named.
func (s *Service) Preview(ctx context.Context, pr domain.Principal, entries []Entry) (ImportResult, error) {
	return s.importEntries(ctx, pr, entries, true)
}

func (s *Service) importEntries(ctx context.Context, pr domain.Principal, entries []Entry, dryRun bool) (ImportResult, error) {
	var res ImportResult
	if err := s.CanImport(pr); err != nil {
		return res, err
	}
	existing, err := s.Units.ListUnits(ctx, domain.UnitFilter{IncludeExpired: true})
	if err != nil {
		return res, err
	}
	current := map[string]*domain.Unit{}
	former := map[string]*domain.Unit{}
	for i := range existing {
		u := &existing[i]
		if u.ValidTo == nil {
			current[u.Code] = u
		} else {
			former[u.Code+"\x00"+u.Name] = u
		}
	}
	rank := func(e Entry) int {
		switch {
		case e.Kind == domain.UnitProvince:
			return 0
		case e.ValidTo == nil:
			return 1
		}
		return 2
	}
	entries = slices.Clone(entries)
	slices.SortStableFunc(entries, func(a, b Entry) int { return rank(a) - rank(b) })
	for _, e := range entries {
		if e.Unconfirmed {
			res.Unconfirmed++
		}
		if err := s.importEntry(ctx, pr, e, current, former, dryRun, &res); err != nil {
			return res, fmt.Errorf("dòng %d (%s %s): %w", e.Line, e.Code, e.Name, err)
		}
	}
	// Successions, grouped by successor so that each merge is one write.
	preds := map[int64][]int64{}
	var order []int64
	for _, e := range entries {
		if e.ValidTo == nil || len(e.SucceededBy) == 0 {
			continue
		}
		p := former[e.Code+"\x00"+e.Name]
		if p == nil {
			continue // a conflict, reported above
		}
		for _, code := range e.SucceededBy {
			succ := current[code]
			if succ == nil {
				res.Conflicts = append(res.Conflicts, fmt.Sprintf("dòng %d: không có đơn vị hiện hành mã %s để kế thừa %s", e.Line, code, e.Name))
				continue
			}
			if slices.Contains(p.SuccessorIDs, succ.ID) {
				continue
			}
			if preds[succ.ID] == nil {
				order = append(order, succ.ID)
			}
			preds[succ.ID] = append(preds[succ.ID], p.ID)
		}
	}
	byID := map[int64]*domain.Unit{}
	for _, u := range current {
		byID[u.ID] = u
	}
	for _, id := range order {
		succ := byID[id]
		if dryRun {
			res.Linked += len(preds[id])
			continue
		}
		n, err := s.Merge(ctx, pr, id, preds[id], succ.ValidFrom)
		if err != nil {
			return res, fmt.Errorf("kế thừa %s %s: %w", succ.Code, succ.Name, err)
		}
		res.Linked += n
	}
	return res, nil
}

// importEntry creates one entry's unit unless it exists. In a dry run the unit
// is only recorded in the indexes, with a negative id that stands for the one
// it would get.
func (s *Service) importEntry(ctx context.Context, pr domain.Principal, e Entry, current, former map[string]*domain.Unit, dryRun bool, res *ImportResult) error {
	var parentID *int64
	if e.Kind != domain.UnitProvince {
		p := current[e.ProvinceCode]
		if p == nil || p.Kind != domain.UnitProvince {
			res.Conflicts = append(res.Conflicts, fmt.Sprintf("dòng %d: không có tỉnh hiện hành mã %s", e.Line, e.ProvinceCode))
			return nil
		}
		parentID = &p.ID
	}
	key, index := e.Code, current
	if e.ValidTo != nil {
		key, index = e.Code+"\x00"+e.Name, former
	}
	if u := index[key]; u != nil {
		if u.Name != e.Name || u.Kind != e.Kind || !sameID(u.ParentID, parentID) {
			res.Conflicts = append(res.Conflicts, fmt.Sprintf("dòng %d: mã %s đã thuộc %s (%s), khác với %s (%s)", e.Line, e.Code, u.Name, u.Kind, e.Name, e.Kind))
		} else {
			res.Unchanged++
		}
		return nil
	}
	from := domain.UnknownStart
	if e.ValidFrom != nil {
		from = *e.ValidFrom
	}
	u := domain.Unit{Code: e.Code, Name: e.Name, Kind: e.Kind, ParentID: parentID, ValidFrom: from, ValidTo: e.ValidTo}
	if parentID == nil || *parentID > 0 { // a parent the dry run only imagined is a new current province
		if err := s.checkParent(ctx, u); err != nil {
			return err
		}
	}
	if dryRun {
		u.ID = -int64(res.Created + 1)
	} else if err := s.Units.CreateUnit(ctx, domain.ActorOf(ctx, pr), &u, nil); err != nil {
		return err
	}
	u.SuccessorIDs = []int64{}
	index[key] = &u
	res.Created++
	return nil
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
