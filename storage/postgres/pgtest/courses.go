package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"densach/domain"
)

// Course is a course a test stores with plain SQL in the tables of
// migration 00016, the way the courses store will write it: a version with
// its search text, tags and one module of lessons, then (unless Draft) the
// version numbered 1 and published and the course pointing at it.
type Course struct {
	CentreID   int64 // owner: a centre, or
	ProvinceID int64 // a province library
	Title      string
	Summary    string
	Category   string   // default "other"
	Mode       string   // default "blended"
	Tags       []string // competence codes, e.g. "1.1", "IU01"
	Lessons    int
	CreatedBy  int64 // a person id (required)
	Draft      bool  // never published
	Archived   bool  // published, then archived
}

// StoredCourse is what InsertCourse stored.
type StoredCourse struct {
	ID        int64
	VersionID int64
}

// InsertCourse stores c in one transaction and returns its ids.
func InsertCourse(t testing.TB, db *sql.DB, c Course) StoredCourse {
	t.Helper()
	if c.Category == "" {
		c.Category = "other"
	}
	if c.Mode == "" {
		c.Mode = domain.ModeBlended
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	one := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var s StoredCourse
	s.ID = one(`INSERT INTO courses (centre_id, province_id, created_by) VALUES ($1, $2, $3) RETURNING id`,
		nullID(c.CentreID), nullID(c.ProvinceID), c.CreatedBy)
	s.VersionID = one(`INSERT INTO course_versions (course_id, title, summary, category_code, mode, search_text, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.ID, c.Title, c.Summary, c.Category, c.Mode,
		domain.FoldForSearch(c.Title+" "+c.Summary), c.CreatedBy)
	for _, code := range c.Tags {
		exec(`INSERT INTO course_tags (version_id, competence_id) SELECT $1, id FROM competences WHERE code = $2`, s.VersionID, code)
	}
	if c.Lessons > 0 {
		m := one(`INSERT INTO course_modules (version_id, position, title) VALUES ($1, 1, 'Phần 1') RETURNING id`, s.VersionID)
		for i := 1; i <= c.Lessons; i++ {
			exec(`INSERT INTO lessons (module_id, version_id, position, kind, title) VALUES ($1, $2, $3, 'text', $4)`,
				m, s.VersionID, i, fmt.Sprintf("Bài %d", i))
		}
	}
	if c.Draft {
		exec(`UPDATE courses SET draft_version_id = $1 WHERE id = $2`, s.VersionID, s.ID)
	} else {
		status := "published"
		if c.Archived {
			status = "archived"
		}
		exec(`UPDATE course_versions SET number = 1, published_at = now(), published_by = $2 WHERE id = $1`, s.VersionID, c.CreatedBy)
		exec(`UPDATE courses SET status = $3, published_version_id = $1 WHERE id = $2`, s.VersionID, s.ID, status)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
