package domain

import (
	"context"
	"time"
)

// CourseCategory is one category of courses (digital skills, literacy,
// agriculture, …): reference data that administrators extend. A category
// that is no longer offered is deactivated, never deleted (courses keep it).
type CourseCategory struct {
	Code     string // ^[a-z][a-z0-9_]{1,39}$, never changes
	NameVI   string
	NameEN   string
	Position int16
	Active   bool
}

// CategoryChanges are the fields of a category an administrator may change
// (nil: unchanged). The code never changes: courses refer to it.
type CategoryChanges struct {
	NameVI   *string
	NameEN   *string
	Position *int16
	Active   *bool
}

// CategoryStore keeps the course categories. CreateCategory answers
// CodeConflict for a code taken; UpdateCategory CodeNotFound for an unknown
// code.
type CategoryStore interface {
	ListCategories(ctx context.Context) ([]CourseCategory, error)
	CreateCategory(ctx context.Context, by Actor, c *CourseCategory) error
	UpdateCategory(ctx context.Context, by Actor, code string, ch CategoryChanges) (CourseCategory, error)
}

// Course delivery modes.
const (
	ModeOnline   = "online"
	ModeInPerson = "in_person"
	ModeBlended  = "blended"
)

// CatalogueScope is what part of the catalogue a caller may read, decided
// by the catalogue use case from the principal: courses of the centres that
// Centres matches (by centre, commune or province) and the libraries of the
// provinces listed. All reads everything.
type CatalogueScope struct {
	All       bool
	Centres   Filter
	Libraries []int64
}

// Empty reports whether the scope matches no course.
func (s CatalogueScope) Empty() bool {
	return !s.All && s.Centres.Empty() && len(s.Libraries) == 0
}

// CatalogueQuery selects and ranks published courses. Search is folded with
// FoldForSearch by the use case; empty means every course, newest first.
type CatalogueQuery struct {
	Search       string
	Category     string
	CompetenceID int32
	Mode         string
	After        *CatalogueCursor
	Limit        int
}

// CatalogueCursor is the position after an item in the catalogue's order:
// rank bucket (0: the words as typed at a word start in the title, 1: the
// same in the summary, 2: every word found, 3: similar words only; 0 for
// all when there is no search), similarity
// (higher first) and course id (higher first).
type CatalogueCursor struct {
	Bucket   int16
	Score    float32
	CourseID int64
}

// CatalogueOwner is who offers a course: a centre or a province library.
type CatalogueOwner struct {
	Kind string // "centre" or "province"
	ID   int64
	Name string
}

// CatalogueTag is a course's competence tag as the catalogue shows it.
type CatalogueTag struct {
	CompetenceID  int32
	Code          string
	NameVI        string
	FrameworkCode string
	FrameworkKind FrameworkKind
	LevelStep     int16
}

// CatalogueItem is one published course in the catalogue.
type CatalogueItem struct {
	CourseID       int64
	VersionID      int64
	Title          string
	Summary        string
	Category       string
	Mode           string
	EstimatedHours *float64
	Owner          CatalogueOwner
	Tags           []CatalogueTag
	LessonCount    int
	PublishedAt    time.Time
	Cursor         CatalogueCursor
	// Cover is the published version's cover (zero without one); CoverURL
	// its signed link, set by the use case.
	Cover    CoverImage
	CoverURL string
}

// CataloguePage is one page of the catalogue.
type CataloguePage struct {
	Items []CatalogueItem
	Next  *CatalogueCursor // nil on the last page
}

// CatalogueStore searches the published courses in PostgreSQL.
type CatalogueStore interface {
	// SearchCatalogue reads one page of the published courses inside scope
	// that match q, ranked. q.Search is already folded.
	SearchCatalogue(ctx context.Context, scope CatalogueScope, q CatalogueQuery) (CataloguePage, error)
}
