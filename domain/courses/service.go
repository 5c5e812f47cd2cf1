package courses

import (
	"context"
	"strconv"
	"time"

	"densach/domain"
)

// Service is the courses use cases, built by field assignment in cmd/.
type Service struct {
	Store Store
	// Objects signs the covers' links; nil: courses are shown without them.
	Objects domain.ObjectStore
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

var (
	errNotFound       = domain.Fail(domain.CodeNotFound, "course_not_found", nil)
	errReadOnly       = domain.Fail(domain.CodeForbidden, "course_read_only", nil)
	errNoDraft        = domain.Fail(domain.CodeConflict, "course_no_draft", nil)
	errVersionFrozen  = domain.Fail(domain.CodeConflict, "course_version_published", nil)
	errModuleNotFound = domain.Fail(domain.CodeNotFound, "module_not_found", nil)
	errLessonNotFound = domain.Fail(domain.CodeNotFound, "lesson_not_found", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// VersionDraft and VersionPublished name the versions Get can choose
// besides a number; "" is the default.
const (
	VersionDraft     = "draft"
	VersionPublished = "published"
)

// head reads a course the caller may read (else not found).
func (s *Service) head(ctx context.Context, r rights, id int64) (Head, error) {
	h, err := s.Store.Head(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return h, errNotFound
	}
	if err != nil {
		return h, err
	}
	if !r.reads(h) {
		return h, errNotFound
	}
	return h, nil
}

// CourseAccess says what the caller may do with a course, for the
// aggregates that hang off it (materials): not found when they may not read it.
func (s *Service) CourseAccess(ctx context.Context, p domain.Principal, courseID int64) (domain.CourseAccess, error) {
	r := rightsOf(p)
	h, err := s.Store.Head(ctx, courseID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.CourseAccess{CourseID: courseID}, errNotFound
	}
	if err != nil {
		return domain.CourseAccess{CourseID: courseID}, err
	}
	a := r.access(h)
	if !a.Read {
		return a, errNotFound
	}
	return a, nil
}

// List lists the courses the caller may read.
func (s *Service) List(ctx context.Context, p domain.Principal, f ListFilter) (Page, error) {
	switch f.Status {
	case "", StatusDraft, StatusPublished, StatusArchived:
	default:
		return Page{}, domain.Invalid(domain.FieldOf("status", "status_invalid", nil))
	}
	if f.Limit <= 0 || f.Limit > domain.MaxPageSize {
		f.Limit = 20
	}
	f.Q = domain.FoldForSearch(f.Q)
	page, err := s.Store.List(ctx, rightsOf(p).Scope, f)
	for i := range page.Items {
		page.Items[i].CoverURL = page.Items[i].Cover.URL(ctx, s.Objects)
	}
	return page, err
}

// Get reads a course with one of its versions: "" (the draft for a caller
// who may edit the course and it has one, else the published version),
// VersionDraft, VersionPublished or a version number.
func (s *Service) Get(ctx context.Context, p domain.Principal, id int64, version string) (Detail, error) {
	r := rightsOf(p)
	h, err := s.head(ctx, r, id)
	if err != nil {
		return Detail{}, err
	}
	var vid int64
	switch version {
	case "":
		vid = h.PublishedVersionID
		if h.DraftVersionID != 0 && (r.editsLessons(h) || vid == 0) {
			vid = h.DraftVersionID
		}
	case VersionDraft:
		if r.readsDrafts(h) {
			vid = h.DraftVersionID
		}
	case VersionPublished:
		vid = h.PublishedVersionID
	default:
		n, err := strconv.Atoi(version)
		if err != nil || n < 1 {
			return Detail{}, domain.Invalid(domain.FieldOf("version", "version_invalid", nil))
		}
		if n > h.PublishedNumber {
			break
		}
		if vid, err = s.Store.VersionByNumber(ctx, id, n); err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return Detail{}, err
		}
	}
	if vid == 0 {
		return Detail{}, domain.Fail(domain.CodeNotFound, "course_version_not_found", nil)
	}
	return s.load(ctx, p, r, h, vid)
}

func (s *Service) load(ctx context.Context, p domain.Principal, r rights, h Head, versionID int64) (Detail, error) {
	v, mods, err := s.Store.Load(ctx, versionID)
	if err != nil {
		return Detail{}, err
	}
	v.CoverURL = v.Cover.URL(ctx, s.Objects)
	return Detail{Head: h, Version: v, Modules: mods, Can: r.permissions(h, managedProvinces(p))}, nil
}

// reload reads the course again after a write, its draft chosen.
func (s *Service) reload(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	return s.Get(ctx, p, id, "")
}

// managed reads a course whose details and status the caller manages:
// not found when they may not read it, forbidden when only read.
func (s *Service) managed(ctx context.Context, p domain.Principal, id int64) (Head, error) {
	r := rightsOf(p)
	h, err := s.head(ctx, r, id)
	if err == nil && !r.manages(h) {
		err = errReadOnly
	}
	return h, err
}

// lessonsEditable reads a course whose lessons the caller edits.
func (s *Service) lessonsEditable(ctx context.Context, p domain.Principal, id int64) (Head, error) {
	r := rightsOf(p)
	h, err := s.head(ctx, r, id)
	if err == nil && !r.editsLessons(h) {
		err = errReadOnly
	}
	return h, err
}

// Create creates a course (a draft) at a centre or in a province's library.
func (s *Service) Create(ctx context.Context, p domain.Principal, c NewCourse) (Detail, error) {
	r := rightsOf(p)
	switch {
	case (c.CentreID == 0) == (c.ProvinceID == 0):
		return Detail{}, domain.Invalid(domain.FieldOf("centre_id", "course_owner_required", nil))
	case c.CentreID != 0 && !r.managesCentre(c.CentreID):
		return Detail{}, domain.Fail(domain.CodeForbidden, "forbidden", nil)
	case c.ProvinceID != 0 && !r.All && !contains(r.manageLibraries, c.ProvinceID):
		return Detail{}, domain.Fail(domain.CodeForbidden, "forbidden", nil)
	}
	var f domain.Fields
	if c.ProvinceID != 0 {
		ok, err := s.Store.IsProvince(ctx, c.ProvinceID, domain.Today(s.now()))
		if err != nil {
			return Detail{}, err
		}
		if !ok {
			f.AddOf("province_id", "course_province_invalid", nil)
		}
	} else if _, err := s.Store.CentreProvince(ctx, c.CentreID); domain.ErrorCode(err) == domain.CodeNotFound {
		f.AddOf("centre_id", "centre_not_found", nil)
	} else if err != nil {
		return Detail{}, err
	}
	c.Details.CoverMaterialID = 0 // a new course has no material yet
	if err := s.checkDetails(ctx, &c.Details, 0, &f); err != nil {
		return Detail{}, err
	}
	tags, err := s.checkTags(ctx, c.Tags, "tags", &f)
	if err != nil {
		return Detail{}, err
	}
	if err := f.Err(); err != nil {
		return Detail{}, err
	}
	c.Tags = tags
	id, err := s.Store.Create(ctx, c, p.PersonID)
	if err != nil {
		return Detail{}, err
	}
	return s.reload(ctx, p, id)
}

// checkDetails normalises the details and checks the category and cover
// against storage.
func (s *Service) checkDetails(ctx context.Context, d *Details, courseID int64, f *domain.Fields) error {
	d.normalize(f)
	if d.Category != "" {
		ok, err := s.Store.CategoryExists(ctx, d.Category)
		if err != nil {
			return err
		}
		if !ok {
			f.AddOf("category", "course_category_unknown", nil)
		}
	}
	if d.CoverMaterialID != 0 {
		kind, err := s.Store.MaterialKind(ctx, courseID, d.CoverMaterialID)
		if err != nil {
			return err
		}
		if kind != "image" {
			f.AddOf("cover_material_id", "course_cover_invalid", nil)
		}
	}
	return nil
}

// checkTags checks a list of tags: known competences, no competence
// twice, a level step of the competence's framework (or 0).
func (s *Service) checkTags(ctx context.Context, tags []domain.CompetenceTag, field string, f *domain.Fields) ([]domain.CompetenceTag, error) {
	if len(tags) > MaxTags {
		f.AddOf(field, "too_many", domain.Params{"max": MaxTags})
		return nil, nil
	}
	ids := make([]int32, 0, len(tags))
	for _, t := range tags {
		if contains(ids, t.CompetenceID) {
			f.AddOf(field, "tag_duplicate", nil)
			return nil, nil
		}
		ids = append(ids, t.CompetenceID)
	}
	if len(ids) == 0 {
		return []domain.CompetenceTag{}, nil
	}
	steps, err := s.Store.TagSteps(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		valid, known := steps[t.CompetenceID]
		switch {
		case !known:
			f.AddOf(field, "tag_competence_unknown", nil)
		case t.LevelStep != 0 && !contains(valid, t.LevelStep):
			f.AddOf(field, "tag_level_invalid", nil)
		}
	}
	return tags, nil
}

// Update changes the draft's details and tags.
func (s *Service) Update(ctx context.Context, p domain.Principal, id int64, c DetailChanges) (Detail, error) {
	h, err := s.managed(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	if h.DraftVersionID == 0 {
		return Detail{}, errNoDraft
	}
	cur, _, err := s.Store.Load(ctx, h.DraftVersionID)
	if err != nil {
		return Detail{}, err
	}
	d := c.apply(cur.Details)
	var f domain.Fields
	checkCover := d.CoverMaterialID != cur.Details.CoverMaterialID
	if !checkCover {
		d.CoverMaterialID = 0 // unchanged: not checked again
	}
	if err := s.checkDetails(ctx, &d, id, &f); err != nil {
		return Detail{}, err
	}
	if !checkCover {
		d.CoverMaterialID = cur.Details.CoverMaterialID
	}
	var tags *[]domain.CompetenceTag
	if c.Tags != nil {
		t, err := s.checkTags(ctx, *c.Tags, "tags", &f)
		if err != nil {
			return Detail{}, err
		}
		tags = &t
	}
	if err := f.Err(); err != nil {
		return Detail{}, err
	}
	if err := s.Store.UpdateDraft(ctx, id, h.DraftVersionID, d, tags); err != nil {
		return Detail{}, err
	}
	return s.reload(ctx, p, id)
}

// OpenDraft opens the course's draft by copying its published version, or
// returns the open one.
func (s *Service) OpenDraft(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	h, err := s.lessonsEditable(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	if h.DraftVersionID == 0 {
		if _, err := s.Store.OpenDraft(ctx, id, p.PersonID); err != nil {
			return Detail{}, err
		}
	}
	return s.Get(ctx, p, id, VersionDraft)
}

// DiscardDraft throws the draft of a published course away.
func (s *Service) DiscardDraft(ctx context.Context, p domain.Principal, id int64) error {
	h, err := s.managed(ctx, p, id)
	switch {
	case err != nil:
		return err
	case h.DraftVersionID == 0:
		return errNoDraft
	case h.PublishedVersionID == 0:
		return domain.Fail(domain.CodeConflict, "course_draft_only", nil)
	}
	return s.Store.DiscardDraft(ctx, id)
}

// Publish publishes the draft as the course's next version.
func (s *Service) Publish(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	h, err := s.managed(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	if h.DraftVersionID == 0 {
		return Detail{}, errNoDraft
	}
	if err := s.Store.Publish(ctx, id, p.PersonID, s.now()); err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, p, id, VersionPublished)
}

// Archive takes a published course out of the catalogue.
func (s *Service) Archive(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	return s.move(ctx, p, id, StatusPublished, StatusArchived, domain.Fail(domain.CodeConflict, "course_not_published", nil))
}

// Unarchive publishes an archived course again.
func (s *Service) Unarchive(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	return s.move(ctx, p, id, StatusArchived, StatusPublished, domain.Fail(domain.CodeConflict, "course_not_archived", nil))
}

func (s *Service) move(ctx context.Context, p domain.Principal, id int64, from, to Status, refusal error) (Detail, error) {
	h, err := s.managed(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	if h.Status != from {
		return Detail{}, refusal
	}
	if err := s.Store.SetStatus(ctx, id, from, to); err != nil {
		return Detail{}, err
	}
	return s.reload(ctx, p, id)
}

// Delete deletes a course that was never published.
func (s *Service) Delete(ctx context.Context, p domain.Principal, id int64) error {
	h, err := s.managed(ctx, p, id)
	if err != nil {
		return err
	}
	if h.PublishedVersionID != 0 {
		return domain.Fail(domain.CodeConflict, "course_published", nil)
	}
	return s.Store.Delete(ctx, id)
}

// Versions lists the course's versions, the draft only for callers who
// may read drafts.
func (s *Service) Versions(ctx context.Context, p domain.Principal, id int64) ([]VersionInfo, error) {
	r := rightsOf(p)
	h, err := s.head(ctx, r, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.Versions(ctx, id)
	if err != nil || r.readsDrafts(h) {
		return vs, err
	}
	out := vs[:0]
	for _, v := range vs {
		if v.Number != 0 {
			out = append(out, v)
		}
	}
	return out, nil
}

// Copy copies a published library course into a centre the caller
// manages in the library's province, as a new draft course.
func (s *Service) Copy(ctx context.Context, p domain.Principal, id, centreID int64) (Detail, error) {
	r := rightsOf(p)
	h, err := s.head(ctx, r, id)
	if err != nil {
		return Detail{}, err
	}
	if !h.Library() {
		return Detail{}, domain.Invalid(domain.FieldOf("centre_id", "course_copy_not_library", nil))
	}
	if centreID == 0 {
		return Detail{}, domain.Invalid(domain.FieldOf("centre_id", "centre_required", nil))
	}
	if !r.managesCentre(centreID) {
		return Detail{}, errReadOnly
	}
	if h.PublishedVersionID == 0 {
		return Detail{}, domain.Fail(domain.CodeConflict, "course_not_published", nil)
	}
	prov, err := s.Store.CentreProvince(ctx, centreID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Detail{}, domain.Invalid(domain.FieldOf("centre_id", "centre_not_found", nil))
	}
	if err != nil {
		return Detail{}, err
	}
	if prov != h.ProvinceID {
		return Detail{}, domain.Invalid(domain.FieldOf("centre_id", "course_copy_province", nil))
	}
	newID, err := s.Store.Copy(ctx, h.PublishedVersionID, centreID, p.PersonID)
	if err != nil {
		return Detail{}, err
	}
	return s.reload(ctx, p, newID)
}
