package postgres

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"densach/domain"
)

// Catalogue is the read side of courses and their reference data: the
// competence frameworks (loaded by migration 00015, never written here), the
// course categories and the catalogue search. It implements
// domain.CompetenceStore, domain.CategoryStore and domain.CatalogueStore.
type Catalogue struct{ db *DB }

// NewCatalogue returns the catalogue store over the pool.
func NewCatalogue(db *DB) *Catalogue { return &Catalogue{db: db} }

// One row model per reference table.
type frameworkRow struct {
	ID       int16
	Code     string
	Family   string
	Edition  int
	Kind     string
	NameVI   string `gorm:"column:name_vi"`
	NameEN   string `gorm:"column:name_en"`
	IssuedBy string
	IssuedOn time.Time
}

func (frameworkRow) TableName() string { return "competence_frameworks" }

type areaRow struct {
	ID          int16
	FrameworkID int16
	Code        string
	NameVI      string `gorm:"column:name_vi"`
	NameEN      string `gorm:"column:name_en"`
	Position    int16
}

func (areaRow) TableName() string { return "competence_areas" }

type competenceRow struct {
	ID          int32
	FrameworkID int16
	AreaID      *int16
	Code        string
	NameVI      string `gorm:"column:name_vi"`
	NameEN      string `gorm:"column:name_en"`
	Advanced    bool
	Position    int16
}

func (competenceRow) TableName() string { return "competences" }

type levelRow struct {
	FrameworkID int16
	Step        int16
	Level       int16
	Code        string
	NameVI      string `gorm:"column:name_vi"`
	NameEN      string `gorm:"column:name_en"`
}

func (levelRow) TableName() string { return "competence_levels" }

// Frameworks reads every framework with its areas, competences and levels:
// four small queries in one read-only transaction (the tables hold a few
// dozen rows).
func (s *Catalogue) Frameworks(ctx context.Context) ([]domain.CompetenceFramework, error) {
	const op = "postgres.Frameworks"
	var fws []frameworkRow
	var areas []areaRow
	var comps []competenceRow
	var levels []levelRow
	q := s.db.q(ctx)
	if err := q.Order("family, edition, id").Find(&fws).Error; err != nil {
		return nil, translate(op, err)
	}
	if err := q.Order("framework_id, position").Find(&areas).Error; err != nil {
		return nil, translate(op, err)
	}
	if err := q.Order("framework_id, position").Find(&comps).Error; err != nil {
		return nil, translate(op, err)
	}
	if err := q.Order("framework_id, step").Find(&levels).Error; err != nil {
		return nil, translate(op, err)
	}
	out := make([]domain.CompetenceFramework, len(fws))
	index := map[int16]*domain.CompetenceFramework{}
	for i, f := range fws {
		out[i] = domain.CompetenceFramework{ID: f.ID, Code: f.Code, Family: f.Family, Edition: f.Edition, Kind: domain.FrameworkKind(f.Kind),
			NameVI: f.NameVI, NameEN: f.NameEN, IssuedBy: f.IssuedBy, IssuedOn: f.IssuedOn.Format(time.DateOnly),
			Areas: []domain.CompetenceArea{}, Competences: []domain.Competence{}, Levels: []domain.CompetenceLevel{}}
		index[f.ID] = &out[i]
	}
	for _, a := range areas {
		if f := index[a.FrameworkID]; f != nil {
			f.Areas = append(f.Areas, domain.CompetenceArea{ID: a.ID, Code: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Position: a.Position})
		}
	}
	for _, c := range comps {
		if f := index[c.FrameworkID]; f != nil {
			f.Competences = append(f.Competences, domain.Competence{ID: c.ID, AreaID: deref(c.AreaID), Code: c.Code, NameVI: c.NameVI,
				NameEN: c.NameEN, Advanced: c.Advanced, Position: c.Position})
		}
	}
	for _, l := range levels {
		if f := index[l.FrameworkID]; f != nil {
			f.Levels = append(f.Levels, domain.CompetenceLevel{Step: l.Step, Level: l.Level, Code: l.Code, NameVI: l.NameVI, NameEN: l.NameEN})
		}
	}
	return out, nil
}

// categoryRow is a row of course_categories.
type categoryRow struct {
	Code     string `gorm:"primaryKey"`
	NameVI   string `gorm:"column:name_vi"`
	NameEN   string `gorm:"column:name_en"`
	Position int16
	Active   bool
}

func (categoryRow) TableName() string { return "course_categories" }

func (r categoryRow) domain() domain.CourseCategory {
	return domain.CourseCategory{Code: r.Code, NameVI: r.NameVI, NameEN: r.NameEN, Position: r.Position, Active: r.Active}
}

// ListCategories lists every category in display order.
func (s *Catalogue) ListCategories(ctx context.Context) ([]domain.CourseCategory, error) {
	var rows []categoryRow
	if err := s.db.q(ctx).Order("position, code").Find(&rows).Error; err != nil {
		return nil, translate("postgres.ListCategories", err)
	}
	out := make([]domain.CourseCategory, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CreateCategory adds a category; position 0 places it last but "other"
// (which stays at the end).
func (s *Catalogue) CreateCategory(ctx context.Context, by domain.Actor, c *domain.CourseCategory) error {
	return s.db.tx(ctx, "postgres.CreateCategory", func(tx *gorm.DB) error {
		if c.Position == 0 {
			if err := tx.Raw(`SELECT coalesce(max(position) FILTER (WHERE code <> 'other'), 0) + 1 FROM course_categories`).Scan(&c.Position).Error; err != nil {
				return err
			}
		}
		row := categoryRow{Code: c.Code, NameVI: c.NameVI, NameEN: c.NameEN, Position: c.Position, Active: true}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		*c = row.domain()
		return writeAudit(tx, by, "course_category_created", "course_category", 0,
			map[string]any{"code": c.Code, "name_vi": c.NameVI, "name_en": c.NameEN, "position": c.Position})
	})
}

// UpdateCategory changes the given fields of a category.
func (s *Catalogue) UpdateCategory(ctx context.Context, by domain.Actor, code string, ch domain.CategoryChanges) (domain.CourseCategory, error) {
	var out domain.CourseCategory
	err := s.db.tx(ctx, "postgres.UpdateCategory", func(tx *gorm.DB) error {
		var row categoryRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("code = ?", code).Take(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return domain.Fail(domain.CodeNotFound, "category_not_found", nil)
			}
			return err
		}
		diff := map[string]any{"code": code}
		var cols []string
		set := func(col string, old, new any, apply func()) {
			if old != new {
				diff[col] = change(old, new)
				cols = append(cols, col)
				apply()
			}
		}
		if ch.NameVI != nil {
			set("name_vi", row.NameVI, *ch.NameVI, func() { row.NameVI = *ch.NameVI })
		}
		if ch.NameEN != nil {
			set("name_en", row.NameEN, *ch.NameEN, func() { row.NameEN = *ch.NameEN })
		}
		if ch.Position != nil {
			set("position", row.Position, *ch.Position, func() { row.Position = *ch.Position })
		}
		if ch.Active != nil {
			set("active", row.Active, *ch.Active, func() { row.Active = *ch.Active })
		}
		out = row.domain()
		if len(cols) == 0 {
			return nil
		}
		if err := tx.Model(&row).Select(cols).Updates(&row).Error; err != nil {
			return err
		}
		return writeAudit(tx, by, "course_category_updated", "course_category", 0, diff)
	})
	return out, err
}
