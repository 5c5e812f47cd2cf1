package courses_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain/courses"
	"densach/storage/postgres"
)

// statementLog counts the statements GORM runs: the slow-query log with a
// threshold of a nanosecond reports every one.
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *statementLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *statementLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *statementLog) WithGroup(string) slog.Handler            { return l }
func (l *statementLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "sql" {
			l.mu.Lock()
			l.sql = append(l.sql, a.Value.String())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// TestCoursePageRoundTrips: the course page (course, version, tags,
// modules, lessons with materials and tags) costs at most three statements,
// however many modules and lessons it has.
func TestCoursePageRoundTrips(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	d := w.course(tPublishedA1)
	for i := range 3 {
		m := must(w.svc.AddModule(ctx, w.admin, d.ID, "Chương"))
		for range i + 2 {
			must(w.svc.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài", BodyMD: "x"}))
		}
	}
	log := &statementLog{}
	db, err := postgres.Open(w.URL, postgres.WithSlowQueryLog(slog.New(log), time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := &courses.Service{Store: postgres.NewCourses(db)}
	for _, who := range []string{kManagerA1, kLearnerA1} {
		pr := w.signIn(who)
		log.take()
		got, err := svc.Get(ctx, pr, d.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		stmts := log.take()
		lessons := 0
		for _, m := range got.Modules {
			lessons += len(m.Lessons)
		}
		if len(stmts) > 3 || len(stmts) == 0 {
			t.Fatalf("%s: the course page took %d statements:\n%s", who, len(stmts), strings.Join(stmts, "\n"))
		}
		t.Logf("%s: %d modules, %d lessons in %d statements", who, len(got.Modules), lessons, len(stmts))
	}
}
