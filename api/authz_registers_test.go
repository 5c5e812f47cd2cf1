package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"densach/domain"
	"densach/storage/registers"
	"densach/storage/registers/registerstest"
)

// TestAuthzRegisters is the authorization table of the paper registers
// over HTTP: every role, plus a teacher of another class of centre A1 and
// the teacher of the foreign class, on a class of centre A1 that teacher A1
// teaches, on another class of centre A1 and on a class of centre B1. A
// register is read by whoever reads the session's register or the class's
// grid; everyone else gets 404 (a learner of the class too: the register
// names the other learners).
func TestAuthzRegisters(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	roles, tokens := authzCallers(e)
	teacherOf := func(name string, commune, centre, province int64) (int64, string) {
		id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, 'Dạy', 'day', 'x', 'x', $2) RETURNING id`, name, commune)
		e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, id, centre)
		acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, id)
		p := domain.Principal{AccountID: acct, PersonID: id, Grants: []domain.Grant{{Role: domain.RoleTeacher, Kind: domain.ScopeCentre,
			CentreID: centre, CommuneID: commune, ProvinceID: province}}}
		return id, e.token(p)
	}
	otherTeacher, otherToken := teacherOf("Lò Văn Dạy", w.CommA1, w.CentreA1, w.ProvA)
	teacherB1, teacherB1Token := teacherOf("Quàng Thị Dạy", w.CommB1, w.CentreB1, w.ProvB)
	names := []string{"Lò Thị Ánh", "Đỗ Văn Bình", "=HYPERLINK(\"http://x\")"}
	own := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, names...)
	other := newAttendanceClass(t, e, w.CentreA1, otherTeacher, []int{12}, "Hà Văn Dũng")
	foreign := newAttendanceClass(t, e, w.CentreB1, teacherB1, []int{14}, "Vàng Thị Én")
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, own.class.CourseID, own.class.VersionID, own.class.ID)
	if st, out := e.call("POST", fmt.Sprintf("/api/v1/sessions/%d/attendance", own.session), tokens[4], batchOf(own.learners, "late", 0)); st != 200 {
		t.Fatalf("marking: %d %v", st, out)
	}

	callers := append([]string{}, tokens...)
	callers = append(callers, otherToken, teacherB1Token)
	names10 := []string{}
	for _, r := range roles {
		names10 = append(names10, r.name)
	}
	names10 = append(names10, "teacher_of_other_class_A1", "teacher_of_class_B1")
	// Columns: admin, officer A, officer A1, manager A1, teacher A1 (teaches
	// the own class), learner A1 (enrolled in it), manager B1, no token,
	// teacher of the other class A1, teacher of the class B1.
	var (
		readsA1 = [10]int{200, 200, 200, 200, 200, 404, 404, 401, 200, 404}
		readsB1 = [10]int{200, 404, 404, 404, 404, 404, 200, 401, 404, 200}
	)
	targets := []struct {
		name string
		c    attendanceClass
		want [10]int
	}{{"own_class_A1", own, readsA1}, {"other_class_A1", other, readsA1}, {"foreign_centre_B1", foreign, readsB1}}
	for _, kind := range []string{"sessions", "classes"} {
		for _, f := range []string{"pdf", "xlsx"} {
			for _, tg := range targets {
				for i, tok := range callers {
					t.Run(kind+"_register."+f+"/"+tg.name+"/"+names10[i], func(t *testing.T) {
						id := tg.c.class.ID
						if kind == "sessions" {
							id = tg.c.session
						}
						status, hdr, body := e.raw(fmt.Sprintf("/api/v1/%s/%d/register.%s", kind, id, f), tok)
						if status != tg.want[i] {
							t.Fatalf("%d %s, want %d", status, body, tg.want[i])
						}
						if status != 200 {
							if strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
								t.Fatal("a refusal came as an attachment")
							}
							return
						}
						wantType, magic := "application/pdf", "%PDF-"
						if f == "xlsx" {
							wantType, magic = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"
						}
						if hdr.Get("Content-Type") != wantType || !bytes.HasPrefix(body, []byte(magic)) {
							t.Fatalf("Content-Type %q, body starts %q", hdr.Get("Content-Type"), body[:min(8, len(body))])
						}
						if !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="`) || hdr.Get("Cache-Control") != "private, no-store" {
							t.Fatalf("headers %v", hdr)
						}
					})
				}
			}
		}
	}

	// The own class's files, read back.
	_, hdr, pdf := e.raw(fmt.Sprintf("/api/v1/classes/%d/register.pdf", own.class.ID), tokens[3])
	if got, want := hdr.Get("Content-Disposition"), `attachment; filename="So diem danh Lop ky nang so.pdf"; filename*=utf-8''S%E1%BB%95%20%C4%91i%E1%BB%83m%20danh%20L%E1%BB%9Bp%20k%E1%BB%B9%20n%C4%83ng%20s%E1%BB%91.pdf`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	text := registerstest.PDFText(t, pdf)
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("the PDF lacks %q:\n%s", n, text)
		}
	}
	_, _, xlsx := e.raw(fmt.Sprintf("/api/v1/classes/%d/register.xlsx", own.class.ID), tokens[3])
	rows, formulas := registerstest.Sheet(t, xlsx, registers.SheetRecord)
	if len(formulas) > 0 {
		t.Errorf("formulas: %q", formulas)
	}
	head := registerstest.RowStarting(rows, "STT")
	if head < 0 || len(rows) < head+4 {
		t.Fatalf("no table: %q", rows)
	}
	byName := map[string][]string{}
	for _, r := range rows[head+1:] {
		if len(r) > 1 {
			byName[r[1]] = r
		}
	}
	for _, n := range names {
		if got := byName[registers.Safe(n)]; len(got) < 3 || got[2] != "M" {
			t.Errorf("row of %q = %q, want it marked M", registers.Safe(n), got)
		}
	}
	if _, ok := byName[`'=HYPERLINK("http://x")`]; !ok {
		t.Errorf("the formula-looking name is not neutralised: %q", rows[head+1:])
	}
}

// raw sends a GET and returns the status, headers and body unread by JSON.
func (e *testEnv) raw(path, token string) (int, interface{ Get(string) string }, []byte) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

func TestAttachmentDisposition(t *testing.T) {
	for in, want := range map[string]string{
		"Sổ điểm danh Đà Lạt.pdf": `attachment; filename="So diem danh Da Lat.pdf"; filename*=utf-8''S%E1%BB%95%20%C4%91i%E1%BB%83m%20danh%20%C4%90%C3%A0%20L%E1%BA%A1t.pdf`,
		"a\"b\\c/d\r\ne%.xlsx":    `attachment; filename="abcde_.xlsx"; filename*=utf-8''abcde%25.xlsx`,
		"":                        `attachment; filename="tep"; filename*=utf-8''tep`,
	} {
		if got := domain.ContentDisposition(in, "tep", false); got != want {
			t.Errorf("ContentDisposition(%q) =\n%s, want\n%s", in, got, want)
		}
	}
}
