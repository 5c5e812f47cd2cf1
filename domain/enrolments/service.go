package enrolments

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"densach/domain"
	"densach/domain/courses"
)

// Service is the enrolment and progress use cases, built by field
// assignment in cmd/.
type Service struct {
	Store   Store
	Courses Courses
	People  People
	// Importer finds or creates the people of a CSV enrolment into a class.
	Importer PeopleImporter
	// Threshold is the share of a video that must really be played for it
	// to be complete; 0 means DefaultThreshold.
	Threshold float64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Online hears of every progress batch of a class enrolment (the
	// attendance from the online-learning data); nil: nobody listens.
	Online OnlineSeen

	// lessons caches the lessons of published versions, which never change.
	lessons sync.Map // version id → []LessonRef
	// recording caches what never changes of an enrolment that records
	// progress (whose it is, its version, when it began), so that a
	// heartbeat costs one statement: the store's upsert checks the status.
	recording sync.Map // enrolment id → recordingFacts
	// recorded counts recording's entries: past maxRecording the cache is
	// emptied (and refills from the learners still active), so that its
	// memory stays bounded however many enrolments a process sees.
	recorded atomic.Int64
}

// maxRecording bounds the enrolments whose facts are cached (about 100
// bytes each).
const maxRecording = 100_000

// recordingFacts are the immutable facts of an enrolment Record needs.
type recordingFacts struct {
	personID, versionID, classID int64
	enrolledAt                   time.Time
}

var (
	errNotFound    = domain.Fail(domain.CodeNotFound, "enrolment_not_found", nil)
	errForbidden   = domain.Fail(domain.CodeForbidden, "forbidden", nil)
	errNotOwn      = domain.Fail(domain.CodeForbidden, "enrolment_not_own", nil)
	errCourseShut  = domain.Fail(domain.CodeConflict, "enrolment_course_not_open", nil)
	errNotOnline   = domain.Fail(domain.CodeConflict, "enrolment_course_not_online", nil)
	errNotLive     = domain.Fail(domain.CodeConflict, "enrolment_not_live", nil)
	errPersonNotIn = domain.Fail(domain.CodeNotFound, "person_not_found", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) threshold() float64 {
	if s.Threshold > 0 && s.Threshold <= 1 {
		return s.Threshold
	}
	return DefaultThreshold
}

// coversPerson reports whether the principal is staff who may enrol (and
// withdraw, and follow) the person in the course: an administrator, or a
// manager or teacher of the course's centre — or, for a province library
// course, of a centre in that province — for a person of their commune or
// who holds a role at their centre. Officers follow learners but enrol no one.
func coversPerson(p domain.Principal, a domain.CourseAccess, person domain.Area) bool {
	for _, g := range p.Grants {
		switch g.Role {
		case domain.RoleAdmin:
			return true
		case domain.RoleManager, domain.RoleTeacher:
			ours := a.CentreID != 0 && a.CentreID == g.CentreID || a.ProvinceID != 0 && a.ProvinceID == g.ProvinceID
			if ours && (person.CommuneID == g.CommuneID || slices.Contains(person.CentreIDs, g.CentreID)) {
				return true
			}
		}
	}
	return false
}

// Enrol enrols a person in the course's published version: the caller
// themself (personID 0 or their own) in a published online or blended
// course they may read, or someone they cover (staff, see coversPerson).
func (s *Service) Enrol(ctx context.Context, p domain.Principal, courseID, personID int64) (Enrolment, error) {
	d, err := s.Courses.Get(ctx, p, courseID, courses.VersionPublished)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		// A course the caller reads without a published version is not open.
		if a, aerr := s.Courses.CourseAccess(ctx, p, courseID); aerr == nil && a.Read {
			return Enrolment{}, errCourseShut
		}
	}
	if err != nil {
		return Enrolment{}, err
	}
	e := Enrolment{PersonID: p.PersonID, CourseID: courseID, VersionID: d.PublishedVersionID, Status: StatusActive,
		Source: SourceSelf, EnrolledBy: p.PersonID}
	if personID != 0 && personID != p.PersonID {
		person, err := s.People.GetPerson(ctx, personID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return Enrolment{}, errPersonNotIn
		}
		if err != nil {
			return Enrolment{}, err
		}
		access := domain.CourseAccess{CourseID: courseID, CentreID: d.CentreID, ProvinceID: d.ProvinceID, Read: true}
		if !coversPerson(p, access, person.Area()) {
			if !p.PeopleFilter(domain.ActRead).Matches(person.Area()) {
				return Enrolment{}, errPersonNotIn
			}
			return Enrolment{}, errForbidden
		}
		e.PersonID, e.Source = personID, SourceStaff
	}
	if d.Status != courses.StatusPublished {
		return Enrolment{}, errCourseShut
	}
	if d.Version.Details.Mode == courses.ModeInPerson {
		return Enrolment{}, errNotOnline
	}
	if err := s.Store.Create(ctx, &e); err != nil {
		return Enrolment{}, err
	}
	return s.Store.Get(ctx, e.ID)
}

// access is what the caller may do with one enrolment.
type access struct {
	own    bool // the learner themself
	staff  bool // may enrol and withdraw the learner
	follow bool // may read their progress
}

// enrolment reads an enrolment the caller may see (else not found).
func (s *Service) enrolment(ctx context.Context, p domain.Principal, id int64) (Enrolment, access, error) {
	e, err := s.Store.Get(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return e, access{}, errNotFound
	}
	if err != nil {
		return e, access{}, err
	}
	if e.PersonID == p.PersonID {
		return e, access{own: true, follow: true}, nil
	}
	if len(p.Grants) == 0 || onlyLearner(p) {
		return e, access{}, errNotFound
	}
	if e.ClassID != 0 {
		return s.classEnrolmentAccess(ctx, p, e)
	}
	a, err := s.Courses.CourseAccess(ctx, p, e.CourseID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return e, access{}, errNotFound
	}
	if err != nil {
		return e, access{}, err
	}
	var ac access
	if a.ReadDrafts {
		ac.follow = true
	}
	if hasStaffRole(p) {
		person, err := s.People.GetPerson(ctx, e.PersonID)
		if err != nil {
			return e, access{}, err
		}
		ac.staff = coversPerson(p, a, person.Area())
		ac.follow = ac.follow || ac.staff
	}
	if !ac.follow {
		return e, access{}, errNotFound
	}
	return e, ac, nil
}

// classEnrolmentAccess is what staff may do with an enrolment in a class:
// those who read the class's roster follow it; its centre's managers, its
// teachers and administrators who cover the learner (and hold no narrower
// role than theirs) withdraw it.
func (s *Service) classEnrolmentAccess(ctx context.Context, p domain.Principal, e Enrolment) (Enrolment, access, error) {
	c, err := s.Store.ClassRef(ctx, e.ClassID)
	if err != nil {
		return e, access{}, err
	}
	var ac access
	if rank := classRank(p, c); rank > 0 {
		person, err := s.People.GetPerson(ctx, e.PersonID)
		if err != nil {
			return e, access{}, err
		}
		ac.staff = classCovers(rank, c, person.Area()) && !widerRole(rank, person)
	}
	ac.follow = ac.staff || classReads(p, c)
	if !ac.follow {
		return e, access{}, errNotFound
	}
	return e, ac, nil
}

func onlyLearner(p domain.Principal) bool {
	for _, g := range p.Grants {
		if g.Role != domain.RoleLearner {
			return false
		}
	}
	return true
}

func hasStaffRole(p domain.Principal) bool {
	return p.IsAdmin() || p.Has(domain.RoleManager) || p.Has(domain.RoleTeacher)
}

// Get reads an enrolment with its outline, progress, percentage and where
// to continue: for the learner, and staff who follow them.
func (s *Service) Get(ctx context.Context, p domain.Principal, id int64) (Detail, error) {
	e, _, err := s.enrolment(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	lessons, err := s.versionLessons(ctx, e.VersionID)
	if err != nil {
		return Detail{}, err
	}
	states, err := s.Store.Progress(ctx, e.ID)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Enrolment: e, Lessons: lessons, Progress: states}
	done := map[string]bool{}
	for _, st := range states {
		done[st.LessonKey] = st.CompletedAt != nil
	}
	d.Percent = Percent(lessons, func(k string) bool { return done[k] })
	d.ResumeLessonID, d.ResumePositionS = Resume(lessons, states)
	return d, nil
}

// Withdraw withdraws a live enrolment with a reason: the learner, or staff
// who cover them.
func (s *Service) Withdraw(ctx context.Context, p domain.Principal, id int64, reason string) (Enrolment, error) {
	e, ac, err := s.enrolment(ctx, p, id)
	if err != nil {
		return Enrolment{}, err
	}
	if !ac.own && !ac.staff {
		return Enrolment{}, errForbidden
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n > MaxReason {
		return Enrolment{}, domain.Invalid(domain.FieldOf("reason", "text_too_long", domain.Params{"max": MaxReason}))
	}
	if !ac.own && reason == "" {
		return Enrolment{}, domain.Invalid(domain.FieldOf("reason", "required", domain.Params{"field": "reason"}))
	}
	if !e.Live() {
		return Enrolment{}, errNotLive
	}
	if err := s.Store.Withdraw(ctx, e.ID, p.PersonID, reason, s.now()); err != nil {
		return Enrolment{}, err
	}
	return s.Store.Get(ctx, e.ID)
}

// Mine lists the caller's enrolments in online courses with their
// progress, newest first; their class enrolments are MyClasses'.
func (s *Service) Mine(ctx context.Context, p domain.Principal) ([]Summary, error) {
	return s.Store.ByPerson(ctx, p.PersonID)
}

// Record merges a batch of the player's events into the caller's own live
// enrolment: idempotent and monotonic (see Fold and Merge). Only the
// learner records progress: others who may see the enrolment are
// forbidden, the rest get not found. After an enrolment's first batch the
// checks come from its cached facts and the store's upsert, which writes
// nothing unless the enrolment is still live: one statement per heartbeat.
func (s *Service) Record(ctx context.Context, p domain.Principal, id int64, events []Event) ([]State, error) {
	f, ok := s.recording.Load(id)
	if !ok || f.(recordingFacts).personID != p.PersonID {
		e, err := s.Store.Get(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return nil, errNotFound
		}
		if err != nil {
			return nil, err
		}
		if e.PersonID != p.PersonID {
			if _, _, err := s.enrolment(ctx, p, id); err != nil {
				return nil, err
			}
			return nil, errNotOwn
		}
		if e.Status != StatusActive && e.Status != StatusCompleted {
			return nil, errNotLive
		}
		f = recordingFacts{personID: e.PersonID, versionID: e.VersionID, classID: e.ClassID, enrolledAt: e.EnrolledAt}
		if s.recorded.Add(1) > maxRecording {
			s.recording.Clear()
			s.recorded.Store(1)
		}
		s.recording.Store(id, f)
	}
	facts := f.(recordingFacts)
	lessons, err := s.versionLessons(ctx, facts.versionID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]LessonRef, len(lessons))
	for _, l := range lessons {
		byID[l.ID] = l
	}
	batch, err := Fold(events, byID, facts.enrolledAt, s.now(), s.threshold())
	if err != nil {
		return nil, err
	}
	states, err := s.Store.Record(ctx, id, batch, s.threshold())
	if err == nil && len(states) == 0 && len(batch) > 0 {
		return nil, errNotLive // withdrawn since its facts were cached
	}
	if err == nil && facts.classID != 0 && s.Online != nil {
		s.Online.OnlineSeen(ctx, id, firstCompleted(batch, states))
	}
	return states, err
}

// OnlineSeen hears that a class enrolment's learner sent a progress batch
// now; completed: a lesson was first completed in it. It never fails the
// batch.
type OnlineSeen interface {
	OnlineSeen(ctx context.Context, enrolmentID int64, completed bool)
}

// firstCompleted reports whether the batch completed a lesson for the
// first time: its completion is the stored (earliest) one.
func firstCompleted(batch, stored []State) bool {
	done := map[string]time.Time{}
	for _, s := range stored {
		if s.CompletedAt != nil {
			done[s.LessonKey] = *s.CompletedAt
		}
	}
	for _, b := range batch {
		if b.CompletedAt == nil {
			continue
		}
		if at, ok := done[b.LessonKey]; ok && at.Equal(*b.CompletedAt) {
			return true
		}
	}
	return false
}

// CompleteQuiz marks a quiz lesson complete for an enrolment, at the time
// of the passing attempt. The quizzes use case calls it after its own
// checks (the attempt is the learner's, submitted and passing).
func (s *Service) CompleteQuiz(ctx context.Context, enrolmentID, lessonID int64, at time.Time) error {
	e, err := s.Store.Get(ctx, enrolmentID)
	if err != nil {
		return err
	}
	lessons, err := s.versionLessons(ctx, e.VersionID)
	if err != nil {
		return err
	}
	for _, l := range lessons {
		if l.ID == lessonID && l.Kind == courses.KindQuiz {
			at = at.UTC().Truncate(time.Microsecond)
			_, err := s.Store.Record(ctx, e.ID, []State{{LessonKey: l.Key, LessonID: l.ID, OpenedAt: at, LastAt: at, CompletedAt: &at}}, s.threshold())
			return err
		}
	}
	return domain.Fail(domain.CodeNotFound, "lesson_not_found", nil)
}

// Learners lists a course's learners with their progress: for the staff
// who read the course's drafts (its centre's managers and teachers, the
// officers of its area, administrators); others who read it are forbidden.
func (s *Service) Learners(ctx context.Context, p domain.Principal, courseID int64, f LearnerFilter) (LearnerPage, error) {
	a, err := s.Courses.CourseAccess(ctx, p, courseID)
	if err != nil {
		return LearnerPage{}, err
	}
	if !a.ReadDrafts {
		return LearnerPage{}, errForbidden
	}
	var fs domain.Fields
	switch f.Sort {
	case "":
		f.Sort = SortName
	case SortName, SortProgress, SortEnrolled, SortActivity, SortScore:
	default:
		fs.AddOf("sort", "sort_invalid", nil)
	}
	switch f.Status {
	case "", StatusActive, StatusWaitlisted, StatusWithdrawn, StatusCompleted:
	default:
		fs.AddOf("status", "status_invalid", nil)
	}
	if err := fs.Err(); err != nil {
		return LearnerPage{}, err
	}
	if f.Limit <= 0 || f.Limit > domain.MaxPageSize {
		f.Limit = 20
	}
	return s.Store.Learners(ctx, courseID, f)
}

// MaxExportLearners bounds an export of a course's learners.
const MaxExportLearners = 20000

// ExportLearners reads every learner of a course (as Learners, in its
// order, at most MaxExportLearners) for the staff who may list them.
func (s *Service) ExportLearners(ctx context.Context, p domain.Principal, courseID int64, f LearnerFilter) (LearnerPage, error) {
	f.Limit, f.After = domain.MaxPageSize, nil
	var all LearnerPage
	for {
		page, err := s.Learners(ctx, p, courseID, f)
		if err != nil {
			return LearnerPage{}, err
		}
		all.Items = append(all.Items, page.Items...)
		all.QuizLessons = page.QuizLessons
		if page.Next == nil || len(all.Items) >= MaxExportLearners {
			return all, nil
		}
		f.After = page.Next
	}
}

// versionLessons reads a version's lessons once: enrolments pin published
// versions, which never change.
func (s *Service) versionLessons(ctx context.Context, versionID int64) ([]LessonRef, error) {
	if v, ok := s.lessons.Load(versionID); ok {
		return v.([]LessonRef), nil
	}
	ls, err := s.Store.Lessons(ctx, versionID)
	if err != nil {
		return nil, err
	}
	s.lessons.Store(versionID, ls)
	return ls, nil
}
