package postgres

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// Units keeps the geography: administrative units with their successions,
// centres and association branches. It implements domain.UnitStore.
type Units struct{ db *DB }

// NewUnits returns the unit store over the pool.
func NewUnits(db *DB) *Units { return &Units{db: db} }

type unitRow struct {
	ID         int64
	Code       string
	Name       string
	Kind       string
	ParentID   *int64
	ValidFrom  time.Time
	ValidTo    *time.Time
	Successors string `gorm:"column:successors;->"`
}

func (r unitRow) domain() domain.Unit {
	u := domain.Unit{ID: r.ID, Code: r.Code, Name: r.Name, Kind: domain.UnitKind(r.Kind), ParentID: r.ParentID, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo}
	u.SuccessorIDs = []int64{}
	for _, f := range strings.Split(r.Successors, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			u.SuccessorIDs = append(u.SuccessorIDs, id)
		}
	}
	return u
}

const unitColumns = `u.id, u.code, u.name, u.kind, u.parent_id, u.valid_from, u.valid_to,
	coalesce((SELECT string_agg(s.successor_id::text, ',' ORDER BY s.successor_id) FROM unit_successions s WHERE s.predecessor_id = u.id), '') AS successors`

// ListUnits lists units by kind and parent, current ones only unless asked.
func (s *Units) ListUnits(ctx context.Context, f domain.UnitFilter) ([]domain.Unit, error) {
	q := s.db.q(ctx).Table("units u").Select(unitColumns)
	if f.Kind != "" {
		q = q.Where("u.kind = ?", string(f.Kind))
	}
	if f.ParentID != 0 {
		q = q.Where("u.parent_id = ?", f.ParentID)
	}
	if !f.IncludeExpired {
		if f.Today.IsZero() {
			return nil, errors.New("postgres.ListUnits: current units asked for without the day")
		}
		q = q.Where("u.valid_to IS NULL OR u.valid_to >= ?::date", f.Today.Format(time.DateOnly))
	}
	var rows []unitRow
	if err := q.Order("u.id").Find(&rows).Error; err != nil {
		return nil, translate("postgres.ListUnits", err)
	}
	out := make([]domain.Unit, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	domain.SortUnits(out)
	return out, nil
}

// GetUnit reads one unit.
func (s *Units) GetUnit(ctx context.Context, id int64) (domain.Unit, error) {
	var r unitRow
	err := s.db.q(ctx).Table("units u").Select(unitColumns).Where("u.id = ?", id).Take(&r).Error
	if err != nil {
		return domain.Unit{}, translate("postgres.GetUnit", err)
	}
	return r.domain(), nil
}

// UnitArea locates a province or commune-level unit current on the day
// today. A unit that has ended (merged away) is history: nothing new is
// placed in it.
func (s *Units) UnitArea(ctx context.Context, id int64, today time.Time) (domain.Area, error) {
	var r struct {
		ID       int64
		Kind     string
		ParentID int64
		Ended    bool
	}
	err := s.db.q(ctx).Raw(`SELECT id, kind, coalesce(parent_id, 0) AS parent_id, coalesce(valid_to < ?::date, false) AS ended
		FROM units WHERE id = ?`, today.Format(time.DateOnly), id).Scan(&r).Error
	if err != nil {
		return domain.Area{}, translate("postgres.UnitArea", err)
	}
	kind := domain.UnitKind(r.Kind)
	switch {
	case r.ID == 0:
		return domain.Area{}, domain.Fail(domain.CodeNotFound, "unit_not_found", nil)
	case r.Ended:
	case kind == domain.UnitProvince:
		return domain.Area{ProvinceID: r.ID}, nil
	case kind.CommuneLevel() && r.ParentID != 0:
		return domain.Area{CommuneID: r.ID, ProvinceID: r.ParentID}, nil
	}
	return domain.Area{}, domain.Invalid(domain.FieldOf("unit_id", "unit_kind", nil))
}

// communeLevelKinds are domain.CommuneLevelKinds as SQL parameters.
func communeLevelKinds() []string {
	out := make([]string, len(domain.CommuneLevelKinds))
	for i, k := range domain.CommuneLevelKinds {
		out[i] = string(k)
	}
	return out
}

// CreateUnit adds a unit and links the units it succeeds (a merge or split),
// closing the predecessors the day before it starts.
func (s *Units) CreateUnit(ctx context.Context, by domain.Actor, u *domain.Unit, predecessorIDs []int64) error {
	return s.db.tx(ctx, "postgres.CreateUnit", func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Code, u.Name, string(u.Kind), u.ParentID, u.ValidFrom, u.ValidTo).Row().Scan(&u.ID)
		if err != nil {
			return err
		}
		preds := slices.Compact(slices.Sorted(slices.Values(predecessorIDs)))
		if len(preds) == 0 {
			return writeAudit(tx, by, "unit_created", "unit", u.ID, map[string]any{"code": u.Code, "name": u.Name, "kind": u.Kind})
		}
		// Only current units can be succeeded; each one closes the day before
		// its successor starts.
		res := tx.Exec(`UPDATE units SET valid_to = ?::date - 1 WHERE id IN ? AND id <> ? AND valid_to IS NULL AND valid_from < ?`,
			u.ValidFrom, preds, u.ID, u.ValidFrom)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(preds)) {
			return domain.Invalid(domain.FieldOf("predecessor_ids", "predecessor_invalid", nil))
		}
		err = tx.Exec(`INSERT INTO unit_successions (predecessor_id, successor_id, effective_on) SELECT id, ?, ? FROM units WHERE id IN ?`,
			u.ID, u.ValidFrom, preds).Error
		if err != nil {
			return err
		}
		u.SuccessorIDs = []int64{}
		return writeAudit(tx, by, "unit_created", "unit", u.ID, map[string]any{"code": u.Code, "name": u.Name, "kind": u.Kind, "predecessors": preds})
	})
}

// LinkSuccessions records that the predecessors were succeeded by
// successorID on effectiveOn, closing each still-current predecessor the day
// before; links already recorded are kept.
func (s *Units) LinkSuccessions(ctx context.Context, by domain.Actor, successorID int64, predecessorIDs []int64, effectiveOn time.Time) (int, error) {
	preds := slices.Compact(slices.Sorted(slices.Values(predecessorIDs)))
	var added int
	err := s.db.tx(ctx, "postgres.LinkSuccessions", func(tx *gorm.DB) error {
		var found int64
		if err := tx.Raw(`SELECT count(*) FROM units WHERE id IN ? AND id <> ?`, preds, successorID).Scan(&found).Error; err != nil {
			return err
		}
		if found != int64(len(preds)) {
			return domain.Invalid(domain.FieldOf("predecessor_ids", "predecessor_unknown", nil))
		}
		err := tx.Exec(`UPDATE units SET valid_to = ?::date - 1 WHERE id IN ? AND valid_to IS NULL AND valid_from < ?`, effectiveOn, preds, effectiveOn).Error
		if err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO unit_successions (predecessor_id, successor_id, effective_on) SELECT id, ?, ? FROM units WHERE id IN ?
			ON CONFLICT DO NOTHING`, successorID, effectiveOn, preds)
		if res.Error != nil {
			return res.Error
		}
		added = int(res.RowsAffected)
		if added == 0 {
			return nil
		}
		return writeAudit(tx, by, "unit_merged", "unit", successorID, map[string]any{"predecessors": preds, "effective_on": effectiveOn.Format(time.DateOnly)})
	})
	return added, err
}
