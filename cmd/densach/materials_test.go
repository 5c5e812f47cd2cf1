package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// demoStores is a fresh bucket and a fresh database.
func demoStores(t *testing.T) (*objects.Store, *postgres.DB) {
	t.Helper()
	store := objtest.Store(t)
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return store, db
}

// The demo job stores the demo's files in MinIO and fills the demo course's
// file lessons, published ones included; run again, it adds nothing; a
// stored file downloads.
func TestSeedDemoMaterials(t *testing.T) {
	ctx := context.Background()
	store, db := demoStores(t)
	q := func(query string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.SQL().QueryRow(query, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return id
	}
	job := seedDemoMaterials(db, store, slog.New(slog.DiscardHandler))
	if n, err := job(ctx); err != nil || n != 0 {
		t.Fatalf("without the course: %d, %v", n, err)
	}
	prov := q(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	comm := q(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('03408', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, prov)
	centre := q(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ phường Tân Phong') RETURNING id`, comm)
	person := q(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ('Đặng Thị Mai', 'Mai', 'mai', 'đặng thị mai', 'dang thi mai', $1, '0901000004') RETURNING id`, comm)
	course := q(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, centre, person)
	v := q(`INSERT INTO course_versions (course_id, title, category_code, created_by) VALUES ($1, $2, 'digital_skills', $3) RETURNING id`, course, demoCourseTitle, person)
	mod := q(`INSERT INTO course_modules (version_id, position, title) VALUES ($1, 1, 'Phần 1') RETURNING id`, v)
	doc := q(`INSERT INTO lessons (module_id, version_id, position, kind, title) VALUES ($1, $2, 1, 'document', 'Bài 1') RETURNING id`, mod, v)
	vid := q(`INSERT INTO lessons (module_id, version_id, position, kind, title) VALUES ($1, $2, 2, 'video', 'Bài 2') RETURNING id`, mod, v)
	link := q(`INSERT INTO lessons (module_id, version_id, position, kind, title, url) VALUES ($1, $2, 3, 'video', 'Bài 3', 'https://example.org/v') RETURNING id`, mod, v)
	q(`UPDATE course_versions SET number = 1, published_at = now(), published_by = $2 WHERE id = $1 RETURNING id`, v, person)

	if n, err := job(ctx); err != nil || n != 2 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	if n, err := job(ctx); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
	if got := q(`SELECT count(*) FROM materials WHERE course_id = $1 AND status = 'ready' AND centre_id = $2`, course, centre); got != 2 {
		t.Fatalf("%d ready materials, want 2", got)
	}
	if got := q(`SELECT count(*) FROM lessons WHERE id IN ($1, $2) AND material_id IS NOT NULL`, doc, vid); got != 2 {
		t.Fatalf("%d file lessons filled, want 2", got)
	}
	if got := q(`SELECT count(*) FROM lessons WHERE id = $1 AND material_id IS NULL`, link); got != 1 {
		t.Fatal("a video lesson with a link got a file")
	}
	// Still frozen after the seed.
	if _, err := db.SQL().Exec(`UPDATE lessons SET title = 'x' WHERE id = $1`, doc); err == nil {
		t.Fatal("a published lesson could be changed after the seed")
	}
	var key string
	var size int64
	if err := db.SQL().QueryRow(`SELECT object_key, size FROM materials WHERE content_type = 'video/webm'`).Scan(&key, &size); err != nil {
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
