package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/audit"
	"densach/domain/auth"
	"densach/domain/catalogue"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/domain/feeds"
	"densach/domain/jobs"
	"densach/domain/materials"
	"densach/domain/people"
	"densach/domain/quizzes"
	"densach/domain/summary"
	"densach/domain/units"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
	"densach/storage/registers"
	"densach/storage/sheets"
)

// testEnv is a server on a fresh database with the fixture world loaded.
type testEnv struct {
	t      testing.TB
	db     *postgres.DB
	srv    *Server
	tokens *Tokens
	w      world
}

// world is the fixture geography and people: province A with communes A1
// and A2, province B with commune B1; a centre in each commune; one person
// per role, and plain residents.
type world struct {
	ProvA, ProvB, CommA1, CommA2, CommB1  int64
	CentreA1, CentreA2, CentreB1          int64
	Admin, OfficerA, OfficerA1, ManagerA1 domain.Principal
	TeacherA1, LearnerA1, ManagerB1       domain.Principal
	ResidentA1, ResidentA2, ResidentB1    int64
}

// testObjects is a store on a fresh bucket of the real MinIO, for the tests
// that need one: without MinIO they fail under CI and `make test` and are
// skipped elsewhere.
func testObjects(t testing.TB) *objects.Store {
	t.Helper()
	return objtest.Store(t)
}

func testTokens(t testing.TB) *Tokens {
	t.Helper()
	tk, err := NewTokens(TokenConfig{Issuer: "densach-test", Audience: "densach-test-api", TTL: 15 * time.Minute,
		Keys: []SigningKey{{ID: "k1", Secret: []byte("test-secret-0123456789-0123456789-abcdef")}}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// newTestEnv builds a server over a fresh database, without an object
// store: nothing the API serves today needs MinIO, so these tests run (and
// fail) without it.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvWith(t, envOptions{})
}

// newTestEnvURL builds a server over the database at url.
func newTestEnvURL(t testing.TB, url string) *testEnv {
	t.Helper()
	return newTestEnvWith(t, envOptions{URL: url})
}

// envOptions vary the test server; the zero value is a fresh database, no
// object store and logs discarded (warnings on stderr with -v).
type envOptions struct {
	URL string // database URL; "" = a fresh database
	// Objects is the object store; nil = none. A real one
	// (domain.ObjectStore) also gets the materials use case, with the
	// courses use case as its gate, as cmd/densach wires them.
	Objects Pinger
	Log     io.Writer // where the server's JSON logs go (all levels)
}

func newTestEnvWith(t testing.TB, o envOptions) *testEnv {
	t.Helper()
	if o.URL == "" {
		o.URL = pgtest.NewDatabase(t)
	}
	db, err := postgres.Open(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tk := testTokens(t)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	switch {
	case o.Log != nil:
		log = slog.New(slog.NewJSONHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	case testing.Verbose():
		log = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	queue, err := postgres.OpenQueue(context.Background(), db, postgres.QueueConfig{URL: o.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(queue.Close)
	geo := postgres.NewUnits(db)
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db)}
	peopleSvc := &people.Service{People: postgres.NewPeople(db), Units: geo, Disclosures: db}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: coursesSvc, People: postgres.NewPeople(db), Importer: peopleSvc}
	classesSvc := &classes.Service{Store: postgres.NewClasses(db), Courses: coursesSvc}
	var materialsSvc *materials.Service
	if store, ok := o.Objects.(domain.ObjectStore); ok {
		materialsSvc = &materials.Service{Store: postgres.NewMaterials(db), Objects: store, Gate: coursesSvc, Sessions: classesSvc, Units: geo}
	}
	srv := New(Config{Development: true, RequestTimeout: 5 * time.Second}, Deps{
		Log: log, DB: db, Objects: o.Objects, Tokens: tk, Units: geo, People: postgres.NewPeople(db), Idempotency: db,
		Auth:          &auth.Service{Store: postgres.NewAuth(db)},
		PeopleService: peopleSvc,
		Geography:     &units.Service{Units: geo, Workbook: sheets.FirstSheet}, Audit: &audit.Service{Audit: postgres.NewAudit(db)},
		Courses: coursesSvc, Materials: materialsSvc,
		Quizzes: &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: coursesSvc, Completer: enrol},
		Summary: &summary.Service{Store: postgres.NewSummary(db)}, Jobs: &jobs.Service{Store: queue},
		Catalogue:  catalogue.New(postgres.NewCatalogue(db)),
		Enrolments: enrol,
		Classes:    classesSvc,
		Feeds:      &feeds.Service{Store: postgres.NewFeeds(db), Classes: postgres.NewClasses(db)},
		Attendance: &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db),
			Headings: postgres.NewAttendance(db), Render: registers.Renderer{}, Checkins: postgres.NewCheckins(db)},
	})
	e := &testEnv{t: t, db: db, srv: srv, tokens: tk}
	e.w = loadWorld(t, db)
	return e
}

// exec runs SQL on the test database and returns the first column of the
// first row, when there is one.
func (e *testEnv) exec(query string, args ...any) int64 {
	e.t.Helper()
	return execID(e.t, e.db, query, args...)
}

func execID(t testing.TB, db *postgres.DB, query string, args ...any) int64 {
	t.Helper()
	var id int64
	rows, err := db.SQL().Query(query, args...)
	if err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func loadWorld(t testing.TB, db *postgres.DB) world {
	t.Helper()
	x := func(q string, args ...any) int64 { return execID(t, db, q, args...) }
	var w world
	w.ProvA = x(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.ProvB = x(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.CommA1 = x(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvA)
	w.CommA2 = x(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvA)
	w.CommB1 = x(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvB)
	centre := func(unit int64, name string) int64 {
		return x(`INSERT INTO centres (unit_id, name) VALUES ($1, $2) RETURNING id`, unit, name)
	}
	w.CentreA1 = centre(w.CommA1, "TTHTCĐ phường Tân Phong")
	w.CentreA2 = centre(w.CommA2, "TTHTCĐ phường Đoàn Kết")
	w.CentreB1 = centre(w.CommB1, "TTHTCĐ phường Mường Thanh")
	n := 0
	person := func(name string, commune int64) int64 {
		n++
		phone := "09120000" + string(rune('0'+n/10)) + string(rune('0'+n%10))
		return x(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), commune, phone)
	}
	principal := func(name string, commune int64, grants ...domain.Grant) domain.Principal {
		id := person(name, commune)
		acct := x(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, id)
		p := domain.Principal{AccountID: acct, PersonID: id}
		for _, g := range grants {
			var unit, centre any
			if g.UnitID != 0 {
				unit = g.UnitID
			}
			if g.CentreID != 0 {
				centre = g.CentreID
			}
			g.PersonID = id
			g.ID = x(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4) RETURNING id`, id, string(g.Role), unit, centre)
			p.Grants = append(p.Grants, g)
		}
		return p
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	w.Admin = principal("Quản Trị Viên", w.CommA1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.OfficerA = principal("Lò Văn Tỉnh", w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: w.ProvA, ProvinceID: w.ProvA})
	w.OfficerA1 = principal("Tòng Thị Xã", w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: w.CommA1, CommuneID: w.CommA1, ProvinceID: w.ProvA})
	w.ManagerA1 = principal("Nguyễn Văn Quản", w.CommA1, cg(domain.RoleManager, w.CentreA1, w.CommA1, w.ProvA))
	w.TeacherA1 = principal("Trần Thị Giáo", w.CommA1, cg(domain.RoleTeacher, w.CentreA1, w.CommA1, w.ProvA))
	w.LearnerA1 = principal("Lù Văn Học", w.CommA1, domain.Grant{Role: domain.RoleLearner, Kind: domain.ScopeSelf})
	w.ManagerB1 = principal("Quàng Văn Biên", w.CommB1, cg(domain.RoleManager, w.CentreB1, w.CommB1, w.ProvB))
	w.ResidentA1 = person("Đặng Thị Ánh", w.CommA1)
	w.ResidentA2 = person("Phạm Văn Kết", w.CommA2)
	w.ResidentB1 = person("Lò Thị Thanh", w.CommB1)
	return w
}

// token signs an access token for p.
func (e *testEnv) token(p domain.Principal) string {
	e.t.Helper()
	tok, err := e.tokens.Issue(p)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// call sends a request through the real HTTP stack and decodes a JSON body.
func (e *testEnv) call(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

// do sends a prepared request and decodes a JSON body.
func (e *testEnv) do(req *http.Request) (int, map[string]any) {
	e.t.Helper()
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %s", req.Method, req.URL, raw)
		}
	}
	return resp.StatusCode, out
}
