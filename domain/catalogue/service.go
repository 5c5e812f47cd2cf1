// Package catalogue is the read side of courses and their reference data:
// the digital-competence frameworks, the course categories (which
// administrators extend) and the catalogue of published courses a person
// may see, searched in Vietnamese with or without diacritics. Every method
// takes the caller's principal and decides what it may read or change.
package catalogue

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"densach/domain"
)

// Service reads the reference data and the catalogue. Build it by field
// assignment in cmd/.
type Service struct {
	Competences domain.CompetenceStore
	Categories  domain.CategoryStore
	Courses     domain.CatalogueStore
	// Objects signs the covers' links; nil: the catalogue shows none.
	Objects domain.ObjectStore
}

// Store is the three stores in one, as storage implements them.
type Store interface {
	domain.CompetenceStore
	domain.CategoryStore
	domain.CatalogueStore
}

// New builds the service over one store that implements all three.
func New(s Store) *Service { return &Service{Competences: s, Categories: s, Courses: s} }

// Limits of the catalogue's input.
const (
	// MaxSearchLen bounds the search text, in characters.
	MaxSearchLen = 100
	// DefaultPageSize and MaxPageSize bound a page of the catalogue.
	DefaultPageSize = 20
	MaxPageSize     = domain.MaxPageSize
	maxCategoryName = 100
)

// Frameworks returns every competence framework with its areas,
// competences and levels: reference data every signed-in person reads.
func (s *Service) Frameworks(ctx context.Context, p domain.Principal) ([]domain.CompetenceFramework, error) {
	return s.Competences.Frameworks(ctx)
}

// ListCategories lists the course categories, inactive ones included (a course
// may still carry one); every signed-in person reads them.
func (s *Service) ListCategories(ctx context.Context, p domain.Principal) ([]domain.CourseCategory, error) {
	return s.Categories.ListCategories(ctx)
}

var categoryCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// NewCategory is what an administrator asks to add.
type NewCategory struct {
	Code     string
	NameVI   string
	NameEN   string
	Position *int16
}

// CreateCategory adds a category (administrators only).
func (s *Service) CreateCategory(ctx context.Context, p domain.Principal, in NewCategory) (domain.CourseCategory, error) {
	if !p.IsAdmin() {
		return domain.CourseCategory{}, domain.Fail(domain.CodeForbidden, "category_forbidden", nil)
	}
	var f domain.Fields
	c := domain.CourseCategory{Code: in.Code, Active: true}
	if !categoryCode.MatchString(in.Code) {
		f.AddOf("code", "category_code_invalid", nil)
	}
	c.NameVI = categoryName(&f, "name_vi", in.NameVI)
	c.NameEN = categoryName(&f, "name_en", in.NameEN)
	if in.Position != nil {
		c.Position = *in.Position
		if c.Position < 1 {
			f.AddOf("position", "out_of_range", domain.Params{"field": "position"})
		}
	}
	if err := f.Err(); err != nil {
		return domain.CourseCategory{}, err
	}
	if err := s.Categories.CreateCategory(ctx, domain.ActorOf(ctx, p), &c); err != nil {
		return domain.CourseCategory{}, err
	}
	return c, nil
}

// UpdateCategory renames, moves, deactivates or reactivates a category
// (administrators only).
func (s *Service) UpdateCategory(ctx context.Context, p domain.Principal, code string, ch domain.CategoryChanges) (domain.CourseCategory, error) {
	if !p.IsAdmin() {
		return domain.CourseCategory{}, domain.Fail(domain.CodeForbidden, "category_forbidden", nil)
	}
	if !categoryCode.MatchString(code) {
		return domain.CourseCategory{}, domain.Fail(domain.CodeNotFound, "category_not_found", nil)
	}
	var f domain.Fields
	if ch.NameVI != nil {
		v := categoryName(&f, "name_vi", *ch.NameVI)
		ch.NameVI = &v
	}
	if ch.NameEN != nil {
		v := categoryName(&f, "name_en", *ch.NameEN)
		ch.NameEN = &v
	}
	if ch.Position != nil && *ch.Position < 1 {
		f.AddOf("position", "out_of_range", domain.Params{"field": "position"})
	}
	if err := f.Err(); err != nil {
		return domain.CourseCategory{}, err
	}
	return s.Categories.UpdateCategory(ctx, domain.ActorOf(ctx, p), code, ch)
}

// categoryName cleans a required name, recording what is wrong under field.
func categoryName(f *domain.Fields, field, raw string) string {
	v, err := domain.NormalizeText(raw, maxCategoryName)
	if err != nil || v == "" {
		f.AddOf(field, "name_required", domain.Params{"max": maxCategoryName})
	}
	return v
}

// Query is a catalogue search as the caller sends it.
type Query struct {
	Search       string
	Category     string
	CompetenceID int32
	Mode         string
	After        *domain.CatalogueCursor
	PageSize     int
}

// Search reads one page of the published courses the caller may see that
// match q, best matches first ("ky nang so" finds "Kỹ năng số"). Who sees
// what is decided here, from the principal (see Scope).
func (s *Service) Search(ctx context.Context, p domain.Principal, q Query) (domain.CataloguePage, error) {
	var f domain.Fields
	search := strings.TrimSpace(q.Search)
	if utf8.RuneCountInString(search) > MaxSearchLen {
		f.AddOf("q", "text_too_long", domain.Params{"max": MaxSearchLen})
	}
	switch q.Mode {
	case "", domain.ModeOnline, domain.ModeInPerson, domain.ModeBlended:
	default:
		f.AddOf("mode", "mode_invalid", nil)
	}
	if q.Category != "" && !categoryCode.MatchString(q.Category) {
		f.AddOf("category", "category_unknown", nil)
	}
	if q.CompetenceID < 0 {
		f.AddOf("competence_id", "id_invalid", domain.Params{"name": "competence_id"})
	}
	size := q.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	if size < 1 || size > MaxPageSize {
		f.AddOf("page_size", "page_size_out_of_range", domain.Params{"max": MaxPageSize})
	}
	if err := f.Err(); err != nil {
		return domain.CataloguePage{}, err
	}
	scope := Scope(p)
	if scope.Empty() {
		return domain.CataloguePage{Items: []domain.CatalogueItem{}}, nil
	}
	page, err := s.Courses.SearchCatalogue(ctx, scope, domain.CatalogueQuery{Search: domain.FoldForSearch(search), Category: q.Category,
		CompetenceID: q.CompetenceID, Mode: q.Mode, After: q.After, Limit: size})
	for i := range page.Items {
		page.Items[i].CoverURL = page.Items[i].Cover.URL(ctx, s.Objects)
	}
	return page, err
}

// Scope is the part of the catalogue a principal may read:
//
//   - administrators: every published course;
//   - a province officer: the courses of every centre in the province and
//     the province's library;
//   - a commune officer: the courses of the centres in the commune and the
//     library of its province;
//   - a manager or teacher: their centre's courses and the library of its
//     province;
//   - a learner: the courses of the centres where they hold a learner grant
//     and the library of those centres' provinces (a learner enrolled at no
//     centre sees nothing yet).
//
// Roles add up: a person holding several grants sees the union.
func Scope(p domain.Principal) domain.CatalogueScope {
	var s domain.CatalogueScope
	add := func(ids []int64, id int64) []int64 {
		if id == 0 || slices.Contains(ids, id) {
			return ids
		}
		return append(ids, id)
	}
	for _, g := range p.Grants {
		switch g.Role {
		case domain.RoleAdmin:
			return domain.CatalogueScope{All: true}
		case domain.RoleOfficer:
			switch g.Kind {
			case domain.ScopeProvince:
				s.Centres.ProvinceIDs = add(s.Centres.ProvinceIDs, g.ProvinceID)
			case domain.ScopeCommune:
				s.Centres.CommuneIDs = add(s.Centres.CommuneIDs, g.CommuneID)
			default:
				continue // a grant on a historical unit covers nothing
			}
			s.Libraries = add(s.Libraries, g.ProvinceID)
		case domain.RoleManager, domain.RoleTeacher, domain.RoleLearner:
			if g.CentreID == 0 {
				continue
			}
			s.Centres.CentreIDs = add(s.Centres.CentreIDs, g.CentreID)
			s.Libraries = add(s.Libraries, g.ProvinceID)
		}
	}
	return s
}
