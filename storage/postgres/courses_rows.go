package postgres

// The rows of the course tables, one model per table, and their
// converters. The course page and the lists are read with hand-written SQL
// (see courses.go) so that a page costs at most three round trips.

import (
	"crypto/rand"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

type courseRow struct {
	ID                  int64 `gorm:"primaryKey"`
	CentreID            *int64
	ProvinceID          *int64
	Status              string
	PublishedVersionID  *int64
	DraftVersionID      *int64
	CopiedFromVersionID *int64
	CreatedBy           int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (courseRow) TableName() string { return "courses" }

type courseVersionRow struct {
	ID              int64 `gorm:"primaryKey"`
	CourseID        int64
	Number          *int
	Title           string
	Summary         string
	DescriptionMD   string `gorm:"column:description_md"`
	CategoryCode    string
	TargetGroups    textArray
	EstimatedHours  *float64
	Mode            string
	Sequential      bool
	CoverMaterialID *int64
	SearchText      string
	CreatedBy       int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	PublishedAt     *time.Time
	PublishedBy     *int64
}

func (courseVersionRow) TableName() string { return "course_versions" }

// versionRowOf is the row of a version's details, search_text folded from
// its title and summary (the catalogue searches it).
func versionRowOf(courseID int64, d courses.Details, by int64) courseVersionRow {
	return courseVersionRow{CourseID: courseID, Title: d.Title, Summary: d.Summary, DescriptionMD: d.DescriptionMD, CategoryCode: d.Category,
		TargetGroups: textArray(d.TargetGroups), EstimatedHours: d.EstimatedHours, Mode: string(d.Mode), Sequential: d.Sequential,
		CoverMaterialID: optional(d.CoverMaterialID), SearchText: domain.FoldForSearch(d.Title + " " + d.Summary), CreatedBy: by}
}

// versionDetailColumns are the columns UpdateDraft writes.
var versionDetailColumns = []string{"title", "summary", "description_md", "category_code", "target_groups", "estimated_hours",
	"mode", "sequential", "cover_material_id", "search_text", "updated_at"}

func (r courseVersionRow) domain() courses.Version {
	return courses.Version{ID: r.ID, Number: deref(r.Number), CreatedAt: r.CreatedAt, PublishedAt: r.PublishedAt,
		Details: courses.Details{Title: r.Title, Summary: r.Summary, DescriptionMD: r.DescriptionMD, Category: r.CategoryCode,
			TargetGroups: append([]string{}, r.TargetGroups...), EstimatedHours: r.EstimatedHours, Mode: courses.Mode(r.Mode),
			Sequential: r.Sequential, CoverMaterialID: deref(r.CoverMaterialID)}}
}

type courseTagRow struct {
	VersionID    int64 `gorm:"primaryKey"`
	CompetenceID int32 `gorm:"primaryKey"`
	LevelStep    *int16
}

func (courseTagRow) TableName() string { return "course_tags" }

type lessonTagRow struct {
	LessonID     int64 `gorm:"primaryKey"`
	CompetenceID int32 `gorm:"primaryKey"`
	LevelStep    *int16
}

func (lessonTagRow) TableName() string { return "lesson_tags" }

type courseModuleRow struct {
	ID        int64 `gorm:"primaryKey"`
	VersionID int64
	Key       string
	Position  int
	Title     string
}

func (courseModuleRow) TableName() string { return "course_modules" }

type lessonRow struct {
	ID               int64 `gorm:"primaryKey"`
	ModuleID         int64
	VersionID        int64
	Key              string
	Position         int
	Kind             string
	Title            string
	BodyMD           string `gorm:"column:body_md"`
	URL              string `gorm:"column:url"`
	MaterialID       *int64
	Required         bool
	EstimatedMinutes *int
}

func (lessonRow) TableName() string { return "lessons" }

// lessonColumns are the columns UpdateLesson writes.
var lessonColumns = []string{"kind", "title", "body_md", "url", "material_id", "required", "estimated_minutes"}

func lessonRowOf(in courses.LessonInput) lessonRow {
	return lessonRow{Kind: string(in.Kind), Title: in.Title, BodyMD: in.BodyMD, URL: in.URL, MaterialID: optional(in.MaterialID),
		Required: in.Required, EstimatedMinutes: optional(in.EstimatedMinutes)}
}

// newKey is a random (version 4) UUID for a new module or lesson.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// textArray is a text[] column.
type textArray []string

// Value writes the array literal.
func (a textArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// Scan reads a one-dimensional array literal.
func (a *textArray) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case nil:
		*a = nil
		return nil
	default:
		return fmt.Errorf("textArray: cannot scan %T", src)
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return errors.New("textArray: not an array literal")
	}
	s = s[1 : len(s)-1]
	out := textArray{}
	for i := 0; i < len(s); {
		var b strings.Builder
		if s[i] == '"' {
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++ // closing quote
		} else {
			for i < len(s) && s[i] != ',' {
				b.WriteByte(s[i])
				i++
			}
		}
		out = append(out, b.String())
		i++ // comma
	}
	*a = out
	return nil
}
