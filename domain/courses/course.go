// Package courses holds the use cases of the courses aggregate: courses
// owned by a centre or a province's library, their versions (one open
// draft, frozen published versions), details and competence tags, modules
// and lessons. Every method takes the caller's Principal and makes every
// authorization decision itself (see access.go).
package courses

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"densach/domain"
)

// Status is where a course stands.
type Status string

// The statuses: a course is a draft until first published; an archived
// course leaves the catalogue and may be published again.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Mode is how a course is taught.
type Mode string

// The modes.
const (
	ModeOnline   Mode = "online"
	ModeInPerson Mode = "in_person"
	ModeBlended  Mode = "blended"
)

// LessonKind is what a lesson holds.
type LessonKind string

// The lesson kinds.
const (
	KindText     LessonKind = "text"     // body_md
	KindVideo    LessonKind = "video"    // a video or audio material, or an external url
	KindDocument LessonKind = "document" // a document or image material
	KindLink     LessonKind = "link"     // url
	KindQuiz     LessonKind = "quiz"     // a slot; its questions come later
)

// Bounds of the fields, as the migration's CHECKs.
const (
	MaxTitle        = 200
	MaxSummary      = 500
	MaxDescription  = 20000
	MaxBody         = 100000
	MaxURL          = 2000
	MaxTargetGroups = 20
	MaxTargetGroup  = 100
	MaxTags         = 50
	MaxHours        = 9999.9
	MaxMinutes      = 10000
)

// Head is what the use cases decide on: the course's owner, where it lies
// and its versions.
type Head struct {
	ID int64
	// The owner: exactly one of CentreID and ProvinceID (a library course).
	CentreID   int64
	ProvinceID int64
	OwnerName  string
	// Where the course lies: the centre's commune (0 for a library
	// course) and province (the library's for a library course).
	CommuneID          int64
	AreaProvinceID     int64
	Status             Status
	PublishedVersionID int64
	PublishedNumber    int
	DraftVersionID     int64
	CopiedFromVersion  int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Library reports whether the course is a province library course.
func (h Head) Library() bool { return h.ProvinceID != 0 }

// Details are the fields of a version a manager edits.
type Details struct {
	Title           string
	Summary         string
	DescriptionMD   string
	Category        string
	TargetGroups    []string
	EstimatedHours  *float64
	Mode            Mode
	Sequential      bool
	CoverMaterialID int64
}

// TagRef is a competence tag with what a page shows of it.
type TagRef struct {
	domain.CompetenceTag
	Code          string
	NameVI        string
	NameEN        string
	FrameworkCode string
	FrameworkKind domain.FrameworkKind
	LevelCode     string // "" without a level
}

// Version is one version of a course with its tags.
type Version struct {
	ID          int64
	Number      int // 0 for the draft
	Details     Details
	Tags        []TagRef
	CreatedAt   time.Time
	PublishedAt *time.Time
	// Cover is the cover's object (zero without one); CoverURL its signed
	// link, set by the use case for the caller who reads the version.
	Cover    domain.CoverImage
	CoverURL string
}

// Material is the file of a lesson as a page shows it.
type Material struct {
	ID          int64
	DisplayName string
	Size        int64
	ContentType string
	Kind        string
}

// Lesson is one lesson of a module.
type Lesson struct {
	ID, ModuleID, VersionID, CourseID int64
	Key                               string
	Position                          int
	Kind                              LessonKind
	Title                             string
	BodyMD                            string // only on a lesson read alone
	URL                               string
	Material                          *Material
	Required                          bool
	EstimatedMinutes                  int
	Tags                              []TagRef
}

// Module is a module with its lessons in order.
type Module struct {
	ID       int64
	Key      string
	Position int
	Title    string
	Lessons  []Lesson
}

// Permissions say what the caller may do with a course.
type Permissions struct {
	EditDetails bool // details, tags, discard the draft, delete
	EditLessons bool // modules, lessons, order, uploads, open the draft
	Publish     bool // publish, archive, unarchive
	Copy        bool // copy the library course into a centre they manage
}

// Detail is a course with one of its versions, as the course page shows it.
type Detail struct {
	Head
	Version Version
	Modules []Module
	Can     Permissions
}

// DigitalSkills reports a TT 02 tag: the course counts as digital-skill training.
func (d Detail) DigitalSkills() bool { return d.hasKind(domain.FrameworkDigitalSkills) }

// ITApplication reports a TT 03 tag: the course counts as IT-application training.
func (d Detail) ITApplication() bool { return d.hasKind(domain.FrameworkITApplication) }

func (d Detail) hasKind(k domain.FrameworkKind) bool {
	for _, t := range d.Version.Tags {
		if t.FrameworkKind == k {
			return true
		}
	}
	return false
}

// Summary is a course as the management list shows it.
type Summary struct {
	ID              int64
	OwnerKind       string // centre, province
	OwnerID         int64
	OwnerName       string
	Status          Status
	Title           string
	Summary         string
	Category        string
	Mode            Mode
	EstimatedHours  *float64
	HasDraft        bool
	PublishedNumber int
	UpdatedAt       time.Time
	// Cover is the listed version's cover (zero without one); CoverURL its
	// signed link, set by the use case.
	Cover    domain.CoverImage
	CoverURL string
}

// VersionInfo is one line of a course's versions.
type VersionInfo struct {
	ID          int64
	Number      int
	Title       string
	Current     bool
	CreatedAt   time.Time
	PublishedAt *time.Time
}

// Cursor is a position in the course list (updated_at desc, id desc).
type Cursor struct {
	UpdatedAt time.Time
	ID        int64
}

// ListFilter narrows the course list.
type ListFilter struct {
	CentreID   int64
	ProvinceID int64
	Status     Status
	Q          string
	After      *Cursor
	Limit      int
}

// Page is one page of the course list.
type Page struct {
	Items []Summary
	Next  *Cursor
}

// LessonInput is a lesson as written.
type LessonInput struct {
	Kind             LessonKind
	Title            string
	BodyMD           string
	URL              string
	MaterialID       int64
	Required         bool
	EstimatedMinutes int
	Tags             []domain.CompetenceTag
}

// LessonChanges are the fields of a lesson to change; nil stays.
type LessonChanges struct {
	Kind             *LessonKind
	Title            *string
	BodyMD           *string
	URL              *string
	MaterialID       *int64 // 0 clears
	Required         *bool
	EstimatedMinutes *int // 0 clears
	Tags             *[]domain.CompetenceTag
}

// DetailChanges are the fields of the draft to change; nil stays.
type DetailChanges struct {
	Title           *string
	Summary         *string
	DescriptionMD   *string
	Category        *string
	TargetGroups    *[]string
	EstimatedHours  **float64 // a nil *float64 clears
	Mode            *Mode
	Sequential      *bool
	CoverMaterialID *int64 // 0 clears
	Tags            *[]domain.CompetenceTag
}

// NewCourse is a course to create.
type NewCourse struct {
	CentreID   int64
	ProvinceID int64
	Details    Details
	Tags       []domain.CompetenceTag
}

// ModuleOrder is one module of the wanted structure.
type ModuleOrder struct {
	ID        int64
	LessonIDs []int64
}

// normalize cleans the details and reports what is wrong with them.
func (d *Details) normalize(f *domain.Fields) {
	var err error
	if d.Title, err = domain.NormalizeText(d.Title, MaxTitle); !f.AddErr("title", err) && d.Title == "" {
		f.AddOf("title", "course_title_required", domain.Params{"max": MaxTitle})
	}
	d.Summary, err = domain.NormalizeText(d.Summary, MaxSummary)
	f.AddErr("summary", err)
	d.DescriptionMD = cleanMultiline(d.DescriptionMD)
	if utf8.RuneCountInString(d.DescriptionMD) > MaxDescription {
		f.AddOf("description_md", "text_too_long", domain.Params{"max": MaxDescription})
	}
	if d.Category = strings.TrimSpace(d.Category); d.Category == "" {
		f.AddOf("category", "course_category_required", nil)
	}
	if len(d.TargetGroups) > MaxTargetGroups {
		f.AddOf("target_groups", "too_many", domain.Params{"max": MaxTargetGroups})
	}
	groups := make([]string, 0, len(d.TargetGroups))
	for _, g := range d.TargetGroups {
		g, err := domain.NormalizeText(g, MaxTargetGroup)
		if f.AddErr("target_groups", err) {
			break
		}
		if g != "" && !contains(groups, g) {
			groups = append(groups, g)
		}
	}
	d.TargetGroups = groups
	if h := d.EstimatedHours; h != nil && (*h <= 0 || *h > MaxHours) {
		f.AddOf("estimated_hours", "course_hours_invalid", domain.Params{"max": MaxHours})
	} else if h != nil {
		r := float64(int64(*h*10+0.5)) / 10
		d.EstimatedHours = &r
	}
	switch d.Mode {
	case "":
		d.Mode = ModeBlended
	case ModeOnline, ModeInPerson, ModeBlended:
	default:
		f.AddOf("mode", "mode_invalid", nil)
	}
}

// normalize cleans a lesson and reports what is wrong with it, its kind
// deciding which of body, url and material it needs.
func (l *LessonInput) normalize(f *domain.Fields) {
	var err error
	if l.Title, err = domain.NormalizeText(l.Title, MaxTitle); !f.AddErr("title", err) && l.Title == "" {
		f.AddOf("title", "lesson_title_required", domain.Params{"max": MaxTitle})
	}
	l.BodyMD = cleanMultiline(l.BodyMD)
	if utf8.RuneCountInString(l.BodyMD) > MaxBody {
		f.AddOf("body_md", "text_too_long", domain.Params{"max": MaxBody})
	}
	l.URL = strings.TrimSpace(l.URL)
	if l.URL != "" && !validURL(l.URL) {
		f.AddOf("url", "lesson_url_invalid", domain.Params{"max": MaxURL})
	}
	if l.EstimatedMinutes < 0 || l.EstimatedMinutes > MaxMinutes {
		f.AddOf("estimated_minutes", "out_of_range", domain.Params{"field": "estimated_minutes"})
	}
	switch l.Kind {
	case KindText, KindQuiz:
		if l.URL != "" {
			f.AddOf("url", "lesson_url_not_allowed", nil)
		}
		if l.MaterialID != 0 {
			f.AddOf("material_id", "lesson_material_not_allowed", nil)
		}
	case KindVideo:
		if (l.URL == "") == (l.MaterialID == 0) {
			f.AddOf("material_id", "lesson_video_source", nil)
		}
	case KindDocument:
		if l.MaterialID == 0 {
			f.AddOf("material_id", "lesson_material_required", nil)
		}
		if l.URL != "" {
			f.AddOf("url", "lesson_url_not_allowed", nil)
		}
	case KindLink:
		if l.URL == "" {
			f.AddOf("url", "lesson_url_required", nil)
		}
		if l.MaterialID != 0 {
			f.AddOf("material_id", "lesson_material_not_allowed", nil)
		}
	default:
		f.AddOf("kind", "lesson_kind_invalid", nil)
	}
}

// materialKinds are the material kinds a lesson kind may hold.
func (k LessonKind) materialKinds() []string {
	switch k {
	case KindVideo:
		return []string{"video", "audio"}
	case KindDocument:
		return []string{"document", "image"}
	}
	return nil
}

// apply returns the lesson with the changes made.
func (c LessonChanges) apply(l Lesson) LessonInput {
	in := LessonInput{Kind: l.Kind, Title: l.Title, BodyMD: l.BodyMD, URL: l.URL, Required: l.Required, EstimatedMinutes: l.EstimatedMinutes}
	if l.Material != nil {
		in.MaterialID = l.Material.ID
	}
	for _, t := range l.Tags {
		in.Tags = append(in.Tags, t.CompetenceTag)
	}
	set(&in.Kind, c.Kind)
	set(&in.Title, c.Title)
	set(&in.BodyMD, c.BodyMD)
	set(&in.URL, c.URL)
	set(&in.MaterialID, c.MaterialID)
	set(&in.Required, c.Required)
	set(&in.EstimatedMinutes, c.EstimatedMinutes)
	set(&in.Tags, c.Tags)
	return in
}

// apply returns the details with the changes made.
func (c DetailChanges) apply(d Details) Details {
	set(&d.Title, c.Title)
	set(&d.Summary, c.Summary)
	set(&d.DescriptionMD, c.DescriptionMD)
	set(&d.Category, c.Category)
	set(&d.TargetGroups, c.TargetGroups)
	set(&d.EstimatedHours, c.EstimatedHours)
	set(&d.Mode, c.Mode)
	set(&d.Sequential, c.Sequential)
	set(&d.CoverMaterialID, c.CoverMaterialID)
	return d
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// cleanMultiline keeps line breaks of Markdown but drops NUL and other
// control characters but tab and newline, normalising CRLF.
func cleanMultiline(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func validURL(s string) bool {
	if utf8.RuneCountInString(s) > MaxURL || strings.ContainsAny(s, " \t\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
