package api

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"densach/domain"
)

// importCSV posts a file to the import endpoint as text/csv.
func (e *testEnv) importCSV(token string, dryRun bool, data []byte) (int, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/people/import?dry_run=%v", dryRun), bytes.NewReader(data))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+token)
	return e.do(req)
}

// importCounts reads the counters of an import answer.
func importCounts(body map[string]any) string {
	return fmt.Sprintf("total=%v created=%v updated=%v unchanged=%v failed=%v", body["total_rows"], body["created"], body["updated"], body["unchanged"], body["failed"])
}

// peopleFile is a register as a spreadsheet in Vietnamese locale saves it:
// BOM, semicolons, CRLF, quoted cells, Vietnamese headers in any case.
const peopleFile = "\xEF\xBB\xBFSTT;HỌ VÀ TÊN;Ngày sinh;Giới tính;Dân tộc;Mã xã;Thôn;CCCD;Số điện thoại;Email\r\n" +
	"1;Hà Thị Nhung;12/03/1985;Nữ;Thái;12001;\"Bản Phiêng; tổ 2\";012185000111;0961 111 222;nhung@example.vn\r\n" + // 2 new
	"2;Lò Văn Pọm;1950;Nam;Mông;12001;Bản Cang;;;\r\n" + // 3 new, matched by name on re-import
	"3;Đặng Thị Ánh;;;;12001;Bản Mới;;0912000008;\r\n" + // 4 updates ResidentA1 (by phone)
	"4;Lò Văn Bốn;;;;12001;;;0212345678;\r\n" + // 5 bad phone
	"5;Lò Văn Năm;;;;12001;;12345;;\r\n" + // 6 bad CCCD
	"6;;;;;12001;;;0961333444;\r\n" + // 7 missing name
	"7;Lò Văn Bảy;;;;99999;;;;\r\n" + // 8 unknown commune code
	"8;Lò Văn Tám;31/02/1990;;;12001;;;;\r\n" + // 9 bad date
	"9;Lò Văn Chín;;;;12001;;;0961-111-222;\r\n" + // 10 duplicate phone of line 2
	"10;Lò Thị Thanh;;;;12001;;;0912000010;\r\n" + // 11 existing person of commune B1
	"11;Lò Văn Mười;;;;12002;;;;\r\n" // 12 commune A2, not the manager's

func TestImportPeople(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	people := func() int64 { return e.exec(`SELECT count(*) FROM people`) }
	// Writes are counted apart from the disclosures (issue 7.2), which are
	// audited even on a dry run.
	audits := func() int64 { return e.exec(`SELECT count(*) FROM audit_log WHERE action <> 'identifier_disclosed'`) }
	disclosures := func() int64 {
		return e.exec(`SELECT count(*) FROM audit_log WHERE action = 'identifier_disclosed' AND entity_id = $1 AND actor_id = $2 AND changes->>'row' = '11'`,
			w.ResidentB1, w.ManagerA1.PersonID)
	}
	basePeople, baseAudit := people(), audits()

	status, body := e.importCSV(mgr, true, []byte(peopleFile))
	if status != 200 || importCounts(body) != "total=11 created=2 updated=1 unchanged=0 failed=8" || body["dry_run"] != true {
		t.Fatalf("dry run: %d %s %v", status, importCounts(body), body)
	}
	wantErrs := map[string]bool{"5/phone/phone_prefix": true, "6/cccd/cccd_length": true, "7/full_name/name_required": true,
		"8/commune_code/commune_unknown": true, "9/birth_date/birth_date_nonexistent": true, "10/phone/duplicate_in_file": true,
		"11/phone/person_not_editable": true, "12/commune_code/commune_out_of_scope": true}
	errs, _ := body["errors"].([]any)
	for _, x := range errs {
		m := x.(map[string]any)
		key := fmt.Sprintf("%v/%v/%v", m["row"], m["field"], m["code"])
		if !wantErrs[key] || m["message"] == "" {
			t.Errorf("unexpected row error %v", m)
		}
		if msg := fmt.Sprint(m["message"]); m["row"] == float64(11) && (strings.Contains(msg, "phạm vi") || strings.Contains(msg, "Mường Thanh")) {
			t.Errorf("the refusal says where the person is: %q", msg)
		}
		delete(wantErrs, key)
	}
	if len(wantErrs) > 0 {
		t.Fatalf("missing row errors %v in %v", wantErrs, errs)
	}
	if people() != basePeople || audits() != baseAudit || e.exec(`SELECT count(*) FROM people WHERE village = 'Bản Mới'`) != 0 {
		t.Fatal("dry run wrote something")
	}
	if n := disclosures(); n != 1 {
		t.Fatalf("dry run: %d disclosures audited, want 1", n)
	}

	status, body = e.importCSV(mgr, false, []byte(peopleFile))
	if status != 200 || importCounts(body) != "total=11 created=2 updated=1 unchanged=0 failed=8" || body["dry_run"] != false {
		t.Fatalf("import: %d %s %v", status, importCounts(body), body)
	}
	if people() != basePeople+2 {
		t.Fatalf("import stored %d people, want 2", people()-basePeople)
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE full_name = 'Hà Thị Nhung' AND given_name = 'Nhung' AND birth_date = '1985-03-12'
		AND sex = 'female' AND ethnicity = 'Thái' AND commune_id = $1 AND village = 'Bản Phiêng; tổ 2' AND cccd = '012185000111'
		AND phone = '0961111222' AND email = 'nhung@example.vn' AND search_folded = 'ha thi nhung' AND sort_key = $2`, w.CommA1, domain.NameSortKey("Hà Thị Nhung")); n != 1 {
		t.Fatal("created person not stored as normalised")
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND village = 'Bản Mới' AND full_name = 'Đặng Thị Ánh'`, w.ResidentA1); n != 1 {
		t.Fatal("matched person not updated")
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND commune_id = $2 AND village = ''`, w.ResidentB1, w.CommB1); n != 1 {
		t.Fatal("a person outside the caller's scope was changed")
	}
	// One audit row per created or updated person and one summary.
	if n := audits() - baseAudit; n != 4 {
		t.Fatalf("%d audit rows, want 4", n)
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'person_updated' AND entity_id = $1 AND changes->'village'->>'new' = 'Bản Mới'`, w.ResidentA1); n != 1 {
		t.Fatal("update audit row missing")
	}
	// The summary counts every failed row, those refused while parsing too.
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'people_imported' AND (changes->>'failed')::int = 8 AND (changes->>'created')::int = 2`); n != 1 {
		t.Fatal("the import summary does not record the 8 failed rows")
	}

	// The same file again changes nothing and audits nothing new but the summary.
	status, body = e.importCSV(mgr, false, []byte(peopleFile))
	if status != 200 || importCounts(body) != "total=11 created=0 updated=0 unchanged=3 failed=8" {
		t.Fatalf("second import: %d %s", status, importCounts(body))
	}
	if people() != basePeople+2 || audits()-baseAudit != 5 {
		t.Fatalf("second import wrote: people +%d, audit +%d", people()-basePeople, audits()-baseAudit)
	}
	if n := disclosures(); n != 3 {
		t.Fatalf("%d disclosures audited after three imports, want 3", n)
	}
}

func TestImportPeopleFormats(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	admin := e.token(w.Admin)

	// A multipart upload, English headers, commas and LF.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "people.csv")
	fmt.Fprint(fw, "full_name,commune_code,phone,birth_year\nLo Van A,11001,0345678901,1990\n")
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/people/import?dry_run=false", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+admin)
	status, body := e.do(req)
	if status != 200 || importCounts(body) != "total=1 created=1 updated=0 unchanged=0 failed=0" {
		t.Fatalf("multipart: %d %v", status, body)
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE phone = '0345678901' AND birth_year = 1990 AND commune_id = $1`, w.CommB1); n != 1 {
		t.Fatal("multipart import not stored")
	}

	cases := []struct {
		name   string
		token  string
		ctype  string
		data   []byte
		status int
		msg    string
	}{
		{"windows-1258", admin, "text/csv", []byte("ho_ten,ma_xa\nNguy\xean V\xe3n A,12001\n"), 422, "UTF-8"},
		{"utf-16", admin, "text/csv", []byte{0xFF, 0xFE, 'h', 0}, 422, "UTF-16"},
		{"missing columns", admin, "text/csv", []byte("ten\nA\n"), 422, "ma_xa"},
		{"not a csv", admin, "application/json", []byte(`{}`), 422, "CSV"},
		{"too large", admin, "text/csv", append([]byte("ho_ten,ma_xa\n"), bytes.Repeat([]byte("Lò Văn A,12001\n"), 700_000)...), 413, "10 MB"},
		{"teacher", e.token(w.TeacherA1), "text/csv", []byte("ho_ten,ma_xa\n"), 403, ""},
		{"learner", e.token(w.LearnerA1), "text/csv", []byte("ho_ten,ma_xa\n"), 403, ""},
	}
	for _, c := range cases {
		req := httptest.NewRequest("POST", "/api/v1/people/import?dry_run=false", bytes.NewReader(c.data))
		req.Header.Set("Content-Type", c.ctype)
		req.Header.Set("Authorization", "Bearer "+c.token)
		status, body := e.do(req)
		if status != c.status || !strings.Contains(fmt.Sprint(body["message"]), c.msg) {
			t.Errorf("%s: %d %v, want %d with %q", c.name, status, body["message"], c.status, c.msg)
		}
	}
	if status, _ := e.importCSV(admin, false, []byte("ho_ten,ma_xa\n")); status != 200 {
		t.Fatalf("header-only file: %d", status)
	}
	req = httptest.NewRequest("POST", "/api/v1/people/import?dry_run=maybe", strings.NewReader("ho_ten,ma_xa\n"))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+admin)
	if status, _ := e.do(req); status != 422 {
		t.Fatalf("dry_run=maybe: %d", status)
	}
}

// importWith posts a file as text/csv with the given query string.
func (e *testEnv) importWith(token, query string, data []byte) (int, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/people/import?"+query, bytes.NewReader(data))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+token)
	return e.do(req)
}

// fieldCodeOf names the first field error of an error answer as "field/code".
func fieldCodeOf(body map[string]any) string {
	fields, _ := body["fields"].([]any)
	if len(fields) == 0 {
		return fmt.Sprint(body["code"])
	}
	f, _ := fields[0].(map[string]any)
	return fmt.Sprintf("%v/%v", f["field"], f["code"])
}

// TestImportPeopleCommune imports a file without a commune column into the
// commune chosen on the page, and names the columns it did not read.
func TestImportPeopleCommune(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	noCommune := []byte("\xEF\xBB\xBFHọ và tên;Bản/Tổ dân phố;Ghi chú;Số điện thoại\r\nLò Thị Xuân;Bản Nậm Tăm;mới;0961555111\r\nLò Văn Hạ;Tổ 4;;\r\n")
	withEmpty := []byte("ho_ten;ma_xa;thon\nLò Văn Thu;;Bản Hon\nLò Văn Đông;12001;Bản Hon\n")
	cases := []struct {
		name   string
		query  string
		data   []byte
		status int
		want   string // counts on success, field/code on failure
	}{
		{"no commune chosen", "dry_run=true", noCommune, 422, "commune_id/import_commune_required"},
		{"foreign commune", fmt.Sprintf("dry_run=true&commune_id=%d", w.CommA2), noCommune, 422, "commune_id/commune_out_of_scope"},
		{"province", fmt.Sprintf("dry_run=true&commune_id=%d", w.ProvA), noCommune, 422, "commune_id/commune_unknown"},
		{"unknown", "dry_run=true&commune_id=99999999", noCommune, 422, "commune_id/commune_unknown"},
		{"malformed", "dry_run=true&commune_id=x", noCommune, 422, "commune_id/id_invalid"},
		{"dry run", fmt.Sprintf("dry_run=true&commune_id=%d", w.CommA1), noCommune, 200, "total=2 created=2 updated=0 unchanged=0 failed=0"},
		{"import", fmt.Sprintf("commune_id=%d", w.CommA1), noCommune, 200, "total=2 created=2 updated=0 unchanged=0 failed=0"},
		{"again", fmt.Sprintf("commune_id=%d", w.CommA1), noCommune, 200, "total=2 created=0 updated=0 unchanged=2 failed=0"},
		{"empty cells without a choice", "dry_run=true", withEmpty, 200, "total=2 created=1 updated=0 unchanged=0 failed=1"},
		{"empty cells go to the choice", fmt.Sprintf("dry_run=true&commune_id=%d", w.CommA1), withEmpty, 200, "total=2 created=2 updated=0 unchanged=0 failed=0"},
	}
	for _, c := range cases {
		status, body := e.importWith(mgr, c.query, c.data)
		got := importCounts(body)
		if status != 200 {
			got = fieldCodeOf(body)
		}
		if status != c.status || got != c.want {
			t.Errorf("%s: %d %s, want %d %s (%v)", c.name, status, got, c.status, c.want, body)
		}
		if status == 200 && bytes.Equal(c.data, noCommune) {
			ws, _ := body["warnings"].([]any)
			if len(ws) != 1 || ws[0].(map[string]any)["code"] != "csv_unknown_column" || !strings.Contains(fmt.Sprint(ws[0].(map[string]any)["message"]), "Ghi chú") {
				t.Errorf("%s: warnings %v, want one naming Ghi chú", c.name, ws)
			}
		}
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE commune_id = $1 AND ((full_name = 'Lò Thị Xuân' AND village = 'Bản Nậm Tăm' AND phone = '0961555111')
		OR (full_name = 'Lò Văn Hạ' AND village = 'Tổ 4'))`, w.CommA1); n != 2 {
		t.Fatalf("%d people stored in the chosen commune with their village, want 2", n)
	}
}

// TestImportPeopleEnrol enrols the imported people as learners of a centre
// the caller may grant that role at, once however often the file is sent.
func TestImportPeopleEnrol(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	file := []byte("ho_ten;ma_xa;so_dien_thoai\nLò Văn Một;12001;0961777001\nLò Văn Hai;12001;0961777002\nĐặng Thị Ánh;12001;0912000008\n")
	q := func(dry bool, centre int64) string { return fmt.Sprintf("dry_run=%v&enrol_centre_id=%d", dry, centre) }
	cases := []struct {
		name     string
		caller   domain.Principal
		query    string
		status   int
		want     string // enrolled count, or field/code of the refusal
		learners int64  // learner grants at CentreA1 afterwards
	}{
		{"foreign centre", w.ManagerA1, q(true, w.CentreA2), 422, "enrol_centre_id/enrol_centre_forbidden", 0},
		{"unknown centre", w.ManagerA1, q(true, 99999999), 422, "enrol_centre_id/centre_unknown", 0},
		{"other province's manager", w.ManagerB1, q(true, w.CentreA1), 422, "enrol_centre_id/enrol_centre_forbidden", 0},
		{"dry run", w.ManagerA1, q(true, w.CentreA1), 200, "enrolled=3", 0},
		{"import", w.ManagerA1, q(false, w.CentreA1), 200, "enrolled=3", 3},
		{"again", w.ManagerA1, q(false, w.CentreA1), 200, "enrolled=0", 3},
		{"officer, again", w.OfficerA1, q(false, w.CentreA1), 200, "enrolled=0", 3},
	}
	learners := func() int64 {
		return e.exec(`SELECT count(*) FROM role_grants WHERE role = 'learner' AND centre_id = $1 AND revoked_at IS NULL
			AND person_id IN (SELECT id FROM people WHERE phone IN ('0961777001', '0961777002', '0912000008'))`, w.CentreA1)
	}
	for _, c := range cases {
		status, body := e.importWith(e.token(c.caller), c.query, file)
		got := fmt.Sprintf("enrolled=%v", body["enrolled"])
		if status != 200 {
			got = fieldCodeOf(body)
		}
		if status != c.status || got != c.want || learners() != c.learners {
			t.Errorf("%s: %d %s with %d learners, want %d %s with %d (%v)", c.name, status, got, learners(), c.status, c.want, c.learners, body)
		}
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'role_granted' AND changes->>'role' = 'learner' AND (changes->>'centre_id')::bigint = $1`, w.CentreA1); n != 3 {
		t.Fatalf("%d role_granted audit rows, want 3", n)
	}
}

// TestImportPeopleUpdatePreview shows, for each row that updates someone,
// what changes, and flags a phone that belongs to a person of another name.
func TestImportPeopleUpdatePreview(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	cases := []struct {
		name string
		file string
		want string // "row matched_by other_name name: field old→new, ..."
	}{
		{"same name", "ho_ten;ma_xa;thon;so_dien_thoai\nĐặng Thị Ánh;12001;Bản Mới;0912000008\n",
			"2 phone false Đặng Thị Ánh: village →Bản Mới"},
		{"other name", "ho_ten;ma_xa;nam_sinh;so_dien_thoai\nĐặng Văn Bình;12001;1970;0912000008\n",
			"2 phone true Đặng Thị Ánh: full_name Đặng Thị Ánh→Đặng Văn Bình, birth_year →1970"},
		{"new person", "ho_ten;ma_xa;so_dien_thoai\nLò Văn Mới;12001;0961888001\n", ""},
	}
	for _, c := range cases {
		status, body := e.importWith(mgr, "dry_run=true", []byte(c.file))
		ups, _ := body["updates"].([]any)
		var got []string
		for _, x := range ups {
			u := x.(map[string]any)
			var ch []string
			for _, y := range u["changes"].([]any) {
				f := y.(map[string]any)
				ch = append(ch, fmt.Sprintf("%v %v→%v", f["field"], f["old"], f["new"]))
			}
			got = append(got, fmt.Sprintf("%v %v %v %v: %s", u["row"], u["matched_by"], u["other_name"], u["name"], strings.Join(ch, ", ")))
		}
		if status != 200 || strings.Join(got, "; ") != c.want {
			t.Errorf("%s: %d %q, want %q (%v)", c.name, status, strings.Join(got, "; "), c.want, body)
		}
	}
}
