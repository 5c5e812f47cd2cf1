package quizzes_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/domain/quizzes"
)

// The columns of the table: every role in the courses' own scope (centre
// A1, commune A1, province A and its library) and a foreign one (centre B1).
const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacherA1
	cLearnerA1
	cManagerB1
	cLearnerB1
	nCallers
)

var callerNames = [nCallers]string{"admin", "officer_province_A", "officer_commune_A1", "manager_A1", "teacher_A1", "learner_A1", "manager_B1", "learner_B1"}

// want is the answer to a use case needing need after read: not found for
// a course the caller may not read, forbidden without need.
func want(read, need bool) domain.Code {
	switch {
	case !read:
		return domain.CodeNotFound
	case !need:
		return domain.CodeForbidden
	}
	return ""
}

// TestAuthzQuizzesUseCases runs every quizzes use case for every caller on
// a course of centre A1, A's library and centre B1. Only learner_A1 is
// enrolled (in A1's course and A's library course); learner_B1 in B1's.
func TestAuthzQuizzesUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := [nCallers]domain.Principal{w.admin, w.officerA, w.officerA1, w.managerA1, w.teacherA1, w.learnerA1, w.managerB1, w.learnerB1}
	type target struct {
		name                             string
		course                           quizCourse
		read, drafts, editable, enrolled [nCallers]bool
	}
	a1 := w.makeCourse(w.CentreA1, 0, quizzes.Settings{PassPercent: 50})
	lib := w.makeCourse(0, w.ProvA, quizzes.Settings{PassPercent: 50})
	b1 := w.makeCourse(w.CentreB1, 0, quizzes.Settings{PassPercent: 50})
	w.enrol(w.learnerA1, a1)
	w.enrol(w.learnerA1, lib)
	w.enrol(w.learnerB1, b1)
	targets := []target{
		{"centre_A1", a1,
			[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true},
			[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true},
			[nCallers]bool{cAdmin: true, cManagerA1: true, cTeacherA1: true},
			[nCallers]bool{cLearnerA1: true}},
		{"library_A", lib,
			[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true},
			[nCallers]bool{cAdmin: true, cOfficerA: true},
			[nCallers]bool{cAdmin: true, cOfficerA: true},
			[nCallers]bool{cLearnerA1: true}},
		{"foreign_centre_B1", b1,
			[nCallers]bool{cAdmin: true, cManagerB1: true, cLearnerB1: true},
			[nCallers]bool{cAdmin: true, cManagerB1: true},
			[nCallers]bool{cAdmin: true, cManagerB1: true},
			[nCallers]bool{cLearnerB1: true}},
	}
	for _, tc := range targets {
		draft := w.draftLesson(tc.course)
		// An attempt of the enrolled learner's, for the others to try.
		var owner domain.Principal
		for i, e := range tc.enrolled {
			if e {
				owner = callers[i]
			}
		}
		theirs := started(w.svc.Start(ctx, owner, tc.course.published))
		for i, p := range callers {
			name := tc.name + "/" + callerNames[i]
			check := func(t *testing.T, what string, err error, wantCode domain.Code) {
				t.Helper()
				if codeOf(err) != wantCode {
					t.Fatalf("%s: %v, want %q", what, err, wantCode)
				}
			}
			t.Run("bank/"+name, func(t *testing.T) {
				_, err := w.svc.Questions(ctx, p, tc.course.id)
				check(t, "list", err, want(tc.read[i], tc.drafts[i]))
				q, err := w.svc.AddQuestion(ctx, p, tc.course.id, sampleQuestions[0])
				check(t, "add", err, want(tc.read[i], tc.editable[i]))
				_, err = w.svc.UpdateQuestion(ctx, p, tc.course.questions[0].ID, sampleQuestions[0])
				check(t, "update", err, want(tc.read[i], tc.editable[i]))
				if err == nil {
					check(t, "delete", w.svc.DeleteQuestion(ctx, p, q.ID), "")
				} else {
					check(t, "delete", w.svc.DeleteQuestion(ctx, p, tc.course.questions[1].ID), want(tc.read[i], false))
				}
			})
			t.Run("settings/"+name, func(t *testing.T) {
				_, err := w.svc.Quiz(ctx, p, tc.course.published)
				check(t, "read quiz", err, want(tc.read[i], tc.drafts[i]))
				_, err = w.svc.SaveSettings(ctx, p, draft, quizzes.Settings{PassPercent: 60})
				check(t, "save settings", err, want(tc.read[i], tc.editable[i]))
				_, err = w.svc.Stats(ctx, p, tc.course.published)
				check(t, "stats", err, want(tc.read[i], tc.drafts[i]))
			})
			t.Run("attempts/"+name, func(t *testing.T) {
				_, err := w.svc.MyResults(ctx, p, tc.course.published)
				check(t, "results", err, want(tc.read[i], tc.enrolled[i]))
				a, _, err := w.svc.Start(ctx, p, tc.course.published)
				check(t, "start", err, want(tc.read[i], tc.enrolled[i]))
				if err == nil {
					_, err = w.svc.Submit(ctx, p, a.ID, nil)
					check(t, "submit own", err, "")
					return
				}
				_, err = w.svc.Attempt(ctx, p, theirs.ID)
				check(t, "read another's attempt", err, domain.CodeNotFound)
				_, err = w.svc.Submit(ctx, p, theirs.ID, nil)
				check(t, "submit another's attempt", err, domain.CodeNotFound)
			})
		}
	}
}
