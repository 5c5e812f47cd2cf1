package classes

import "densach/domain"

// The read rules of classes and venues, for the use cases that show them
// elsewhere (the calendar feeds): one rule, decided here.

// ReadsCentre reports whether the caller reads everything of a centre
// (its classes, sessions and venues): administrators, officers of its
// province or commune, its managers and teachers.
func ReadsCentre(p domain.Principal, a domain.Area) bool { return readsCentre(p, a) }

// ManagesCentre reports whether the caller runs a centre's classes:
// administrators and the centre's managers.
func ManagesCentre(p domain.Principal, centreID int64) bool { return managesCentre(p, centreID) }

// StaffReads reports whether the caller reads a class as its staff: those
// who read its centre in full and its teachers (shared ones included).
func StaffReads(p domain.Principal, c Class) bool {
	return managesCentre(p, c.CentreID) || readsCentre(p, c.Area()) || teaches(p, c)
}

// ReadsClass reports whether the caller sees a class at all: its staff, and
// the learners of its province while it is open or running.
func ReadsClass(p domain.Principal, c Class) bool { return accessOf(p, c).read }
