package courses

import (
	"slices"

	"densach/domain"
)

// Scope is the set of courses a principal may read, in the terms storage
// turns into SQL for the list; the same Scope decides single courses in
// memory (reads, readsDrafts), so the list and a course page never
// disagree.
type Scope struct {
	All bool
	// Centre courses read with their drafts: of these centres (managers,
	// teachers), communes (commune officers) and provinces (province
	// officers).
	DraftCentreIDs   []int64
	DraftCommuneIDs  []int64
	DraftProvinceIDs []int64
	// Library courses read with their drafts: the province officers'.
	LibraryDraftProvinceIDs []int64
	// Published centre courses (learners' centres).
	CentreIDs []int64
	// Published library courses of these provinces (everyone's province).
	LibraryProvinceIDs []int64
}

// rights is what a principal may do with courses.
type rights struct {
	Scope
	manageCentres   []int64 // managers: everything about their centre's courses
	manageLibraries []int64 // province officers: their province's library
	lessonCentres   []int64 // teachers (and managers): modules and lessons
}

// rightsOf derives the rights from the principal's grants: the one place
// where roles become course permissions.
func rightsOf(p domain.Principal) rights {
	var r rights
	add := func(ids *[]int64, id int64) {
		if id != 0 && !slices.Contains(*ids, id) {
			*ids = append(*ids, id)
		}
	}
	for _, g := range p.Grants {
		switch g.Role {
		case domain.RoleAdmin:
			return rights{Scope: Scope{All: true}}
		case domain.RoleOfficer:
			if g.Kind == domain.ScopeProvince {
				add(&r.DraftProvinceIDs, g.ProvinceID)
				add(&r.LibraryDraftProvinceIDs, g.ProvinceID)
				add(&r.manageLibraries, g.ProvinceID)
			} else if g.Kind == domain.ScopeCommune {
				add(&r.DraftCommuneIDs, g.CommuneID)
				add(&r.LibraryProvinceIDs, g.ProvinceID)
			}
		case domain.RoleManager:
			add(&r.DraftCentreIDs, g.CentreID)
			add(&r.manageCentres, g.CentreID)
			add(&r.lessonCentres, g.CentreID)
			add(&r.LibraryProvinceIDs, g.ProvinceID)
		case domain.RoleTeacher:
			add(&r.DraftCentreIDs, g.CentreID)
			add(&r.lessonCentres, g.CentreID)
			add(&r.LibraryProvinceIDs, g.ProvinceID)
		case domain.RoleLearner:
			add(&r.CentreIDs, g.CentreID)
			add(&r.LibraryProvinceIDs, g.ProvinceID)
		}
	}
	return r
}

// readsDrafts reports whether the scope reads the course with its draft.
func (s Scope) readsDrafts(h Head) bool {
	if s.All {
		return true
	}
	if h.Library() {
		return slices.Contains(s.LibraryDraftProvinceIDs, h.ProvinceID)
	}
	return slices.Contains(s.DraftCentreIDs, h.CentreID) || slices.Contains(s.DraftCommuneIDs, h.CommuneID) ||
		slices.Contains(s.DraftProvinceIDs, h.AreaProvinceID)
}

// reads reports whether the scope reads the course at all: with its
// drafts, or its published versions once it has one.
func (s Scope) reads(h Head) bool {
	if s.readsDrafts(h) {
		return true
	}
	if h.PublishedVersionID == 0 {
		return false
	}
	if h.Library() {
		return slices.Contains(s.LibraryProvinceIDs, h.ProvinceID)
	}
	return slices.Contains(s.CentreIDs, h.CentreID)
}

// manages reports whether the rights cover the course's details, status
// and deletion.
func (r rights) manages(h Head) bool {
	if r.All {
		return true
	}
	if h.Library() {
		return slices.Contains(r.manageLibraries, h.ProvinceID)
	}
	return slices.Contains(r.manageCentres, h.CentreID)
}

// editsLessons reports whether the rights cover the course's modules and lessons.
func (r rights) editsLessons(h Head) bool {
	return r.manages(h) || !h.Library() && slices.Contains(r.lessonCentres, h.CentreID)
}

// managesCentre reports whether the rights cover creating (and copying
// into) courses of the centre.
func (r rights) managesCentre(centreID int64) bool {
	return r.All || slices.Contains(r.manageCentres, centreID)
}

// copies reports whether the caller may copy the course into some centre
// they manage: a published library course of a province where they manage
// a centre (administrators: anywhere).
func (r rights) copies(h Head, managedProvinces []int64) bool {
	if !h.Library() || h.PublishedVersionID == 0 {
		return false
	}
	return r.All || slices.Contains(managedProvinces, h.ProvinceID)
}

// permissions are the rights on one course as the page shows them.
func (r rights) permissions(h Head, managedProvinces []int64) Permissions {
	m := r.manages(h)
	return Permissions{EditDetails: m, EditLessons: r.editsLessons(h), Publish: m, Copy: r.copies(h, managedProvinces)}
}

// access is the shared CourseAccess of a course for the caller.
func (r rights) access(h Head) domain.CourseAccess {
	return domain.CourseAccess{CourseID: h.ID, CentreID: h.CentreID, ProvinceID: h.ProvinceID,
		Read: r.reads(h), ReadDrafts: r.readsDrafts(h), EditLessons: r.editsLessons(h)}
}

// managedProvinces are the provinces of the centres the principal manages
// (where a library course may be copied to).
func managedProvinces(p domain.Principal) []int64 {
	var out []int64
	for _, g := range p.Grants {
		if g.Role == domain.RoleManager && g.ProvinceID != 0 && !slices.Contains(out, g.ProvinceID) {
			out = append(out, g.ProvinceID)
		}
	}
	return out
}
