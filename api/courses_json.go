package api

import (
	"time"

	"densach/domain"
	"densach/domain/courses"
)

type courseOwnerJSON struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type tagInJSON struct {
	CompetenceID int32 `json:"competence_id"`
	LevelStep    int16 `json:"level_step"`
}

type tagRefJSON struct {
	CompetenceID  int32   `json:"competence_id"`
	LevelStep     int16   `json:"level_step"`
	Code          string  `json:"code"`
	NameVI        string  `json:"name_vi"`
	NameEN        string  `json:"name_en"`
	FrameworkCode string  `json:"framework_code"`
	FrameworkKind string  `json:"framework_kind"`
	LevelCode     *string `json:"level_code"`
}

type lessonMaterialJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Kind        string `json:"kind"`
}

type lessonItemJSON struct {
	ID               int64               `json:"id"`
	Key              string              `json:"key"`
	Position         int                 `json:"position"`
	Kind             string              `json:"kind"`
	Title            string              `json:"title"`
	Required         bool                `json:"required"`
	EstimatedMinutes *int                `json:"estimated_minutes"`
	URL              string              `json:"url"`
	Material         *lessonMaterialJSON `json:"material"`
	Tags             []tagRefJSON        `json:"tags"`
}

type lessonJSON struct {
	lessonItemJSON
	ModuleID  int64  `json:"module_id"`
	VersionID int64  `json:"version_id"`
	CourseID  int64  `json:"course_id"`
	BodyMD    string `json:"body_md"`
	BodyHTML  string `json:"body_html"`
}

type moduleJSON struct {
	ID       int64            `json:"id"`
	Key      string           `json:"key"`
	Position int              `json:"position"`
	Title    string           `json:"title"`
	Lessons  []lessonItemJSON `json:"lessons"`
}

type coursePermissionsJSON struct {
	EditDetails bool `json:"edit_details"`
	EditLessons bool `json:"edit_lessons"`
	Publish     bool `json:"publish"`
	Copy        bool `json:"copy"`
}

type courseDetailJSON struct {
	ID                  int64                 `json:"id"`
	Owner               courseOwnerJSON       `json:"owner"`
	Status              string                `json:"status"`
	PublishedVersionID  *int64                `json:"published_version_id"`
	DraftVersionID      *int64                `json:"draft_version_id"`
	CopiedFromVersionID *int64                `json:"copied_from_version_id"`
	PublishedNumber     *int                  `json:"published_number"`
	CreatedAt           time.Time             `json:"created_at"`
	UpdatedAt           time.Time             `json:"updated_at"`
	VersionID           int64                 `json:"version_id"`
	VersionNumber       *int                  `json:"version_number"`
	Title               string                `json:"title"`
	Summary             string                `json:"summary"`
	DescriptionMD       string                `json:"description_md"`
	DescriptionHTML     string                `json:"description_html"`
	Category            string                `json:"category"`
	TargetGroups        []string              `json:"target_groups"`
	EstimatedHours      *float64              `json:"estimated_hours"`
	Mode                string                `json:"mode"`
	Sequential          bool                  `json:"sequential"`
	CoverMaterialID     *int64                `json:"cover_material_id"`
	CoverURL            *string               `json:"cover_url"`
	PublishedAt         *time.Time            `json:"published_at"`
	DigitalSkills       bool                  `json:"digital_skills"`
	ITApplication       bool                  `json:"it_application"`
	Tags                []tagRefJSON          `json:"tags"`
	Modules             []moduleJSON          `json:"modules"`
	Can                 coursePermissionsJSON `json:"can"`
}

type courseSummaryJSON struct {
	ID              int64           `json:"id"`
	Owner           courseOwnerJSON `json:"owner"`
	Status          string          `json:"status"`
	Title           string          `json:"title"`
	Summary         string          `json:"summary"`
	Category        string          `json:"category"`
	Mode            string          `json:"mode"`
	EstimatedHours  *float64        `json:"estimated_hours"`
	HasDraft        bool            `json:"has_draft"`
	PublishedNumber *int            `json:"published_number"`
	UpdatedAt       time.Time       `json:"updated_at"`
	CoverURL        *string         `json:"cover_url"`
}

type coursePageJSON struct {
	Items      []courseSummaryJSON `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

type courseVersionJSON struct {
	ID          int64      `json:"id"`
	Number      *int       `json:"number"`
	Title       string     `json:"title"`
	Current     bool       `json:"current"`
	CreatedAt   time.Time  `json:"created_at"`
	PublishedAt *time.Time `json:"published_at"`
}

type courseVersionListJSON struct {
	Items []courseVersionJSON `json:"items"`
}

type courseCreateJSON struct {
	CentreID       int64       `json:"centre_id"`
	ProvinceID     int64       `json:"province_id"`
	Title          string      `json:"title"`
	Summary        string      `json:"summary"`
	DescriptionMD  string      `json:"description_md"`
	Category       string      `json:"category"`
	TargetGroups   []string    `json:"target_groups"`
	EstimatedHours *float64    `json:"estimated_hours"`
	Mode           string      `json:"mode"`
	Sequential     bool        `json:"sequential"`
	Tags           []tagInJSON `json:"tags"`
}

type coursePatchJSON struct {
	Title           optional[string]      `json:"title"`
	Summary         optional[string]      `json:"summary"`
	DescriptionMD   optional[string]      `json:"description_md"`
	Category        optional[string]      `json:"category"`
	TargetGroups    optional[[]string]    `json:"target_groups"`
	EstimatedHours  optional[*float64]    `json:"estimated_hours"`
	Mode            optional[string]      `json:"mode"`
	Sequential      optional[bool]        `json:"sequential"`
	CoverMaterialID optional[int64]       `json:"cover_material_id"`
	Tags            optional[[]tagInJSON] `json:"tags"`
}

type courseCopyJSON struct {
	CentreID int64 `json:"centre_id"`
}

type structureModuleJSON struct {
	ID        int64   `json:"id"`
	LessonIDs []int64 `json:"lesson_ids"`
}

type courseStructureJSON struct {
	Modules []structureModuleJSON `json:"modules"`
}

type moduleTitleJSON struct {
	Title string `json:"title"`
}

type lessonCreateJSON struct {
	Kind             string      `json:"kind"`
	Title            string      `json:"title"`
	BodyMD           string      `json:"body_md"`
	URL              string      `json:"url"`
	MaterialID       int64       `json:"material_id"`
	Required         *bool       `json:"required"`
	EstimatedMinutes int         `json:"estimated_minutes"`
	Tags             []tagInJSON `json:"tags"`
}

type lessonPatchJSON struct {
	Kind             optional[string]      `json:"kind"`
	Title            optional[string]      `json:"title"`
	BodyMD           optional[string]      `json:"body_md"`
	URL              optional[string]      `json:"url"`
	MaterialID       optional[int64]       `json:"material_id"`
	Required         optional[bool]        `json:"required"`
	EstimatedMinutes optional[int]         `json:"estimated_minutes"`
	Tags             optional[[]tagInJSON] `json:"tags"`
}

func tagsIn(ts []tagInJSON) []domain.CompetenceTag {
	out := make([]domain.CompetenceTag, len(ts))
	for i, t := range ts {
		out[i] = domain.CompetenceTag{CompetenceID: t.CompetenceID, LevelStep: t.LevelStep}
	}
	return out
}

func optTags(o optional[[]tagInJSON]) *[]domain.CompetenceTag {
	if !o.Set {
		return nil
	}
	t := tagsIn(o.V)
	return &t
}

func (in coursePatchJSON) changes() courses.DetailChanges {
	c := courses.DetailChanges{Title: in.Title.ptr(), Summary: in.Summary.ptr(), DescriptionMD: in.DescriptionMD.ptr(), Category: in.Category.ptr(),
		TargetGroups: in.TargetGroups.ptr(), EstimatedHours: in.EstimatedHours.ptr(), Sequential: in.Sequential.ptr(),
		CoverMaterialID: in.CoverMaterialID.ptr(), Tags: optTags(in.Tags)}
	if in.Mode.Set && !in.Mode.Null {
		m := courses.Mode(in.Mode.V)
		c.Mode = &m
	}
	return c
}

func (in lessonPatchJSON) changes() courses.LessonChanges {
	c := courses.LessonChanges{Title: in.Title.ptr(), BodyMD: in.BodyMD.ptr(), URL: in.URL.ptr(), MaterialID: in.MaterialID.ptr(),
		Required: in.Required.ptr(), EstimatedMinutes: in.EstimatedMinutes.ptr(), Tags: optTags(in.Tags)}
	if in.Kind.Set && !in.Kind.Null {
		k := courses.LessonKind(in.Kind.V)
		c.Kind = &k
	}
	return c
}

func tagsOut(ts []courses.TagRef) []tagRefJSON {
	out := make([]tagRefJSON, len(ts))
	for i, t := range ts {
		out[i] = tagRefJSON{CompetenceID: t.CompetenceID, LevelStep: t.LevelStep, Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN,
			FrameworkCode: t.FrameworkCode, FrameworkKind: string(t.FrameworkKind), LevelCode: strOrNil(t.LevelCode)}
	}
	return out
}

func lessonItemOut(l courses.Lesson) lessonItemJSON {
	j := lessonItemJSON{ID: l.ID, Key: l.Key, Position: l.Position, Kind: string(l.Kind), Title: l.Title, Required: l.Required,
		EstimatedMinutes: optionalInt(l.EstimatedMinutes), URL: l.URL, Tags: tagsOut(l.Tags)}
	if m := l.Material; m != nil {
		j.Material = &lessonMaterialJSON{ID: m.ID, DisplayName: m.DisplayName, Size: m.Size, ContentType: m.ContentType, Kind: m.Kind}
	}
	return j
}

func lessonOut(l courses.Lesson) lessonJSON {
	return lessonJSON{lessonItemJSON: lessonItemOut(l), ModuleID: l.ModuleID, VersionID: l.VersionID, CourseID: l.CourseID,
		BodyMD: l.BodyMD, BodyHTML: renderMarkdown(l.BodyMD)}
}

func moduleOut(m courses.Module) moduleJSON {
	j := moduleJSON{ID: m.ID, Key: m.Key, Position: m.Position, Title: m.Title, Lessons: make([]lessonItemJSON, len(m.Lessons))}
	for i, l := range m.Lessons {
		j.Lessons[i] = lessonItemOut(l)
	}
	return j
}

func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func ownerOut(kind string, centreID, provinceID int64, name string) courseOwnerJSON {
	if kind == "province" || provinceID != 0 && centreID == 0 {
		return courseOwnerJSON{Kind: "province", ID: provinceID, Name: name}
	}
	return courseOwnerJSON{Kind: "centre", ID: centreID, Name: name}
}

func courseDetailOut(d courses.Detail) courseDetailJSON {
	v := d.Version
	j := courseDetailJSON{ID: d.ID, Owner: ownerOut("", d.CentreID, d.ProvinceID, d.OwnerName), Status: string(d.Status),
		PublishedVersionID: idOrNil(d.PublishedVersionID), DraftVersionID: idOrNil(d.DraftVersionID), CopiedFromVersionID: idOrNil(d.CopiedFromVersion),
		PublishedNumber: optionalInt(d.PublishedNumber), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		VersionID: v.ID, VersionNumber: optionalInt(v.Number), Title: v.Details.Title, Summary: v.Details.Summary,
		DescriptionMD: v.Details.DescriptionMD, DescriptionHTML: renderMarkdown(v.Details.DescriptionMD), Category: v.Details.Category,
		TargetGroups: v.Details.TargetGroups, EstimatedHours: v.Details.EstimatedHours, Mode: string(v.Details.Mode), Sequential: v.Details.Sequential,
		CoverMaterialID: idOrNil(v.Details.CoverMaterialID), CoverURL: strOrNil(v.CoverURL), PublishedAt: v.PublishedAt, DigitalSkills: d.DigitalSkills(), ITApplication: d.ITApplication(),
		Tags: tagsOut(v.Tags), Modules: make([]moduleJSON, len(d.Modules)),
		Can: coursePermissionsJSON{EditDetails: d.Can.EditDetails, EditLessons: d.Can.EditLessons, Publish: d.Can.Publish, Copy: d.Can.Copy}}
	if j.TargetGroups == nil {
		j.TargetGroups = []string{}
	}
	for i, m := range d.Modules {
		j.Modules[i] = moduleOut(m)
	}
	return j
}

func courseSummaryOut(s courses.Summary) courseSummaryJSON {
	return courseSummaryJSON{ID: s.ID, Owner: courseOwnerJSON{Kind: s.OwnerKind, ID: s.OwnerID, Name: s.OwnerName}, Status: string(s.Status),
		Title: s.Title, Summary: s.Summary, Category: s.Category, Mode: string(s.Mode), EstimatedHours: s.EstimatedHours, HasDraft: s.HasDraft,
		PublishedNumber: optionalInt(s.PublishedNumber), UpdatedAt: s.UpdatedAt, CoverURL: strOrNil(s.CoverURL)}
}
