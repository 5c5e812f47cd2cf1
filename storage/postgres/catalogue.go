package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"densach/domain"
)

// catalogueRow is one ranked item of the catalogue query.
type catalogueRow struct {
	CourseID       int64
	VersionID      int64
	Title          string
	Summary        string
	CategoryCode   string
	Mode           string
	EstimatedHours *float64
	PublishedAt    time.Time
	Bucket         int16
	Score          float32
	OwnerKind      string
	OwnerID        int64
	OwnerName      string
	Tags           string
	LessonCount    int
	CoverKey       *string
	CoverType      *string
}

// catalogueTagJSON is a tag as the catalogue query aggregates it.
type catalogueTagJSON struct {
	CompetenceID  int32  `json:"competence_id"`
	Code          string `json:"code"`
	NameVI        string `json:"name_vi"`
	FrameworkCode string `json:"framework_code"`
	FrameworkKind string `json:"framework_kind"`
	LevelStep     int16  `json:"level_step"`
}

// SearchCatalogue reads one page of the published courses in scope that
// match q. Matching and ranking happen in PostgreSQL on the folded text
// (course_versions.search_text, migration 00017's trigram index):
//
//   - bucket 0: the query's words, as typed, start a word of the title
//     ("dien thoai" in "su dung dien thoai thong minh");
//   - bucket 1: the same in the summary;
//   - bucket 2: every word of the query occurs, anywhere, in any order;
//   - bucket 3: only similar words (pg_trgm's word_similarity above its
//     threshold, <%): typos and missing letters ("vietgapp").
//
// Inside buckets 0 and 1 an earlier match comes first, inside bucket 3 a
// higher word_similarity; then newer courses (higher id). Without a search
// every course is in bucket 0 with score 0: newest first. Pages after the
// first start after the cursor (bucket, score, id), compared as one row.
//
// Buckets 0–2 are one statement, served by the trigram index (LIKE). Only
// when they do not fill the page does a second statement read bucket 3:
// similarity is computed on every candidate the index yields, and common
// trigrams ("hoa" of "khoa hoc") make those many, so the costly function
// never runs for a search whose words are found as typed.
func (s *Catalogue) SearchCatalogue(ctx context.Context, scope domain.CatalogueScope, q domain.CatalogueQuery) (domain.CataloguePage, error) {
	const op = "postgres.SearchCatalogue"
	var rows []catalogueRow
	if q.Search == "" || q.After == nil || q.After.Bucket < 3 {
		query, args := catalogueSQL(scope, q, false)
		if err := s.db.q(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
			return domain.CataloguePage{}, translate(op, err)
		}
	}
	if q.Search != "" && len(rows) <= q.Limit {
		similar := q
		similar.Limit = q.Limit - len(rows)
		if q.After != nil && q.After.Bucket < 3 {
			similar.After = nil
		}
		var more []catalogueRow
		query, args := catalogueSQL(scope, similar, true)
		if err := s.db.q(ctx).Raw(query, args...).Scan(&more).Error; err != nil {
			return domain.CataloguePage{}, translate(op, err)
		}
		rows = append(rows, more...)
	}
	page := domain.CataloguePage{Items: make([]domain.CatalogueItem, 0, min(len(rows), q.Limit))}
	for i, r := range rows {
		if i == q.Limit {
			last := page.Items[i-1].Cursor
			page.Next = &last
			break
		}
		var tags []catalogueTagJSON
		if err := json.Unmarshal([]byte(r.Tags), &tags); err != nil {
			return domain.CataloguePage{}, domain.Wrap(op, domain.CodeInternal, err)
		}
		item := domain.CatalogueItem{CourseID: r.CourseID, VersionID: r.VersionID, Title: r.Title, Summary: r.Summary, Category: r.CategoryCode,
			Mode: r.Mode, EstimatedHours: r.EstimatedHours, PublishedAt: r.PublishedAt, LessonCount: r.LessonCount,
			Owner:  domain.CatalogueOwner{Kind: r.OwnerKind, ID: r.OwnerID, Name: r.OwnerName},
			Tags:   make([]domain.CatalogueTag, len(tags)),
			Cursor: domain.CatalogueCursor{Bucket: r.Bucket, Score: r.Score, CourseID: r.CourseID},
			Cover:  coverOf(r.CoverKey, r.CoverType)}
		for j, t := range tags {
			item.Tags[j] = domain.CatalogueTag{CompetenceID: t.CompetenceID, Code: t.Code, NameVI: t.NameVI, FrameworkCode: t.FrameworkCode,
				FrameworkKind: domain.FrameworkKind(t.FrameworkKind), LevelStep: t.LevelStep}
		}
		page.Items = append(page.Items, item)
	}
	return page, nil
}

// catalogueSQL builds the statement of one page (q.Limit + 1 rows, to know
// whether a next page exists): buckets 0–2 or, when similar, bucket 3.
func catalogueSQL(scope domain.CatalogueScope, q domain.CatalogueQuery, similar bool) (string, []any) {
	var b strings.Builder
	var args []any
	rank := "0::smallint AS bucket, 0::real AS score"
	lateral, match := "", ""
	var lateralArgs, matchArgs []any
	if q.Search != "" {
		// r.pos is where the words, as typed, start a word; the title leads
		// search_text and folds letter for letter (NFC Vietnamese text keeps
		// its length), so a pos within char_length(title) is in the title.
		// r.words: every word occurs somewhere.
		var all []string
		lateralArgs = append(lateralArgs, " "+q.Search)
		for _, w := range strings.Fields(q.Search) {
			all = append(all, "v.search_text LIKE ?")
			lateralArgs = append(lateralArgs, "%"+escapeLike(w)+"%")
		}
		lateral = ` CROSS JOIN LATERAL (SELECT strpos(' ' || v.search_text, ?) AS pos, (` + strings.Join(all, " AND ") + `) AS words) r`
		if similar {
			rank = `3::smallint AS bucket, word_similarity(?, v.search_text)::real AS score`
			args = append(args, q.Search)
			match = " AND NOT r.words AND ? <% v.search_text"
			matchArgs = append(matchArgs, q.Search)
		} else {
			rank = `CASE WHEN r.pos > 0 THEN CASE WHEN r.pos <= char_length(v.title) THEN 0 ELSE 1 END ELSE 2 END::smallint AS bucket,
				CASE WHEN r.pos > 0 THEN -r.pos ELSE 0 END::real AS score`
			match = " AND r.words"
		}
	}
	b.WriteString(`SELECT p.*,
		CASE WHEN p.centre_id IS NOT NULL THEN 'centre' ELSE 'province' END AS owner_kind,
		coalesce(p.centre_id, p.province_id) AS owner_id,
		coalesce(ce.name, pu.name, '') AS owner_name,
		coalesce((SELECT json_agg(json_build_object('competence_id', k.id, 'code', k.code, 'name_vi', k.name_vi,
				'framework_code', f.code, 'framework_kind', f.kind, 'level_step', coalesce(t.level_step, 0)) ORDER BY f.id, k.position)
			FROM course_tags t JOIN competences k ON k.id = t.competence_id JOIN competence_frameworks f ON f.id = k.framework_id
			WHERE t.version_id = p.version_id), '[]') AS tags,
		(SELECT count(*) FROM lessons l WHERE l.version_id = p.version_id) AS lesson_count,
		` + coverColumnsSQL + `
	FROM (
		SELECT * FROM (
			SELECT c.id AS course_id, v.id AS version_id, v.title, v.summary, v.category_code, v.mode,
				v.estimated_hours::float8 AS estimated_hours, v.published_at, v.cover_material_id, c.centre_id, c.province_id, `)
	b.WriteString(rank)
	b.WriteString(`
			FROM courses c JOIN course_versions v ON v.id = c.published_version_id`)
	b.WriteString(lateral)
	args = append(args, lateralArgs...)
	b.WriteString(`
			WHERE c.status = 'published' AND v.number IS NOT NULL`)
	where, wargs := catalogueScopeSQL(scope)
	b.WriteString(" AND " + where + match)
	args = append(args, wargs...)
	args = append(args, matchArgs...)
	if q.Category != "" {
		b.WriteString(" AND v.category_code = ?")
		args = append(args, q.Category)
	}
	if q.Mode != "" {
		b.WriteString(" AND v.mode = ?")
		args = append(args, q.Mode)
	}
	if q.CompetenceID != 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM course_tags ft WHERE ft.version_id = v.id AND ft.competence_id = ?)")
		args = append(args, q.CompetenceID)
	}
	b.WriteString(`
		) m`)
	if q.After != nil {
		// One row comparison; scores are real (float4) on both sides, so
		// the cursor's score compares exactly.
		b.WriteString(` WHERE (m.bucket, -m.score, -m.course_id) > (?::smallint, -(?::real), ?::bigint)`)
		args = append(args, q.After.Bucket, q.After.Score, -q.After.CourseID)
	}
	b.WriteString(`
		ORDER BY m.bucket, m.score DESC, m.course_id DESC LIMIT ?
	) p
	LEFT JOIN centres ce ON ce.id = p.centre_id
	LEFT JOIN units pu ON pu.id = p.province_id
	` + coverJoinSQL("p.cover_material_id") + `
	ORDER BY p.bucket, p.score DESC, p.course_id DESC`)
	args = append(args, q.Limit+1)
	return b.String(), args
}

// catalogueScopeSQL turns a catalogue scope into a condition on courses
// aliased c: the one place where the catalogue's visibility becomes SQL.
func catalogueScopeSQL(s domain.CatalogueScope) (string, []any) {
	if s.All || s.Centres.All {
		return "TRUE", nil
	}
	var parts []string
	var args []any
	if ids := s.Centres.CentreIDs; len(ids) > 0 {
		parts = append(parts, "c.centre_id IN ?")
		args = append(args, ids)
	}
	if ids := s.Centres.CommuneIDs; len(ids) > 0 {
		parts = append(parts, "c.centre_id IN (SELECT sc.id FROM centres sc WHERE sc.unit_id IN ?)")
		args = append(args, ids)
	}
	if ids := s.Centres.ProvinceIDs; len(ids) > 0 {
		parts = append(parts, "c.centre_id IN (SELECT sc.id FROM centres sc JOIN units su ON su.id = sc.unit_id WHERE su.parent_id IN ?)")
		args = append(args, ids)
	}
	if len(s.Libraries) > 0 {
		parts = append(parts, "c.province_id IN ?")
		args = append(args, s.Libraries)
	}
	if len(parts) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}
