package postgres_test

import (
	"context"
	"slices"
	"testing"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// TestCompetenceFrameworksLoaded: migration 00015 loads TT 02/2025 (6
// areas, 24 competences, 8 steps over 4 levels) and TT 03/2014 (IU01–IU15,
// of which IU01–IU06 basic), and the store reads them whole.
func TestCompetenceFrameworksLoaded(t *testing.T) {
	db := openTestDB(t)
	fws, err := postgres.NewCatalogue(db).Frameworks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]domain.CompetenceFramework{}
	for _, f := range fws {
		byCode[f.Code] = f
	}
	if len(fws) != 2 {
		t.Fatalf("%d frameworks, want 2", len(fws))
	}
	tt02, tt03 := byCode["tt02-2025"], byCode["tt03-2014"]
	if tt02.Kind != domain.FrameworkDigitalSkills || tt03.Kind != domain.FrameworkITApplication {
		t.Fatalf("kinds %q, %q", tt02.Kind, tt03.Kind)
	}
	if len(tt02.Areas) != 6 || len(tt02.Competences) != 24 || len(tt02.Levels) != 8 {
		t.Fatalf("TT 02: %d areas, %d competences, %d steps; want 6, 24, 8", len(tt02.Areas), len(tt02.Competences), len(tt02.Levels))
	}
	levels := map[int16]int{}
	for i, l := range tt02.Levels {
		levels[l.Level]++
		if int(l.Step) != i+1 {
			t.Fatalf("step %d at %d", l.Step, i)
		}
	}
	if len(levels) != 4 || levels[1] != 2 || levels[4] != 2 {
		t.Fatalf("TT 02 levels %v, want 4 levels of 2 steps", levels)
	}
	perArea := map[int16]int{}
	for _, c := range tt02.Competences {
		if c.AreaID == 0 || c.NameVI == "" || c.NameEN == "" {
			t.Fatalf("TT 02 competence %+v", c)
		}
		perArea[c.AreaID]++
	}
	if len(perArea) != 6 {
		t.Fatalf("TT 02 competences in %d areas", len(perArea))
	}
	if tt02.Competences[0].Code != "1.1" || tt02.Competences[23].Code != "6.3" {
		t.Fatalf("TT 02 from %s to %s", tt02.Competences[0].Code, tt02.Competences[23].Code)
	}
	if len(tt03.Areas) != 0 || len(tt03.Competences) != 15 || len(tt03.Levels) != 0 {
		t.Fatalf("TT 03: %d areas, %d competences, %d steps; want 0, 15, 0", len(tt03.Areas), len(tt03.Competences), len(tt03.Levels))
	}
	basic := 0
	for i, c := range tt03.Competences {
		if want := "IU" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10)); c.Code != want {
			t.Fatalf("TT 03 competence %d is %s, want %s", i, c.Code, want)
		}
		if !c.Advanced {
			basic++
			if i >= 6 {
				t.Fatalf("%s is basic", c.Code)
			}
		}
	}
	if basic != 6 {
		t.Fatalf("%d basic TT 03 modules, want 6", basic)
	}
}

func openTestDB(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestCourseCategories: the eight categories of migration 00016, in order;
// an administrator's new one is placed before "other"; changes are stored
// and audited; an unknown code is not found; a taken code is a conflict.
func TestCourseCategories(t *testing.T) {
	db := openTestDB(t)
	s := postgres.NewCatalogue(db)
	ctx := context.Background()
	list, err := s.ListCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range list {
		codes = append(codes, c.Code)
	}
	want := []string{"digital_skills", "literacy", "agriculture", "health", "law", "livelihoods", "culture", "other"}
	if !slices.Equal(codes, want) {
		t.Fatalf("categories %v, want %v", codes, want)
	}
	c := domain.CourseCategory{Code: "environment", NameVI: "Môi trường", NameEN: "Environment"}
	if err := s.CreateCategory(ctx, domain.Actor{}, &c); err != nil {
		t.Fatal(err)
	}
	if c.Position != 8 || !c.Active {
		t.Fatalf("created %+v, want position 8 (before other), active", c)
	}
	dup := domain.CourseCategory{Code: "environment", NameVI: "X", NameEN: "X"}
	if err := s.CreateCategory(ctx, domain.Actor{}, &dup); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("duplicate code: %v", err)
	}
	name, off := "Môi trường và biến đổi khí hậu", false
	got, err := s.UpdateCategory(ctx, domain.Actor{}, "environment", domain.CategoryChanges{NameVI: &name, Active: &off})
	if err != nil || got.NameVI != name || got.Active {
		t.Fatalf("update: %+v %v", got, err)
	}
	var audited int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'course_category'`).Scan(&audited); err != nil || audited != 2 {
		t.Fatalf("%d audit rows (%v), want 2", audited, err)
	}
	if _, err := s.UpdateCategory(ctx, domain.Actor{}, "nothing_here", domain.CategoryChanges{NameVI: &name}); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("unknown code: %v", err)
	}
}

// catalogueWorld is a province with two communes, a centre in each, a
// library, and courses of each kind (published, draft, archived, with a
// superseded version).
type catalogueWorld struct {
	db                   *postgres.DB
	store                *postgres.Catalogue
	prov, comm1, comm2   int64
	centre1, centre2     int64
	author               int64
	kyNang, dienThoai    int64
	che, library, draft  int64
	archived, superseded int64
}

func newCatalogueWorld(t *testing.T) *catalogueWorld {
	t.Helper()
	w := &catalogueWorld{db: openTestDB(t)}
	w.store = postgres.NewCatalogue(w.db)
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := w.db.SQL().QueryRow(q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	w.prov = id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.comm1 = id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.prov)
	w.comm2 = id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.prov)
	w.centre1 = id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.comm1)
	w.centre2 = id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Đoàn Kết') RETURNING id`, w.comm2)
	w.author = id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Nguyễn Văn Soạn', 'Soạn', '\x00', 'nguyễn văn soạn', 'nguyen van soan', $1) RETURNING id`, w.comm1)
	add := func(c pgtest.Course) int64 {
		c.CreatedBy = w.author
		return pgtest.InsertCourse(t, w.db.SQL(), c).ID
	}
	w.kyNang = add(pgtest.Course{CentreID: w.centre1, Title: "Kỹ năng số cơ bản cho người dân", Summary: "Dùng điện thoại an toàn, dịch vụ công trực tuyến.",
		Category: "digital_skills", Mode: domain.ModeBlended, Tags: []string{"1.1", "2.1", "4.2"}, Lessons: 4})
	w.dienThoai = add(pgtest.Course{CentreID: w.centre2, Title: "Sử dụng điện thoại thông minh", Summary: "Gọi video, chụp ảnh, nhắn tin.",
		Category: "digital_skills", Mode: domain.ModeInPerson, Tags: []string{"2.1"}, Lessons: 2})
	w.che = add(pgtest.Course{CentreID: w.centre1, Title: "Trồng chè an toàn", Summary: "Kỹ thuật canh tác chè theo VietGAP.",
		Category: "agriculture", Mode: domain.ModeInPerson})
	w.library = add(pgtest.Course{ProvinceID: w.prov, Title: "Ứng dụng CNTT cho cán bộ Hội", Summary: "Soạn thảo văn bản, thư điện tử, kỹ năng số cho cán bộ.",
		Category: "digital_skills", Mode: domain.ModeOnline, Tags: []string{"IU01", "IU02", "IU03"}, Lessons: 3})
	w.draft = add(pgtest.Course{CentreID: w.centre1, Title: "Kỹ năng số nâng cao (nháp)", Draft: true})
	w.archived = add(pgtest.Course{CentreID: w.centre1, Title: "Kỹ năng số khóa cũ", Archived: true})
	// A course whose published version 1 said "Zalo" and whose
	// version 2 no longer does: only version 2 is in the catalogue.
	old := pgtest.InsertCourse(t, w.db.SQL(), pgtest.Course{CentreID: w.centre2, Title: "Zalo cho người cao tuổi", CreatedBy: w.author})
	w.superseded = old.ID
	v2 := id(`INSERT INTO course_versions (course_id, number, title, summary, category_code, search_text, created_by, published_at)
		VALUES ($1, 2, 'Sức khỏe người cao tuổi', '', 'health', $2, $3, now()) RETURNING id`, old.ID, domain.FoldForSearch("Sức khỏe người cao tuổi "), w.author)
	id(`UPDATE courses SET published_version_id = $1 WHERE id = $2 RETURNING id`, v2, old.ID)
	return w
}

func (w *catalogueWorld) search(t *testing.T, scope domain.CatalogueScope, q domain.CatalogueQuery) []int64 {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 50
	}
	q.Search = domain.FoldForSearch(q.Search)
	page, err := w.store.SearchCatalogue(context.Background(), scope, q)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.CourseID
	}
	return ids
}

// TestCatalogueSearch: searched with or without diacritics, ranked (the
// words at a word start first, then the words anywhere, then similar words),
// filtered, and never a draft, an archived course or a superseded version.
func TestCatalogueSearch(t *testing.T) {
	w := newCatalogueWorld(t)
	all := domain.CatalogueScope{All: true}
	cases := []struct {
		name string
		q    domain.CatalogueQuery
		want []int64
	}{
		{"no search: newest first", domain.CatalogueQuery{}, []int64{w.superseded, w.library, w.che, w.dienThoai, w.kyNang}},
		{"without diacritics", domain.CatalogueQuery{Search: "ky nang so"}, []int64{w.kyNang, w.library}},
		{"with diacritics", domain.CatalogueQuery{Search: "Kỹ năng số"}, []int64{w.kyNang, w.library}},
		{"upper case, extra spaces", domain.CatalogueQuery{Search: "  KY   NANG  "}, []int64{w.kyNang, w.library}},
		{"dien thoai: title before summary", domain.CatalogueQuery{Search: "dien thoai"}, []int64{w.dienThoai, w.kyNang}},
		{"đ folds to d", domain.CatalogueQuery{Search: "điện"}, []int64{w.dienThoai, w.library, w.kyNang}},
		{"words in another order", domain.CatalogueQuery{Search: "thoai dien"}, []int64{w.dienThoai, w.kyNang}},
		{"a typo finds similar words", domain.CatalogueQuery{Search: "vietgapp"}, []int64{w.che}},
		{"category", domain.CatalogueQuery{Category: "agriculture"}, []int64{w.che}},
		{"mode", domain.CatalogueQuery{Mode: domain.ModeOnline}, []int64{w.library}},
		{"competence", domain.CatalogueQuery{CompetenceID: competenceID(t, w.db, "2.1")}, []int64{w.dienThoai, w.kyNang}},
		{"search and category", domain.CatalogueQuery{Search: "ky nang so", Category: "digital_skills", Mode: domain.ModeBlended}, []int64{w.kyNang}},
		{"superseded version's words", domain.CatalogueQuery{Search: "zalo"}, []int64{}},
		{"current version's words", domain.CatalogueQuery{Search: "suc khoe"}, []int64{w.superseded}},
		{"nothing", domain.CatalogueQuery{Search: "xyzzy"}, []int64{}},
		{"LIKE wildcards are text", domain.CatalogueQuery{Search: "%"}, []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := w.search(t, all, tc.q)
			if tc.want == nil {
				tc.want = []int64{}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v (kyNang %d, dienThoai %d, che %d, library %d, superseded %d)", got, tc.want,
					w.kyNang, w.dienThoai, w.che, w.library, w.superseded)
			}
		})
	}
	page, err := w.store.SearchCatalogue(context.Background(), all, domain.CatalogueQuery{Search: domain.FoldForSearch("ky nang so"), Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatal(page, err)
	}
	it := page.Items[0]
	if it.Title != "Kỹ năng số cơ bản cho người dân" || it.Owner.Kind != "centre" || it.Owner.Name != "TTHTCĐ Tân Phong" || it.LessonCount != 4 ||
		len(it.Tags) != 3 || it.Tags[0].Code != "1.1" || it.Tags[0].FrameworkKind != domain.FrameworkDigitalSkills || it.Category != "digital_skills" {
		t.Fatalf("item %+v", it)
	}
}

func competenceID(t *testing.T, db *postgres.DB, code string) int32 {
	t.Helper()
	var id int32
	if err := db.SQL().QueryRow(`SELECT id FROM competences WHERE code = $1`, code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestCatalogueScopeAndPaging: each scope reads its courses only, and
// walking the pages by cursor visits every course once, in order.
func TestCatalogueScopeAndPaging(t *testing.T) {
	w := newCatalogueWorld(t)
	scopes := []struct {
		name  string
		scope domain.CatalogueScope
		want  []int64
	}{
		{"centre 1", domain.CatalogueScope{Centres: domain.Filter{CentreIDs: []int64{w.centre1}}}, []int64{w.che, w.kyNang}},
		{"commune 2", domain.CatalogueScope{Centres: domain.Filter{CommuneIDs: []int64{w.comm2}}}, []int64{w.superseded, w.dienThoai}},
		{"province", domain.CatalogueScope{Centres: domain.Filter{ProvinceIDs: []int64{w.prov}}}, []int64{w.superseded, w.che, w.dienThoai, w.kyNang}},
		{"library only", domain.CatalogueScope{Libraries: []int64{w.prov}}, []int64{w.library}},
		{"centre 2 and library", domain.CatalogueScope{Centres: domain.Filter{CentreIDs: []int64{w.centre2}}, Libraries: []int64{w.prov}},
			[]int64{w.superseded, w.library, w.dienThoai}},
		{"nothing", domain.CatalogueScope{}, []int64{}},
	}
	for _, sc := range scopes {
		if got := w.search(t, sc.scope, domain.CatalogueQuery{}); !slices.Equal(got, sc.want) {
			t.Errorf("%s: got %v, want %v", sc.name, got, sc.want)
		}
	}
	for _, search := range []string{"", "ky nang so", "an toan"} {
		full := w.search(t, domain.CatalogueScope{All: true}, domain.CatalogueQuery{Search: search})
		var walked []int64
		q := domain.CatalogueQuery{Search: domain.FoldForSearch(search), Limit: 1}
		for range 20 {
			page, err := w.store.SearchCatalogue(context.Background(), domain.CatalogueScope{All: true}, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				walked = append(walked, it.CourseID)
			}
			if page.Next == nil {
				break
			}
			q.After = page.Next
		}
		if !slices.Equal(walked, full) {
			t.Errorf("search %q: pages of 1 walk %v, one page is %v", search, walked, full)
		}
	}
}
