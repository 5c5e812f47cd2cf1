package courses

import (
	"context"

	"densach/domain"
)

// inVersion checks a module or lesson found in version vid of course h:
// not found unless the caller reads that version (drafts need ReadDrafts),
// forbidden unless they edit lessons, and a conflict unless it is the draft.
func inVersion(r rights, h Head, vid int64, notFound error) error {
	readable := r.reads(h)
	if vid == h.DraftVersionID {
		readable = r.readsDrafts(h)
	}
	switch {
	case !readable:
		return notFound
	case !r.editsLessons(h):
		return errReadOnly
	case vid != h.DraftVersionID:
		return errVersionFrozen
	}
	return nil
}

func normalizeTitle(title, required string) (string, error) {
	t, err := domain.NormalizeText(title, MaxTitle)
	var f domain.Fields
	if !f.AddErr("title", err) && t == "" {
		f.AddOf("title", required, domain.Params{"max": MaxTitle})
	}
	return t, f.Err()
}

// AddModule appends a module to the course's draft.
func (s *Service) AddModule(ctx context.Context, p domain.Principal, courseID int64, title string) (Module, error) {
	h, err := s.lessonsEditable(ctx, p, courseID)
	if err != nil {
		return Module{}, err
	}
	if h.DraftVersionID == 0 {
		return Module{}, errNoDraft
	}
	if title, err = normalizeTitle(title, "module_title_required"); err != nil {
		return Module{}, err
	}
	return s.Store.AddModule(ctx, courseID, h.DraftVersionID, title)
}

// module reads the course of a module the caller may change.
func (s *Service) module(ctx context.Context, p domain.Principal, moduleID int64) (Head, error) {
	h, vid, err := s.Store.ModuleHead(ctx, moduleID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return h, errModuleNotFound
	}
	if err != nil {
		return h, err
	}
	return h, inVersion(rightsOf(p), h, vid, errModuleNotFound)
}

// RenameModule renames a module of the draft.
func (s *Service) RenameModule(ctx context.Context, p domain.Principal, moduleID int64, title string) (Module, error) {
	h, err := s.module(ctx, p, moduleID)
	if err != nil {
		return Module{}, err
	}
	if title, err = normalizeTitle(title, "module_title_required"); err != nil {
		return Module{}, err
	}
	return s.Store.RenameModule(ctx, h.ID, moduleID, title)
}

// DeleteModule deletes a module of the draft with its lessons.
func (s *Service) DeleteModule(ctx context.Context, p domain.Principal, moduleID int64) error {
	h, err := s.module(ctx, p, moduleID)
	if err != nil {
		return err
	}
	return s.Store.DeleteModule(ctx, h.ID, moduleID)
}

// checkLesson validates a lesson: its fields for its kind, its tags, and
// its material (a ready one of the course, of a kind the lesson holds)
// unless it is the one the lesson already had.
func (s *Service) checkLesson(ctx context.Context, courseID int64, in *LessonInput, keptMaterial int64) error {
	var f domain.Fields
	in.normalize(&f)
	tags, err := s.checkTags(ctx, in.Tags, "tags", &f)
	if err != nil {
		return err
	}
	in.Tags = tags
	if in.MaterialID != 0 && in.MaterialID != keptMaterial && len(in.Kind.materialKinds()) > 0 {
		kind, err := s.Store.MaterialKind(ctx, courseID, in.MaterialID)
		if err != nil {
			return err
		}
		if !contains(in.Kind.materialKinds(), kind) {
			f.AddOf("material_id", "lesson_material_invalid", nil)
		}
	}
	return f.Err()
}

// AddLesson appends a lesson to a module of the draft.
func (s *Service) AddLesson(ctx context.Context, p domain.Principal, moduleID int64, in LessonInput) (Lesson, error) {
	h, err := s.module(ctx, p, moduleID)
	if err != nil {
		return Lesson{}, err
	}
	if err := s.checkLesson(ctx, h.ID, &in, 0); err != nil {
		return Lesson{}, err
	}
	id, err := s.Store.AddLesson(ctx, h.ID, moduleID, in)
	if err != nil {
		return Lesson{}, err
	}
	return s.Store.Lesson(ctx, id)
}

// lesson reads the course of a lesson and the version it lies in.
func (s *Service) lesson(ctx context.Context, lessonID int64) (Head, int64, error) {
	h, vid, err := s.Store.LessonHead(ctx, lessonID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return h, 0, errLessonNotFound
	}
	return h, vid, err
}

// GetLesson reads a lesson with its body; one of a draft only for callers
// who may read drafts.
func (s *Service) GetLesson(ctx context.Context, p domain.Principal, lessonID int64) (Lesson, error) {
	h, vid, err := s.lesson(ctx, lessonID)
	if err != nil {
		return Lesson{}, err
	}
	r := rightsOf(p)
	if readable := r.reads(h); !readable || vid == h.DraftVersionID && !r.readsDrafts(h) {
		return Lesson{}, errLessonNotFound
	}
	return s.Store.Lesson(ctx, lessonID)
}

// UpdateLesson changes a lesson of the draft.
func (s *Service) UpdateLesson(ctx context.Context, p domain.Principal, lessonID int64, c LessonChanges) (Lesson, error) {
	h, vid, err := s.lesson(ctx, lessonID)
	if err != nil {
		return Lesson{}, err
	}
	if err := inVersion(rightsOf(p), h, vid, errLessonNotFound); err != nil {
		return Lesson{}, err
	}
	cur, err := s.Store.Lesson(ctx, lessonID)
	if err != nil {
		return Lesson{}, err
	}
	in := c.apply(cur)
	var kept int64
	if cur.Material != nil && cur.Kind == in.Kind {
		kept = cur.Material.ID
	}
	if err := s.checkLesson(ctx, h.ID, &in, kept); err != nil {
		return Lesson{}, err
	}
	if err := s.Store.UpdateLesson(ctx, h.ID, lessonID, in); err != nil {
		return Lesson{}, err
	}
	return s.Store.Lesson(ctx, lessonID)
}

// DeleteLesson deletes a lesson of the draft.
func (s *Service) DeleteLesson(ctx context.Context, p domain.Principal, lessonID int64) error {
	h, vid, err := s.lesson(ctx, lessonID)
	if err != nil {
		return err
	}
	if err := inVersion(rightsOf(p), h, vid, errLessonNotFound); err != nil {
		return err
	}
	return s.Store.DeleteLesson(ctx, h.ID, lessonID)
}

// Reorder sets the whole order of the draft's modules and lessons: every
// module and every lesson of the draft exactly once.
func (s *Service) Reorder(ctx context.Context, p domain.Principal, courseID int64, order []ModuleOrder) (Detail, error) {
	h, err := s.lessonsEditable(ctx, p, courseID)
	if err != nil {
		return Detail{}, err
	}
	if h.DraftVersionID == 0 {
		return Detail{}, errNoDraft
	}
	seenM, seenL := map[int64]bool{}, map[int64]bool{}
	for _, m := range order {
		if seenM[m.ID] {
			return Detail{}, domain.Invalid(domain.FieldOf("modules", "structure_duplicate", nil))
		}
		seenM[m.ID] = true
		for _, l := range m.LessonIDs {
			if seenL[l] {
				return Detail{}, domain.Invalid(domain.FieldOf("modules", "structure_duplicate", nil))
			}
			seenL[l] = true
		}
	}
	if err := s.Store.Reorder(ctx, courseID, h.DraftVersionID, order); err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, p, courseID, VersionDraft)
}
