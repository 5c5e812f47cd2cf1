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
	"densach/domain/classes"
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
	*pgtest.World
	objects *objects.Store
	svc     *materials.Service
	gate    *gatetest.Gate

	courseA1, courseB1, libraryA int64

	admin, officerA, officerA1, managerA1, teacherA1, learnerA1, managerB1 domain.Principal
	// uploader is a second administrator, whose uploads are nobody else's.
	uploader domain.Principal
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorld(t)
	db := pw.DB
	w := &world{World: pw, objects: objtest.Store(t)}
	n := 0
	principal := func(commune int64, g domain.Grant) domain.Principal {
		n++
		name := "Người Thử " + string(rune('A'+n))
		id := w.AddPerson(name, "09800000"+string(rune('0'+n/10))+string(rune('0'+n%10)), commune)
		g.PersonID = id
		return domain.Principal{PersonID: id, AccountID: id, Grants: []domain.Grant{g}}
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	w.admin = principal(w.CommA1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.officerA = principal(w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: w.ProvA, ProvinceID: w.ProvA})
	w.officerA1 = principal(w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: w.CommA1, CommuneID: w.CommA1, ProvinceID: w.ProvA})
	w.managerA1 = principal(w.CommA1, cg(domain.RoleManager, w.CentreA1, w.CommA1, w.ProvA))
	w.teacherA1 = principal(w.CommA1, cg(domain.RoleTeacher, w.CentreA1, w.CommA1, w.ProvA))
	w.learnerA1 = principal(w.CommA1, cg(domain.RoleLearner, w.CentreA1, w.CommA1, w.ProvA))
	w.managerB1 = principal(w.CommB1, cg(domain.RoleManager, w.CentreB1, w.CommB1, w.ProvB))
	w.uploader = principal(w.CommA2, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.courseA1 = w.ID(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.CentreA1, w.managerA1.PersonID)
	w.courseB1 = w.ID(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.CentreB1, w.managerB1.PersonID)
	w.libraryA = w.ID(`INSERT INTO courses (province_id, created_by) VALUES ($1, $2) RETURNING id`, w.ProvA, w.officerA.PersonID)
	w.gate = &gatetest.Gate{Courses: map[int64]gatetest.Course{
		w.courseA1: {CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA},
		w.courseB1: {CentreID: w.CentreB1, CommuneID: w.CommB1, ProvinceID: w.ProvB},
		w.libraryA: {ProvinceID: w.ProvA},
	}}
	// Sessions are decided by the real classes use case over the database.
	w.svc = &materials.Service{Store: postgres.NewMaterials(db), Objects: w.objects, Gate: w.gate, Sessions: &classes.Service{Store: postgres.NewClasses(db)},
		Units: postgres.NewUnits(db)}
	return w
}

// pdf is a small file whose first bytes are a PDF's.
func pdf(n int) []byte {
	b := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), n)...)
	return append(b, "\n%%EOF\n"...)
}

// request asks for an upload of body and fails the test on error.
func (w *world) request(pr domain.Principal, course int64, name, ctype string, body []byte) materials.Upload {
	w.T.Helper()
	up, err := w.svc.RequestUpload(context.Background(), pr, course, materials.UploadRequest{FileName: name, ContentType: ctype, Size: int64(len(body))})
	if err != nil {
		w.T.Fatalf("request upload of %s: %v", name, err)
	}
	return up
}

// post uploads body with the policy the way a browser form does (a plain
// HTTP client, multipart POST, the file last) and returns the status.
func post(t testing.TB, up domain.PresignedUpload, body []byte) int {
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
	w.T.Helper()
	up := w.request(pr, course, name, ctype, body)
	if st := post(w.T, up.Upload, body); st/100 != 2 {
		w.T.Fatalf("upload of %s answered %d", name, st)
	}
	m, err := w.svc.Confirm(context.Background(), pr, up.Material.ID)
	if err != nil {
		w.T.Fatalf("confirm %s: %v", name, err)
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
