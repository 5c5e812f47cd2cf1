package api

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"densach/domain"
)

// idOf reads the id of a JSON object.
func idOf(t *testing.T, m map[string]any) int64 {
	t.Helper()
	id, ok := m["id"].(float64)
	if !ok || id <= 0 {
		t.Fatalf("no id in %v", m)
	}
	return int64(id)
}

// fieldErr asserts an error answer carries a field error with the code and
// a Vietnamese message.
func fieldErr(t *testing.T, body map[string]any, field, code string) {
	t.Helper()
	fields, _ := body["fields"].([]any)
	for _, f := range fields {
		m := f.(map[string]any)
		if m["field"] == field && m["code"] == code {
			if msg, _ := m["message"].(string); msg == "" || !strings.ContainsAny(msg, "àáảãạăâđèéêìíòóôơùúưỳýầấậắặếềệốồộớờợứừựữ") {
				t.Fatalf("field error %v has no Vietnamese message", m)
			}
			return
		}
	}
	t.Fatalf("body %v lacks field error %s/%s", body, field, code)
}

// names lists the full names of a list answer.
func names(body map[string]any) []string {
	var out []string
	items, _ := body["items"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["full_name"].(string))
	}
	return out
}

func TestPeopleCreateReadUpdate(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	status, p := e.call("POST", "/api/v1/people", mgr, map[string]any{
		"full_name": "  nguyễn   Thị Ngọc Ánh ", "birth_date": "05/09/1980", "sex": "Nữ", "ethnicity": "Thái",
		"commune_id": w.CommA1, "village": "Bản Nậm Loỏng", "cccd": "012 180 012345", "phone": "+84 912 345 678", "email": "Anh@Example.VN",
		"staff_position": "Phó Chủ tịch"})
	if status != 201 {
		t.Fatalf("create: %d %v", status, p)
	}
	id := idOf(t, p)
	want := map[string]any{"full_name": "nguyễn Thị Ngọc Ánh", "given_name": "Ánh", "birth_date": "1980-09-05", "birth_year": float64(1980),
		"sex": "female", "commune_id": float64(w.CommA1), "commune_name": "Tân Phong", "cccd": "012180012345", "phone": "0912345678",
		"email": "anh@example.vn", "staff_position": "vice_chair", "masked": false, "has_account": false}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("created %s = %v, want %v", k, p[k], v)
		}
	}
	if roles, ok := p["roles"].([]any); !ok || len(roles) != 0 {
		t.Errorf("roles = %v, want []", p["roles"])
	}
	stored := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND given_name = 'Ánh' AND search_folded = 'nguyen thi ngoc anh'
		AND search_exact = 'nguyễn thị ngọc ánh' AND sort_key = $2`, id, domain.NameSortKey("nguyễn Thị Ngọc Ánh"))
	if stored != 1 {
		t.Fatal("derived name columns not stored")
	}

	status, got := e.call("GET", fmt.Sprintf("/api/v1/people/%d", id), mgr, nil)
	if status != 200 || got["phone"] != "0912345678" || got["birth_date"] != "1980-09-05" {
		t.Fatalf("get: %d %v", status, got)
	}
	if !reflect.DeepEqual(p, got) {
		t.Fatalf("create answered %v, a read gives %v", p, got)
	}

	status, got = e.call("PATCH", fmt.Sprintf("/api/v1/people/%d", id), mgr, map[string]any{"phone": "0987 654 321", "email": nil, "village": "Bản Mới"})
	if status != 200 || got["phone"] != "0987654321" || got["email"] != nil || got["village"] != "Bản Mới" || got["full_name"] != "nguyễn Thị Ngọc Ánh" {
		t.Fatalf("patch: %d %v", status, got)
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND phone = '0987654321' AND email IS NULL AND cccd = '012180012345'`, id); n != 1 {
		t.Fatal("patch not stored, or it touched fields it was not given")
	}
	if _, fresh := e.call("GET", fmt.Sprintf("/api/v1/people/%d", id), mgr, nil); !reflect.DeepEqual(got, fresh) {
		t.Fatalf("patch answered %v, a read gives %v", got, fresh)
	}
	// A PATCH that changes nothing writes nothing.
	status, _ = e.call("PATCH", fmt.Sprintf("/api/v1/people/%d", id), mgr, map[string]any{"phone": "0987654321"})
	if status != 200 {
		t.Fatalf("no-op patch: %d", status)
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE entity = 'person' AND entity_id = $1`, id); n != 2 {
		t.Fatalf("audit rows for the person: %d, want 2 (created, updated)", n)
	}
	// A move answers with the new commune's name, as a read does.
	officer := e.token(w.OfficerA)
	status, moved := e.call("PATCH", fmt.Sprintf("/api/v1/people/%d", id), officer, map[string]any{"commune_id": w.CommA2})
	if _, fresh := e.call("GET", fmt.Sprintf("/api/v1/people/%d", id), officer, nil); status != 200 || moved["commune_name"] == "Tân Phong" || !reflect.DeepEqual(moved, fresh) {
		t.Fatalf("move: %d %v, a read gives %v", status, moved, fresh)
	}

	// Password on create makes an account.
	status, p2 := e.call("POST", "/api/v1/people", mgr, map[string]any{"full_name": "Lò Văn Tài", "commune_id": w.CommA1, "password": "mật khẩu dài"})
	if status != 201 || p2["has_account"] != true {
		t.Fatalf("create with password: %d %v", status, p2)
	}
	hash := ""
	if err := e.db.SQL().QueryRow(`SELECT password_hash FROM accounts WHERE person_id = $1`, idOf(t, p2)).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("account hash %q, %v", hash, err)
	}
}

func TestPeopleValidation(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	cases := []struct {
		name        string
		body        map[string]any
		status      int
		field, code string
	}{
		{"bad phone prefix", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "phone": "0212345678"}, 422, "phone", "phone_prefix"},
		{"bad phone length", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "phone": "09123"}, 422, "phone", "phone_length"},
		{"bad cccd", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "cccd": "12345"}, 422, "cccd", "cccd_length"},
		{"missing name", map[string]any{"commune_id": w.CommA1}, 422, "full_name", "name_required"},
		{"digits in name", map[string]any{"full_name": "Lò Văn 2", "commune_id": w.CommA1}, 422, "full_name", "name_invalid_chars"},
		{"nonexistent date", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "birth_date": "31/02/1990"}, 422, "birth_date", "birth_date_nonexistent"},
		{"bad date", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "birth_date": "31.02.1990"}, 422, "birth_date", "birth_date_format"},
		{"missing commune", map[string]any{"full_name": "Lò Văn A"}, 422, "commune_id", "commune_required"},
		{"province as commune", map[string]any{"full_name": "Lò Văn A", "commune_id": w.ProvA}, 422, "commune_id", "commune_unknown"},
		{"unknown field", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "id": 5}, 422, "id", "unknown_field"},
		{"roles not settable", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "roles": []any{}}, 422, "roles", "unknown_field"},
		{"short password", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "password": "abc"}, 422, "password", "password_too_short"},
		{"duplicate phone", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommA1, "phone": "0912000010"}, 409, "phone", "phone_taken"},
		{"foreign commune", map[string]any{"full_name": "Lò Văn A", "commune_id": w.CommB1}, 403, "", ""},
	}
	before := e.exec(`SELECT count(*) FROM people`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.call("POST", "/api/v1/people", mgr, c.body)
			if status != c.status {
				t.Fatalf("status %d, want %d: %v", status, c.status, body)
			}
			if c.field != "" {
				fieldErr(t, body, c.field, c.code)
			}
		})
	}
	if after := e.exec(`SELECT count(*) FROM people`); after != before {
		t.Fatalf("refused creates stored %d people", after-before)
	}
	path := fmt.Sprintf("/api/v1/people/%d", w.ResidentA1)
	status, body := e.call("PATCH", path, mgr, map[string]any{"phone": "0912000009"})
	if status != 409 {
		t.Fatalf("patch to a taken phone: %d %v", status, body)
	}
	fieldErr(t, body, "phone", "phone_taken")
	status, body = e.call("PATCH", path, mgr, map[string]any{"has_account": true})
	if status != 422 {
		t.Fatalf("patch of an unknown field: %d %v", status, body)
	}
	fieldErr(t, body, "has_account", "unknown_field")
	status, body = e.call("PATCH", path, mgr, map[string]any{"full_name": nil})
	if status != 422 {
		t.Fatalf("patch clearing the name: %d %v", status, body)
	}
	fieldErr(t, body, "full_name", "name_required")
	// Moving a person into a commune the caller does not manage.
	status, _ = e.call("PATCH", path, mgr, map[string]any{"commune_id": w.CommB1})
	if status != 403 {
		t.Fatalf("move to a foreign commune: %d", status)
	}
	if e.exec(`SELECT commune_id FROM people WHERE id = $1`, w.ResidentA1) != w.CommA1 {
		t.Fatal("refused move was stored")
	}
}

func TestPeopleSearch(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	admin := e.token(w.Admin)
	for i, n := range []string{"Nguyễn Văn Anh", "Lê Thị Ánh", "Hoàng Thị Lan Anh", "Vi Văn Lâm"} {
		status, body := e.call("POST", "/api/v1/people", admin, map[string]any{"full_name": n, "commune_id": w.CommA1, "phone": fmt.Sprintf("03812345%02d", i)})
		if status != 201 {
			t.Fatalf("create %s: %d %v", n, status, body)
		}
	}
	search := func(tok, q string) []string {
		t.Helper()
		status, body := e.call("GET", "/api/v1/people?page_size=100&q="+url.QueryEscape(q), tok, nil)
		if status != 200 {
			t.Fatalf("search %q: %d %v", q, status, body)
		}
		return names(body)
	}
	same := func(q string, got, want []string) {
		t.Helper()
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("search %q = %q, want %q", q, got, want)
		}
	}
	// Without diacritics "anh" finds Anh and Ánh; with them "Ánh" finds only Ánh.
	same("anh", search(admin, "anh"), []string{"Hoàng Thị Lan Anh", "Nguyễn Văn Anh", "Đặng Thị Ánh", "Lê Thị Ánh", "Lò Thị Thanh"})
	same("Ánh", search(admin, "Ánh"), []string{"Đặng Thị Ánh", "Lê Thị Ánh"})
	same("ÁNH", search(admin, "ÁNH"), []string{"Đặng Thị Ánh", "Lê Thị Ánh"})
	same("dang thi", search(admin, "dang thi"), []string{"Đặng Thị Ánh"})
	same("100%", search(admin, "100%"), nil)
	same("a_h", search(admin, "a_h"), nil)
	// Digits search phones and CCCDs, in any written form, but only among
	// people the caller manages: a teacher cannot learn who owns a number.
	same("phone", search(admin, "+84 381 234 502"), []string{"Hoàng Thị Lan Anh"})
	same("manager phone", search(e.token(w.ManagerA1), "03812345"), []string{"Hoàng Thị Lan Anh", "Nguyễn Văn Anh", "Lê Thị Ánh", "Vi Văn Lâm"})
	same("teacher phone", search(e.token(w.TeacherA1), "03812345"), nil)
	same("teacher name", search(e.token(w.TeacherA1), "lam"), []string{"Vi Văn Lâm"})
	// A list never holds people outside the caller's scope.
	same("manager B1 name", search(e.token(w.ManagerB1), "anh"), []string{"Lò Thị Thanh"})
}

func TestPeopleListPagingAndOrder(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	admin := e.token(w.Admin)
	// Registers order by given name, then full name, in Vietnamese collation:
	// a < ă < â, d < đ, and a tone only after the letters.
	want := []string{"Trần Văn An", "Lê Văn Anh", "Nguyễn Thị Ánh", "Phạm Thị Ân", "Lò Văn Bình", "Vũ Văn Dũng", "Hà Văn Đức", "Phạm Văn Kết"}
	for _, i := range []int{6, 2, 5, 0, 3, 1, 4} {
		if status, body := e.call("POST", "/api/v1/people", admin, map[string]any{"full_name": want[i], "commune_id": w.CommA2}); status != 201 {
			t.Fatalf("create: %d %v", status, body)
		}
	}
	status, body := e.call("GET", fmt.Sprintf("/api/v1/people?commune_id=%d", w.CommA2), admin, nil)
	if status != 200 || body["total"] != float64(8) || body["page"] != float64(1) || body["page_size"] != float64(20) {
		t.Fatalf("list: %d %v", status, body)
	}
	if got := names(body); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("order %q, want %q", got, want)
	}
	var paged []string
	for page := 1; page <= 3; page++ {
		_, body := e.call("GET", fmt.Sprintf("/api/v1/people?commune_id=%d&page_size=3&page=%d", w.CommA2, page), admin, nil)
		if body["total"] != float64(8) || body["page_size"] != float64(3) {
			t.Fatalf("page %d: %v", page, body)
		}
		paged = append(paged, names(body)...)
	}
	if strings.Join(paged, "|") != strings.Join(want, "|") {
		t.Fatalf("pages %q, want %q", paged, want)
	}
	// The web app moves on by cursor: the same people in the same order,
	// the total only on the first page, no cursor after the last.
	var walked []string
	next := ""
	for i := 0; ; i++ {
		path := fmt.Sprintf("/api/v1/people?commune_id=%d&page_size=3", w.CommA2)
		if next != "" {
			path += "&cursor=" + next
		}
		status, body := e.call("GET", path, admin, nil)
		if _, counted := body["total"]; status != 200 || counted != (next == "") || i > 3 {
			t.Fatalf("cursor page %d: %d %v", i, status, body)
		}
		walked = append(walked, names(body)...)
		next, _ = body["next_cursor"].(string)
		if next == "" {
			break
		}
	}
	if strings.Join(walked, "|") != strings.Join(want, "|") {
		t.Fatalf("cursor pages %q, want %q", walked, want)
	}
	for _, c := range []struct {
		query            string
		status, page, ps int
	}{
		// Out-of-range paging is refused (issue 7.12), not clamped.
		{"page_size=1000", 422, 0, 0},
		{"page_size=0&page=0", 422, 0, 0},
		{"page=-3&page_size=-1", 422, 0, 0},
		{"page=99", 200, 99, 20},
		{"page=abc", 422, 0, 0},
		{"role=king", 422, 0, 0},
		{"commune_id=x", 422, 0, 0},
		{"q=" + strings.Repeat("a", 101), 422, 0, 0},
	} {
		status, body := e.call("GET", "/api/v1/people?"+c.query, admin, nil)
		if status != c.status {
			t.Fatalf("%s: %d %v", c.query, status, body)
		}
		if status == 200 && (body["page"] != float64(c.page) || body["page_size"] != float64(c.ps)) {
			t.Fatalf("%s: page %v size %v", c.query, body["page"], body["page_size"])
		}
	}
	_, body = e.call("GET", "/api/v1/people?page=99", admin, nil)
	if items := body["items"].([]any); len(items) != 0 {
		t.Fatalf("page past the end has %d items", len(items))
	}
	// Filters by role, centre and association staff.
	e.exec(`UPDATE people SET staff_position = 'chair' WHERE id = $1`, w.ResidentA2)
	for q, wantNames := range map[string][]string{
		"role=teacher":                          {"Trần Thị Giáo"},
		fmt.Sprintf("centre_id=%d", w.CentreB1): {"Quàng Văn Biên"},
		"staff=true":                            {"Phạm Văn Kết"},
	} {
		_, body := e.call("GET", "/api/v1/people?"+q, admin, nil)
		if got := names(body); strings.Join(got, "|") != strings.Join(wantNames, "|") {
			t.Fatalf("%s: %q, want %q", q, got, wantNames)
		}
	}
}

func TestPeopleMasking(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	e.exec(`UPDATE people SET cccd = '012180000001', email = 'anh@example.vn' WHERE id = $1`, w.ResidentA1)
	path := fmt.Sprintf("/api/v1/people/%d", w.ResidentA1)
	status, teacher := e.call("GET", path, e.token(w.TeacherA1), nil)
	if status != 200 || teacher["masked"] != true {
		t.Fatalf("teacher: %d %v", status, teacher)
	}
	if ph := teacher["phone"].(string); !strings.HasPrefix(ph, "091****") || strings.Contains(ph, "912000") || len(ph) != 10 {
		t.Fatalf("teacher sees phone %q", ph)
	}
	if teacher["cccd"] != "012*******01" || teacher["email"] != "a***@example.vn" {
		t.Fatalf("teacher sees cccd %v email %v", teacher["cccd"], teacher["email"])
	}
	status, mgr := e.call("GET", path, e.token(w.ManagerA1), nil)
	if status != 200 || mgr["masked"] != false || mgr["cccd"] != "012180000001" || !strings.HasPrefix(mgr["phone"].(string), "0912000") {
		t.Fatalf("manager: %d %v", status, mgr)
	}
	// Lists mask the same way, and one's own record is never masked.
	_, list := e.call("GET", "/api/v1/people?page_size=100", e.token(w.TeacherA1), nil)
	for _, it := range list["items"].([]any) {
		m := it.(map[string]any)
		self := m["id"] == float64(w.TeacherA1.PersonID)
		if m["masked"] == self || (!self && !strings.Contains(m["phone"].(string), "*")) {
			t.Fatalf("teacher list item %v (self %v)", m, self)
		}
	}
	status, me := e.call("GET", "/api/v1/me", e.token(w.TeacherA1), nil)
	person, _ := me["person"].(map[string]any)
	roles, _ := me["roles"].([]any)
	if status != 200 || person["masked"] != false || strings.Contains(person["phone"].(string), "*") || len(roles) != 1 {
		t.Fatalf("me: %d %v", status, me)
	}
	if g := roles[0].(map[string]any); g["role"] != "teacher" || g["scope_kind"] != "centre" || g["centre_id"] != float64(w.CentreA1) ||
		g["centre_name"] != "TTHTCĐ phường Tân Phong" || g["unit_id"] != nil || g["unit_name"] != nil {
		t.Fatalf("me grant %v", g)
	}
}

func TestPeopleGrants(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr, officerA, officerA1, admin := e.token(w.ManagerA1), e.token(w.OfficerA), e.token(w.OfficerA1), e.token(w.Admin)
	roles := func(id int64) string { return fmt.Sprintf("/api/v1/people/%d/roles", id) }

	status, g := e.call("POST", roles(w.ResidentA1), mgr, map[string]any{"role": "teacher", "centre_id": w.CentreA1})
	if status != 201 || g["role"] != "teacher" || g["scope_kind"] != "centre" || g["centre_name"] != "TTHTCĐ phường Tân Phong" {
		t.Fatalf("manager grants teacher at own centre: %d %v", status, g)
	}
	grantID := idOf(t, g)
	status, body := e.call("POST", roles(w.ResidentA1), mgr, map[string]any{"role": "teacher", "centre_id": w.CentreA1})
	if status != 409 {
		t.Fatalf("same grant twice: %d %v", status, body)
	}
	fieldErr(t, body, "role", "role_exists")
	refused := []struct {
		name   string
		token  string
		target int64
		body   map[string]any
		status int
	}{
		{"manager grants at a foreign centre", mgr, w.ResidentA1, map[string]any{"role": "teacher", "centre_id": w.CentreB1}, 403},
		{"manager grants manager", mgr, w.ResidentA1, map[string]any{"role": "manager", "centre_id": w.CentreA1}, 403},
		{"manager grants to an unreadable person", mgr, w.ResidentB1, map[string]any{"role": "learner", "centre_id": w.CentreA1}, 404},
		{"officer of A1 grants admin", officerA1, w.ResidentA1, map[string]any{"role": "admin"}, 403},
		{"officer of A1 grants in province", officerA1, w.ResidentA1, map[string]any{"role": "officer", "unit_id": w.ProvA}, 403},
		{"officer of A grants in province B", officerA, w.ResidentA1, map[string]any{"role": "officer", "unit_id": w.ProvB}, 403},
		{"officer without unit", officerA, w.ResidentA1, map[string]any{"role": "officer"}, 422},
		{"teacher without centre", officerA, w.ResidentA1, map[string]any{"role": "teacher"}, 422},
		{"unknown centre", officerA, w.ResidentA1, map[string]any{"role": "teacher", "centre_id": 999999}, 422},
		{"unknown role", officerA, w.ResidentA1, map[string]any{"role": "king"}, 422},
	}
	for _, c := range refused {
		if status, body := e.call("POST", roles(c.target), c.token, c.body); status != c.status {
			t.Errorf("%s: %d %v, want %d", c.name, status, body, c.status)
		}
	}
	if n := e.exec(`SELECT count(*) FROM role_grants WHERE person_id IN ($1, $2)`, w.ResidentA1, w.ResidentB1); n != 1 {
		t.Fatalf("refused grants stored: %d grants", n)
	}
	status, g = e.call("POST", roles(w.ResidentA2), officerA, map[string]any{"role": "officer", "unit_id": w.CommA2})
	if status != 201 || g["scope_kind"] != "commune" || g["unit_name"] != "Đoàn Kết" || g["centre_id"] != nil {
		t.Fatalf("officer of A grants officer of A2: %d %v", status, g)
	}

	if status, _ := e.call("DELETE", fmt.Sprintf("%s/%d", roles(w.ResidentA2), idOf(t, g)), mgr, nil); status != 404 {
		t.Fatalf("manager revokes a grant of a person outside their commune: %d", status)
	}
	if status, _ := e.call("DELETE", fmt.Sprintf("%s/%d", roles(w.ManagerB1.PersonID), w.ManagerB1.Grants[0].ID), mgr, nil); status != 404 {
		t.Fatalf("manager revokes a grant of an unreadable person: %d", status)
	}
	if status, _ := e.call("DELETE", fmt.Sprintf("%s/%d", roles(w.ResidentA1), 999999), mgr, nil); status != 404 {
		t.Fatalf("revoke of an unknown grant: %d", status)
	}
	if status, body := e.call("DELETE", fmt.Sprintf("%s/%d", roles(w.ResidentA1), grantID), mgr, nil); status != 204 {
		t.Fatalf("manager revokes own-centre teacher: %d %v", status, body)
	}
	if n := e.exec(`SELECT count(*) FROM role_grants WHERE id = $1 AND revoked_at IS NOT NULL AND revoked_by = $2`, grantID, w.ManagerA1.PersonID); n != 1 {
		t.Fatal("revocation not stored")
	}

	// Issue 7.1: once ResidentA1 is a commune officer, the manager covers
	// them no longer and changes none of their roles. (Before, the officer
	// grant came first and the manager still revoked the teacher grant.)
	status, g2 := e.call("POST", roles(w.ResidentA1), officerA, map[string]any{"role": "officer", "unit_id": w.CommA1})
	if status != 201 || g2["scope_kind"] != "commune" {
		t.Fatalf("officer of A grants officer of A1: %d %v", status, g2)
	}
	// Revocation follows the same rule.
	if status, _ := e.call("DELETE", fmt.Sprintf("%s/%d", roles(w.ResidentA1), idOf(t, g2)), mgr, nil); status != 403 {
		t.Fatalf("manager revokes an officer grant: %d", status)
	}
	if status, body := e.call("POST", roles(w.ResidentA1), mgr, map[string]any{"role": "teacher", "centre_id": w.CentreA1}); status != 403 {
		t.Fatalf("manager grants teacher to a commune officer: %d %v", status, body)
	}
	_, person := e.call("GET", "/api/v1/people/"+fmt.Sprint(w.ResidentA1), mgr, nil)
	if r := person["roles"].([]any); len(r) != 1 || r[0].(map[string]any)["role"] != "officer" {
		t.Fatalf("roles after revocation: %v, want the officer grant only", r)
	}

	// The last administrator cannot be revoked; a second one can.
	adminGrant := fmt.Sprintf("%s/%d", roles(w.Admin.PersonID), w.Admin.Grants[0].ID)
	if status, body := e.call("DELETE", adminGrant, admin, nil); status != 409 {
		t.Fatalf("revoke of the last admin: %d %v", status, body)
	}
	if status, body := e.call("POST", roles(w.OfficerA.PersonID), admin, map[string]any{"role": "admin"}); status != 201 {
		t.Fatalf("admin grants admin: %d %v", status, body)
	}
	if status, body := e.call("DELETE", adminGrant, admin, nil); status != 204 {
		t.Fatalf("revoke of a non-last admin: %d %v", status, body)
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action IN ('role_granted', 'role_revoked')`); n != 6 {
		t.Fatalf("grant audit rows: %d, want 6", n)
	}
}

func TestPeopleAccount(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	path := func(id int64) string { return fmt.Sprintf("/api/v1/people/%d/account", id) }
	if status, body := e.call("POST", path(w.ResidentA1), mgr, map[string]any{"password": "mật khẩu mới 1"}); status != 204 {
		t.Fatalf("create account: %d %v", status, body)
	}
	acct := e.exec(`SELECT id FROM accounts WHERE person_id = $1`, w.ResidentA1)
	if acct == 0 {
		t.Fatal("no account stored")
	}
	e.exec(`INSERT INTO refresh_tokens (account_id, family_id, token_hash, expires_at) VALUES ($1, gen_random_uuid(), '\x01', now() + interval '1 day')`, acct)
	if status, _ := e.call("POST", path(w.ResidentA1), mgr, map[string]any{"password": "mật khẩu khác 2"}); status != 204 {
		t.Fatalf("reset: %d", status)
	}
	if n := e.exec(`SELECT count(*) FROM refresh_tokens WHERE account_id = $1 AND revoked_at IS NULL`, acct); n != 0 {
		t.Fatal("reset left a refresh token valid")
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action IN ('account_created', 'password_reset')`, w.ResidentA1); n != 2 {
		t.Fatalf("account audit rows: %d", n)
	}
	cases := []struct {
		name   string
		token  string
		target int64
		pw     string
		status int
	}{
		{"manager resets an admin", mgr, w.Admin.PersonID, "mật khẩu dài 3", 403},
		{"teacher resets a reader", e.token(w.TeacherA1), w.ResidentA1, "mật khẩu dài 3", 403},
		{"manager B1 resets a foreigner", e.token(w.ManagerB1), w.ResidentA1, "mật khẩu dài 3", 404},
		{"too short", mgr, w.ResidentA1, "ngắn", 422},
		{"admin resets an admin", e.token(w.Admin), w.Admin.PersonID, "mật khẩu dài 3", 204},
	}
	for _, c := range cases {
		if status, body := e.call("POST", path(c.target), c.token, map[string]any{"password": c.pw}); status != c.status {
			t.Errorf("%s: %d %v, want %d", c.name, status, body, c.status)
		}
	}
}

func TestPeopleAudit(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	mgr := e.token(w.ManagerA1)
	status, p := e.call("POST", "/api/v1/people", mgr, map[string]any{"full_name": "Lò Thị Mai", "commune_id": w.CommA1, "phone": "0971111111"})
	if status != 201 {
		t.Fatalf("create: %d %v", status, p)
	}
	id := idOf(t, p)
	e.call("PATCH", fmt.Sprintf("/api/v1/people/%d", id), mgr, map[string]any{"phone": "0972222222"})
	status, body := e.call("GET", fmt.Sprintf("/api/v1/audit?entity=person&entity_id=%d", id), e.token(w.Admin), nil)
	items, _ := body["items"].([]any)
	if status != 200 || len(items) != 2 {
		t.Fatalf("audit: %d %v", status, body)
	}
	upd, created := items[0].(map[string]any), items[1].(map[string]any)
	if upd["action"] != "person_updated" || created["action"] != "person_created" || upd["actor_id"] != float64(w.ManagerA1.PersonID) || upd["request_id"] == "" {
		t.Fatalf("audit items %v", items)
	}
	ch := upd["changes"].(map[string]any)["phone"].(map[string]any)
	if ch["old"] != "0971111111" || ch["new"] != "0972222222" || len(upd["changes"].(map[string]any)) != 1 {
		t.Fatalf("audit changes %v", upd["changes"])
	}
	for _, p := range []domain.Principal{w.OfficerA, w.ManagerA1, w.TeacherA1, w.LearnerA1} {
		if status, _ := e.call("GET", "/api/v1/audit?entity=person", e.token(p), nil); status != 403 {
			t.Fatalf("non-admin reads the audit log: %d", status)
		}
	}
	// The database itself refuses to change history.
	for _, q := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := e.db.SQL().Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
