package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// demoBucket is a fresh bucket on the MinIO of the environment.
func demoBucket(t *testing.T) (objects.Config, *objects.Store) {
	t.Helper()
	cfg := objtest.Config(t)
	store, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := store.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	return cfg, store
}

// demoStores is a fresh bucket and a fresh database.
func demoStores(t *testing.T) (*objects.Store, *postgres.DB) {
	t.Helper()
	_, store := demoBucket(t)
	return store, openTestDB(t, pgtest.NewDatabase(t))
}

func openTestDB(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seededDemo runs `densach seed demo` on a fresh database, with MinIO
// answering (minioUp) or not yet, and returns the database, a store on the
// bucket the seed used (answering), and the demo job as the server runs it.
func seededDemo(t *testing.T, minioUp bool) (*postgres.DB, *objects.Store, func(context.Context) (int64, error)) {
	t.Helper()
	ocfg, store := demoBucket(t)
	cfg := config{DatabaseURL: pgtest.NewDatabase(t), Objects: ocfg}
	if !minioUp {
		cfg.Objects.Endpoint, cfg.Objects.ProbeTimeout = freeAddr(t), 200*time.Millisecond
	}
	out := stdout
	stdout = io.Discard
	defer func() { stdout = out }()
	if err := seedDemo(context.Background(), cfg, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	db := openTestDB(t, cfg.DatabaseURL)
	return db, store, seedDemoMaterials(db, &courses.Service{Store: postgres.NewCourses(db)}, store, slog.New(slog.DiscardHandler))
}

// demoLessons are the demo course's lessons in order, "title" or
// "title+file", as its version number n has them.
func demoLessons(t *testing.T, db *postgres.DB, n int) []string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT l.title, l.material_id IS NOT NULL FROM lessons l
		JOIN course_modules m ON m.id = l.module_id JOIN course_versions v ON v.id = l.version_id
		WHERE v.course_id = (SELECT course_id FROM course_versions WHERE title = $1 LIMIT 1) AND v.number = $2
		ORDER BY m.position, l.position`, demoCourseTitle, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var title string
		var file bool
		if err := rows.Scan(&title, &file); err != nil {
			t.Fatal(err)
		}
		if file {
			title += "+file"
		}
		out = append(out, title)
	}
	return out
}

// wantDemoLessons is the demo course's lessons as demoLessons shows them,
// with the file lessons (withFiles) or without them.
func wantDemoLessons(withFiles bool) []string {
	dc, _ := demoCourseTitled(demoCourseTitle)
	var out []string
	for _, dm := range dc.modules {
		for _, dl := range dm.lessons {
			switch {
			case !dl.needsFile():
				out = append(out, dl.title)
			case withFiles:
				out = append(out, dl.title+"+file")
			}
		}
	}
	return out
}

// demoCourseState is the demo course's status, published version numbers
// and whether a draft is open.
func demoCourseState(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var state string
	if err := db.SQL().QueryRow(`SELECT c.status || ' versions ' || string_agg(v.number::text, ',' ORDER BY v.number) ||
		CASE WHEN c.draft_version_id IS NULL THEN '' ELSE ' + draft' END ||
		CASE WHEN c.published_version_id = max(v.id) FILTER (WHERE v.number IS NOT NULL) THEN '' ELSE ' (published is not the last)' END
		FROM courses c JOIN course_versions v ON v.course_id = c.id
		WHERE c.id = (SELECT course_id FROM course_versions WHERE title = $1 LIMIT 1) GROUP BY c.id`, demoCourseTitle).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}

// MinIO still starting when `seed demo` ran: the seed publishes the demo
// course without its file lessons; the job stores the files and publishes
// version 2 with the lessons at their demo places, through the courses use
// cases (version 1 stays as it was: frozen); run again, it does nothing; a
// stored file downloads.
func TestSeedDemoMaterialsAfterTheSeed(t *testing.T) {
	ctx := context.Background()
	db, store, job := seededDemo(t, false)
	without, with := wantDemoLessons(false), wantDemoLessons(true)
	if got := demoLessons(t, db, 1); !slices.Equal(got, without) {
		t.Fatalf("seeded without MinIO: %v, want %v", got, without)
	}
	var handouts int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM materials WHERE session_id IS NOT NULL`).Scan(&handouts); err != nil || handouts != 0 {
		t.Fatalf("%d session materials before the job, %v", handouts, err)
	}
	if n, err := job(ctx); err != nil || n != 2 {
		t.Fatalf("the job: %d lessons added, %v; want 2", n, err)
	}
	wantDemoHandout(t, db, store)
	if got := demoCourseState(t, db); got != "published versions 1,2" {
		t.Fatalf("after the job: %s", got)
	}
	if got := demoLessons(t, db, 2); !slices.Equal(got, with) {
		t.Fatalf("version 2: %v, want %v", got, with)
	}
	if got := demoLessons(t, db, 1); !slices.Equal(got, without) {
		t.Fatalf("version 1 changed: %v", got)
	}
	var kept int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM lessons l2 JOIN course_versions v2 ON v2.id = l2.version_id AND v2.number = 2
		WHERE l2.key IN (SELECT l1.key FROM lessons l1 JOIN course_versions v1 ON v1.id = l1.version_id AND v1.number = 1 AND v1.course_id = v2.course_id)`).Scan(&kept); err != nil || kept != len(without) {
		t.Fatalf("lessons of version 2 that keep version 1's key: %d, %v; want %d", kept, err, len(without))
	}
	if n, err := job(ctx); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
	wantDemoHandout(t, db, store)
	if got := demoCourseState(t, db); got != "published versions 1,2" {
		t.Fatalf("after the second run: %s", got)
	}
	// The database's guard is still on.
	if _, err := db.SQL().Exec(`UPDATE lessons SET title = 'x' WHERE version_id IN (SELECT id FROM course_versions WHERE number = 1)`); err == nil {
		t.Fatal("a published lesson could be changed after the job")
	}
	var key string
	var size int64
	if err := db.SQL().QueryRow(`SELECT object_key, size FROM materials WHERE content_type = 'video/webm' AND status = 'ready'`).Scan(&key, &size); err != nil {
		t.Fatal(err)
	}
	url, err := store.PresignDownload(ctx, key, domain.DownloadOptions{Filename: "v.webm"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(b)) != size || size > 400<<10 {
		t.Fatalf("download of the demo video: %d, %d bytes of %d", resp.StatusCode, len(b), size)
	}
}

// MinIO up when `seed demo` ran: the seed publishes the demo course with
// its file lessons, and the job finds nothing to do.
func TestSeedDemoMaterialsWithMinIOAtTheSeed(t *testing.T) {
	db, store, job := seededDemo(t, true)
	with := wantDemoLessons(true)
	if got := demoLessons(t, db, 1); !slices.Equal(got, with) {
		t.Fatalf("seeded with MinIO: %v, want %v", got, with)
	}
	if n, err := job(context.Background()); err != nil || n != 0 {
		t.Fatalf("the job: %d, %v; want nothing done", n, err)
	}
	var files int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM materials WHERE course_id IS NOT NULL`).Scan(&files); err != nil || files != 2 {
		t.Fatalf("%d course materials, %v; want the 2 the seed stored", files, err)
	}
	wantDemoHandout(t, db, store)
	if got := demoCourseState(t, db); got != "published versions 1" {
		t.Fatalf("after the job: %s", got)
	}
}

// The hook for the courses' seed stores the files for a course it is
// building and names them by lesson title; again, it reuses them; while
// MinIO does not answer it returns none and no error (the job comes later).
func TestDemoMaterialsForTheCoursesSeed(t *testing.T) {
	ctx := context.Background()
	store, db := demoStores(t)
	var course, other int64
	err := db.SQL().QueryRow(`WITH u AS (INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id),
		w AS (INSERT INTO units (code, name, kind, parent_id, valid_from) SELECT '03408', 'Tân Phong', 'ward', id, '2025-07-01' FROM u RETURNING id),
		p AS (INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
			SELECT 'Lò Thị Hương', 'Hương', 'huong', 'lò thị hương', 'lo thi huong', w.id, '0901000002' FROM w RETURNING id),
		a AS (INSERT INTO courses (province_id, created_by) SELECT u.id, p.id FROM u, p RETURNING id),
		b AS (INSERT INTO courses (province_id, created_by) SELECT u.id, p.id FROM u, p RETURNING id)
		SELECT a.id, b.id FROM a, b`).Scan(&course, &other)
	if err != nil {
		t.Fatal(err)
	}
	svc := &courses.Service{Store: postgres.NewCourses(db)}
	if n, err := seedDemoMaterials(db, svc, store, slog.New(slog.DiscardHandler))(ctx); err != nil || n != 0 {
		t.Fatalf("the job without the demo course: %d, %v", n, err)
	}
	hook := demoMaterialsFor(store)
	first, err := hook(ctx, db, course)
	if err != nil || len(first) != 2 || first["Cẩm nang an toàn thông tin"] == 0 || first["Cài đặt ứng dụng Zalo"] == 0 {
		t.Fatalf("first call: %v, %v", first, err)
	}
	again, err := hook(ctx, db, course)
	if err != nil || again["Cẩm nang an toàn thông tin"] != first["Cẩm nang an toàn thông tin"] || again["Cài đặt ứng dụng Zalo"] != first["Cài đặt ứng dụng Zalo"] {
		t.Fatalf("second call: %v, %v (first %v)", again, err, first)
	}
	down, err := objects.Open(objects.Config{Endpoint: "127.0.0.1:1", AccessKey: "k", SecretKey: "secret-secret", Bucket: "b", ProbeTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := demoMaterialsFor(down)(ctx, db, other); err != nil || got != nil {
		t.Fatalf("with MinIO down: %v, %v", got, err)
	}
}

// wantDemoHandout checks the demo class's handout: one ready PDF of the
// first session of the demo class, uploaded by its teacher, counted against
// its centre, under materials/sessions/<id>/, and its file in the store.
func wantDemoHandout(t *testing.T, db *postgres.DB, store *objects.Store) {
	t.Helper()
	var n int
	var key string
	var size int64
	var first bool
	err := db.SQL().QueryRow(`SELECT count(*) OVER (), m.object_key, m.size,
			m.session_id = (SELECT s.id FROM class_sessions s WHERE s.class_id = c.id ORDER BY s.starts_at LIMIT 1)
			AND m.uploaded_by = s.teacher_id AND m.centre_id = c.centre_id AND m.status = 'ready'
		FROM materials m JOIN class_sessions s ON s.id = m.session_id JOIN classes c ON c.id = s.class_id
		WHERE c.title = $1 AND m.display_name = $2`, demoClassTitle, demoHandout.name).Scan(&n, &key, &size, &first)
	if err != nil || n != 1 || !first || !strings.HasPrefix(key, "materials/sessions/") {
		t.Fatalf("the demo handout: %d rows, key %q, first session %v, %v", n, key, first, err)
	}
	info, err := store.Stat(context.Background(), key)
	if err != nil || info.Size != size || info.ContentType != "application/pdf" {
		t.Fatalf("the handout's object: %+v, %v", info, err)
	}
}
