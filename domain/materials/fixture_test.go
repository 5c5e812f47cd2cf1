package materials_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/materials"
	"densach/domain/materials/gatetest"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is a fresh database and bucket with province A (communes A1, A2)
// and province B (commune B1), a centre in each commune, a course at
// centres A1 and B1 and one in A's library, one caller per role, and the
// service over the real stores with a gate that applies issue 9's rules.
type world struct {
	t       *testing.T
	db      *postgres.DB
	objects *objects.Store
	svc     *materials.Service
	gate    *gatetest.Gate

	provA, provB, commA1, commA2, commB1 int64
	centreA1, centreA2, centreB1         int64
	courseA1, courseB1, libraryA         int64

	admin, officerA, officerA1, managerA1, teacherA1, learnerA1, managerB1 domain.Principal
	// uploader is a second administrator, whose uploads are nobody else's.
	uploader domain.Principal
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db, objects: objtest.Store(t)}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commA2 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreA2 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Đoàn Kết') RETURNING id`, w.commA2)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	n := 0
	principal := func(commune int64, g domain.Grant) domain.Principal {
		n++
		name := "Người Thử " + string(rune('A'+n))
		id := w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
			domain.LowerForSearch(name), domain.FoldForSearch(name), commune, "09800000"+string(rune('0'+n/10))+string(rune('0'+n%10)))
		g.PersonID = id
		return domain.Principal{PersonID: id, AccountID: id, Grants: []domain.Grant{g}}
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	w.admin = principal(w.commA1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.officerA = principal(w.commA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: w.provA, ProvinceID: w.provA})
	w.officerA1 = principal(w.commA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: w.commA1, CommuneID: w.commA1, ProvinceID: w.provA})
	w.managerA1 = principal(w.commA1, cg(domain.RoleManager, w.centreA1, w.commA1, w.provA))
	w.teacherA1 = principal(w.commA1, cg(domain.RoleTeacher, w.centreA1, w.commA1, w.provA))
	w.learnerA1 = principal(w.commA1, cg(domain.RoleLearner, w.centreA1, w.commA1, w.provA))
	w.managerB1 = principal(w.commB1, cg(domain.RoleManager, w.centreB1, w.commB1, w.provB))
	w.uploader = principal(w.commA2, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.courseA1 = w.id(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.centreA1, w.managerA1.PersonID)
	w.courseB1 = w.id(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.centreB1, w.managerB1.PersonID)
	w.libraryA = w.id(`INSERT INTO courses (province_id, created_by) VALUES ($1, $2) RETURNING id`, w.provA, w.officerA.PersonID)
	w.gate = &gatetest.Gate{Courses: map[int64]gatetest.Course{
		w.courseA1: {CentreID: w.centreA1, CommuneID: w.commA1, ProvinceID: w.provA},
		w.courseB1: {CentreID: w.centreB1, CommuneID: w.commB1, ProvinceID: w.provB},
		w.libraryA: {ProvinceID: w.provA},
	}}
	w.svc = &materials.Service{Store: postgres.NewMaterials(db), Objects: w.objects, Gate: w.gate, Units: postgres.NewUnits(db)}
	return w
}

// id runs SQL and returns the first column of the first row, if any.
func (w *world) id(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	rows, err := w.db.SQL().Query(q, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
}

// pdf is a small file whose first bytes are a PDF's.
func pdf(n int) []byte {
	b := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), n)...)
	return append(b, "\n%%EOF\n"...)
}

// request asks for an upload of body and fails the test on error.
func (w *world) request(pr domain.Principal, course int64, name, ctype string, body []byte) materials.Upload {
	w.t.Helper()
	up, err := w.svc.RequestUpload(context.Background(), pr, course, materials.UploadRequest{FileName: name, ContentType: ctype, Size: int64(len(body))})
	if err != nil {
		w.t.Fatalf("request upload of %s: %v", name, err)
	}
	return up
}

// post uploads body with the policy the way a browser form does (a plain
// HTTP client, multipart POST, the file last) and returns the status.
func post(t *testing.T, up domain.PresignedUpload, body []byte) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range up.Fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", "upload")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(body)
	_ = mw.Close()
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Post(up.URL, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// upload requests, posts and confirms a file, failing the test on error.
func (w *world) upload(pr domain.Principal, course int64, name, ctype string, body []byte) domain.Material {
	w.t.Helper()
	up := w.request(pr, course, name, ctype, body)
	if st := post(w.t, up.Upload, body); st/100 != 2 {
		w.t.Fatalf("upload of %s answered %d", name, st)
	}
	m, err := w.svc.Confirm(context.Background(), pr, up.Material.ID)
	if err != nil {
		w.t.Fatalf("confirm %s: %v", name, err)
	}
	return m
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}

func keyOf(err error) string {
	if err == nil {
		return ""
	}
	return domain.AsError(err).Key
}
