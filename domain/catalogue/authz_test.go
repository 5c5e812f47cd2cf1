package catalogue_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"densach/domain"
	"densach/domain/catalogue"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is pgtest.World (province A with communes A1, A2, province B with
// commune B1, a centre in each commune) holding a published course at each
// centre and in each province's library, plus a draft and an archived
// course at centre A1 that nobody finds in the catalogue.
type world struct {
	*pgtest.World
	svc *catalogue.Service
	n   int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{World: pgtest.NewWorld(t)}
	w.svc = catalogue.New(postgres.NewCatalogue(w.DB))
	return w
}

// The callers: every role, in the courses' own scope and in foreign ones.
const (
	kAdmin          = "admin"
	kOfficerA       = "officer_province_A"
	kOfficerB       = "officer_province_B"
	kOfficerA1      = "officer_commune_A1"
	kOfficerA2      = "officer_commune_A2"
	kManagerA1      = "manager_A1"
	kManagerA2      = "manager_A2"
	kTeacherA1      = "teacher_A1"
	kTeacherB1      = "teacher_B1"
	kLearnerA1      = "learner_A1"
	kLearnerB1      = "learner_B1"
	kLearnerNowhere = "learner_no_centre"
)

// signIn stores a person of the kind with its grant and an account, and
// returns the principal the sign-in path derives from it.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	w.n++
	name := fmt.Sprintf("Người Thử %c%c", 'A'+w.n/26%26, 'a'+w.n%26)
	commune := w.CommA1
	if kind == kOfficerB || kind == kTeacherB1 || kind == kLearnerB1 {
		commune = w.CommB1
	}
	p := w.AddPerson(name, fmt.Sprintf("096%07d", w.n), commune)
	w.GrantKind(p, kind)
	return w.SignIn(p)
}

var callerKinds = []string{kAdmin, kOfficerA, kOfficerB, kOfficerA1, kOfficerA2, kManagerA1, kManagerA2, kTeacherA1, kTeacherB1,
	kLearnerA1, kLearnerB1, kLearnerNowhere}

// The callers' indexes in callerKinds.
const (
	cAdmin = iota
	cOfficerA
	cOfficerB
	cOfficerA1
	cOfficerA2
	cManagerA1
	cManagerA2
	cTeacherA1
	cTeacherB1
	cLearnerA1
	cLearnerB1
	cLearnerNowhere
	nCallers
)

// courseCase is one row of the table: a course and who finds it in the
// catalogue.
type courseCase struct {
	name    string
	course  pgtest.Course
	visible [nCallers]bool
}

// TestAuthzCatalogueSearch: for every caller and every course (own and
// foreign centre, commune and province, each library, a draft, an archived
// course), the catalogue lists the course exactly when the caller may see
// it, with and without a search, and by each filter that selects it.
func TestAuthzCatalogueSearch(t *testing.T) {
	w := newWorld(t)
	author := w.signIn(kManagerA1).PersonID
	cases := []courseCase{
		{"centre A1", pgtest.Course{CentreID: w.CentreA1}, [nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true}},
		{"centre A2", pgtest.Course{CentreID: w.CentreA2}, [nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA2: true, cManagerA2: true}},
		{"centre B1", pgtest.Course{CentreID: w.CentreB1}, [nCallers]bool{cAdmin: true, cOfficerB: true, cTeacherB1: true, cLearnerB1: true}},
		{"library A", pgtest.Course{ProvinceID: w.ProvA}, [nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cOfficerA2: true,
			cManagerA1: true, cManagerA2: true, cTeacherA1: true, cLearnerA1: true}},
		{"library B", pgtest.Course{ProvinceID: w.ProvB}, [nCallers]bool{cAdmin: true, cOfficerB: true, cTeacherB1: true, cLearnerB1: true}},
		{"draft at centre A1", pgtest.Course{CentreID: w.CentreA1, Draft: true}, [nCallers]bool{}},
		{"archived at centre A1", pgtest.Course{CentreID: w.CentreA1, Archived: true}, [nCallers]bool{}},
		{"draft in library A", pgtest.Course{ProvinceID: w.ProvA, Draft: true}, [nCallers]bool{}},
	}
	ids := make([]int64, len(cases))
	for j, tc := range cases {
		tc.course.Title = "Kỹ năng số: " + tc.name
		tc.course.Category, tc.course.Mode, tc.course.Tags = "digital_skills", domain.ModeOnline, []string{"1.1"}
		tc.course.CreatedBy = author
		ids[j] = pgtest.InsertCourse(w.T, w.DB.SQL(), tc.course).ID
	}
	var competence int32
	if err := w.DB.SQL().QueryRow(`SELECT id FROM competences WHERE code = '1.1'`).Scan(&competence); err != nil {
		t.Fatal(err)
	}
	queries := map[string]catalogue.Query{
		"all":                  {},
		"search no diacritics": {Search: "ky nang so"},
		"search diacritics":    {Search: "Kỹ năng số"},
		"category":             {Category: "digital_skills"},
		"mode":                 {Mode: domain.ModeOnline},
		"competence":           {CompetenceID: competence},
	}
	for i, kind := range callerKinds {
		pr := w.signIn(kind)
		for qname, q := range queries {
			t.Run(kind+"/"+qname, func(t *testing.T) {
				page, err := w.svc.Search(context.Background(), pr, q)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, it := range page.Items {
					got = append(got, it.CourseID)
				}
				for j, tc := range cases {
					if slices.Contains(got, ids[j]) != tc.visible[i] {
						t.Errorf("%s: listed %v, visible %v", tc.name, slices.Contains(got, ids[j]), tc.visible[i])
					}
				}
			})
		}
	}
}

// TestAuthzReferenceData: every signed-in person reads the frameworks and
// the categories; only administrators add or change a category (403 for
// everyone else, who may read it), and a refused write stores nothing.
func TestAuthzReferenceData(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for i, kind := range callerKinds {
		pr := w.signIn(kind)
		t.Run(kind, func(t *testing.T) {
			fws, err := w.svc.Frameworks(ctx, pr)
			if err != nil || len(fws) != 2 {
				t.Fatalf("frameworks: %d, %v", len(fws), err)
			}
			cats, err := w.svc.ListCategories(ctx, pr)
			if err != nil || len(cats) < 8 {
				t.Fatalf("categories: %d, %v", len(cats), err)
			}
			code := fmt.Sprintf("test_%d", i)
			_, err = w.svc.CreateCategory(ctx, pr, catalogue.NewCategory{Code: code, NameVI: "Thử " + code, NameEN: "Test " + code})
			want := domain.Code("")
			if i != cAdmin {
				want = domain.CodeForbidden
			}
			if domain.ErrorCode(err) != want {
				t.Fatalf("create: %v, want %q", err, want)
			}
			if stored := w.ID(`SELECT count(*) FROM course_categories WHERE code = $1`, code); (stored == 1) != (want == "") {
				t.Fatalf("create answered %v, stored %d", err, stored)
			}
			name := "Văn hóa " + code
			_, err = w.svc.UpdateCategory(ctx, pr, "culture", domain.CategoryChanges{NameVI: &name})
			if domain.ErrorCode(err) != want {
				t.Fatalf("update: %v, want %q", err, want)
			}
			if stored := w.ID(`SELECT count(*) FROM course_categories WHERE code = 'culture' AND name_vi = $1`, name); (stored == 1) != (want == "") {
				t.Fatalf("update answered %v, stored %d", err, stored)
			}
		})
	}
}

// TestScope: the scope each role's grants give, as the use case decides it.
func TestScope(t *testing.T) {
	w := newWorld(t)
	cases := map[string]domain.CatalogueScope{
		kAdmin:          {All: true},
		kOfficerA:       {Centres: domain.Filter{ProvinceIDs: []int64{w.ProvA}}, Libraries: []int64{w.ProvA}},
		kOfficerA1:      {Centres: domain.Filter{CommuneIDs: []int64{w.CommA1}}, Libraries: []int64{w.ProvA}},
		kManagerA1:      {Centres: domain.Filter{CentreIDs: []int64{w.CentreA1}}, Libraries: []int64{w.ProvA}},
		kTeacherB1:      {Centres: domain.Filter{CentreIDs: []int64{w.CentreB1}}, Libraries: []int64{w.ProvB}},
		kLearnerA1:      {Centres: domain.Filter{CentreIDs: []int64{w.CentreA1}}, Libraries: []int64{w.ProvA}},
		kLearnerNowhere: {},
	}
	for kind, want := range cases {
		got := catalogue.Scope(w.signIn(kind))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: scope %+v, want %+v", kind, got, want)
		}
	}
}

// TestSearchRefusesBadInput: the use case names each bad field.
func TestSearchRefusesBadInput(t *testing.T) {
	var s catalogue.Service // no store: refused before any read
	long := make([]rune, catalogue.MaxSearchLen+1)
	for i := range long {
		long[i] = 'ă'
	}
	for name, q := range map[string]catalogue.Query{
		"q":             {Search: string(long)},
		"mode":          {Mode: "radio"},
		"category":      {Category: "Kỹ năng"},
		"competence_id": {CompetenceID: -1},
		"page_size":     {PageSize: 101},
	} {
		_, err := s.Search(context.Background(), domain.Principal{}, q)
		e := domain.AsError(err)
		if e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}
