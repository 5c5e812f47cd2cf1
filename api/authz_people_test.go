package api

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"densach/domain"
)

// peopleCallers are the callers of the people authorization table, in the
// order of the want columns; a nil principal sends no token.
func peopleCallers(w world) []peopleCaller {
	return []peopleCaller{
		{"admin", &w.Admin}, {"officer_province_A", &w.OfficerA}, {"officer_commune_A1", &w.OfficerA1},
		{"manager_A1", &w.ManagerA1}, {"teacher_A1", &w.TeacherA1}, {"learner_A1", &w.LearnerA1},
		{"manager_B1", &w.ManagerB1}, {"no_token", nil},
	}
}

// TestAuthzPeople is the authorization table of every people endpoint: each
// role of the fixture world against a person of its own scope (ResidentA1)
// and of foreign scopes (ResidentA2: another commune of province A;
// ResidentB1: another province), with the exact status, and a check of what
// was stored for every write.
func TestAuthzPeople(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	callers := peopleCallers(w)
	tokens := make([]string, len(callers))
	for i, c := range callers {
		if c.p != nil {
			tokens[i] = e.token(*c.p)
		}
	}
	person := func(id int64) string { return fmt.Sprintf("/api/v1/people/%d", id) }
	centreOf := map[int64]int64{w.ResidentA1: w.CentreA1, w.ResidentA2: w.CentreA2, w.ResidentB1: w.CentreB1}
	codeOf := map[int64]string{w.CommA1: "12001", w.CommA2: "12002", w.CommB1: "11001"}

	type row struct {
		name   string
		method string
		// path builds the request path, after any setup the call needs.
		path func() string
		body func(i int) any
		want [8]int
		// check looks at the answer and the database after a call.
		check func(t *testing.T, i, status int, body map[string]any)
	}
	var rows []row
	read := func(target int64, want [8]int, maskedFor ...int) row {
		return row{name: fmt.Sprintf("get %d", target), method: "GET", path: func() string { return person(target) }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				if status == 200 && (body["id"] != float64(target) || body["masked"] != slices.Contains(maskedFor, i)) {
					t.Fatalf("body %v", body)
				}
			}}
	}
	patch := func(target int64, want [8]int) row {
		return row{name: fmt.Sprintf("patch %d", target), method: "PATCH", path: func() string { return person(target) },
			body: func(i int) any { return map[string]any{"village": fmt.Sprintf("Bản %d", i)} }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				stored := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND village = $2`, target, fmt.Sprintf("Bản %d", i))
				if (status == 200) != (stored == 1) {
					t.Fatalf("status %d, stored %d", status, stored)
				}
			}}
	}
	create := func(commune int64, want [8]int) row {
		name := func(i int) string { return fmt.Sprintf("Người Thử %c%c", 'A'+rune(i), 'a'+rune(commune%26)) }
		return row{name: fmt.Sprintf("create in %d", commune), method: "POST", path: func() string { return "/api/v1/people" },
			body: func(i int) any { return map[string]any{"full_name": name(i), "commune_id": commune} }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				stored := e.exec(`SELECT count(*) FROM people WHERE full_name = $1`, name(i))
				if (status == 201) != (stored == 1) {
					t.Fatalf("status %d, stored %d", status, stored)
				}
			}}
	}
	importRow := func(commune int64, want [8]int, creates [8]bool) row {
		return row{name: fmt.Sprintf("import dry run into %d", commune), method: "IMPORT", path: func() string { return "/api/v1/people/import?dry_run=true" },
			body: func(i int) any { return "ho_ten,ma_xa\nLò Văn Nhập," + codeOf[commune] + "\n" }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				if status == 200 && (body["created"] == float64(1)) != creates[i] {
					t.Fatalf("import answer %v, want created=%v", body, creates[i])
				}
			}}
	}
	// similar asks for people like target (by name in upper case, commune,
	// no birth year); finds says who gets target back.
	similar := func(target int64, name string, commune int64, want [8]int, finds [8]bool) row {
		return row{name: fmt.Sprintf("similar to %d", target), method: "GET",
			path: func() string {
				return "/api/v1/people/similar?full_name=" + url.QueryEscape(strings.ToUpper(name)) + fmt.Sprintf("&commune_id=%d", commune)
			},
			want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				if status != 200 {
					return
				}
				items, _ := body["items"].([]any)
				found := len(items) == 1 && items[0].(map[string]any)["id"] == float64(target)
				if found != finds[i] || (!found && len(items) != 0) {
					t.Fatalf("similar answered %v, want found=%v", items, finds[i])
				}
			}}
	}
	// setActive deactivates (or, after a deactivation in SQL, reactivates)
	// target, and puts it back.
	setActive := func(target int64, verb string, want [8]int) row {
		return row{name: fmt.Sprintf("%s %d", verb, target), method: "POST", want: want,
			path: func() string {
				e.exec(`UPDATE people SET active = $2 WHERE id = $1`, target, verb != "activate")
				return person(target) + "/" + verb
			},
			check: func(t *testing.T, i, status int, body map[string]any) {
				action := map[string]string{"activate": "person_activated", "deactivate": "person_deactivated"}[verb]
				n := e.exec(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = $2 AND actor_id IS NOT DISTINCT FROM $3`, target, action, callers[i].pid())
				stored := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND active = $2`, target, verb == "activate")
				if (status == 200) != (n == 1 && stored == 1) || (status == 200 && body["active"] != (verb == "activate")) {
					t.Fatalf("status %d, %d audit rows, stored %d, body %v", status, n, stored, body)
				}
				e.exec(`UPDATE people SET active = true WHERE id = $1`, target)
			}}
	}
	// merge merges a fresh duplicate living in target's commune into target.
	merge := func(target, commune int64, want [8]int) row {
		var dup int64
		return row{name: fmt.Sprintf("merge into %d", target), method: "POST",
			path: func() string {
				name := "Bản Sao Gộp"
				dup = e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, village)
					VALUES ($1, 'Gộp', '\x00', $2, 'ban sao gop', $3, 'Bản Gộp') RETURNING id`, name, strings.ToLower(name), commune)
				e.exec(`UPDATE people SET village = '' WHERE id = $1`, target)
				return person(target) + "/merge"
			},
			body: func(int) any { return map[string]any{"from_id": dup} }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				merged := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND NOT active AND merged_into_id = $2`, dup, target)
				filled := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND village = 'Bản Gộp'`, target)
				audited := e.exec(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'people_merged' AND (changes->>'merged_id')::bigint = $2`, target, dup)
				if (status == 200) != (merged == 1 && filled == 1 && audited == 1) {
					t.Fatalf("status %d: merged %d, filled %d, audited %d", status, merged, filled, audited)
				}
			}}
	}
	grant := func(target int64, want [8]int) row {
		return row{name: fmt.Sprintf("grant learner to %d", target), method: "POST", path: func() string { return person(target) + "/roles" },
			body: func(int) any { return map[string]any{"role": "learner", "centre_id": centreOf[target]} }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				active := e.exec(`SELECT count(*) FROM role_grants WHERE person_id = $1 AND revoked_at IS NULL`, target)
				if (status == 201) != (active == 1) {
					t.Fatalf("status %d, %d active grants", status, active)
				}
				e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1`, target)
			}}
	}
	revoke := func(target int64, want [8]int) row {
		var grantID int64
		return row{name: fmt.Sprintf("revoke learner of %d", target), method: "DELETE", want: want,
			path: func() string {
				grantID = e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2) RETURNING id`, target, centreOf[target])
				return fmt.Sprintf("%s/roles/%d", person(target), grantID)
			},
			check: func(t *testing.T, i, status int, body map[string]any) {
				revoked := e.exec(`SELECT count(*) FROM role_grants WHERE id = $1 AND revoked_at IS NOT NULL`, grantID)
				if (status == 204) != (revoked == 1) {
					t.Fatalf("status %d, revoked %d", status, revoked)
				}
				e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1`, target)
			}}
	}
	account := func(target int64, want [8]int) row {
		return row{name: fmt.Sprintf("set password of %d", target), method: "POST", path: func() string { return person(target) + "/account" },
			body: func(i int) any { return map[string]any{"password": fmt.Sprintf("mật khẩu số %d", i)} }, want: want,
			check: func(t *testing.T, i, status int, body map[string]any) {
				n := e.exec(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action IN ('account_created', 'password_reset') AND actor_id IS NOT DISTINCT FROM $2`,
					target, callers[i].pid())
				if (status == 204) != (n == 1) {
					t.Fatalf("status %d, %d audit rows", status, n)
				}
			}}
	}
	const admin, offA, offA1, mgrA1, teacher, learner, mgrB1 = 0, 1, 2, 3, 4, 5, 6
	// Targets holding each role, all living in commune A1 (issue 7.1): a
	// caller changes them only when their authority covers every role the
	// target holds; the others read them masked and not editable.
	type roleTarget struct {
		name   string
		id     int64
		covers [8]bool
	}
	roleTargets := []roleTarget{
		{"admin", w.Admin.PersonID, [8]bool{admin: true}},
		{"officer_province_A", w.OfficerA.PersonID, [8]bool{admin: true, offA: true}},
		{"officer_commune_A1", w.OfficerA1.PersonID, [8]bool{admin: true, offA: true, offA1: true}},
		{"manager_A1", w.ManagerA1.PersonID, [8]bool{admin: true, offA: true, offA1: true}},
		{"teacher_A1", w.TeacherA1.PersonID, [8]bool{admin: true, offA: true, offA1: true, mgrA1: true}},
		{"learner_A1", w.LearnerA1.PersonID, [8]bool{admin: true, offA: true, offA1: true, mgrA1: true}},
	}
	// writeWant is the status of a change of rt: ok when covered, 403 when
	// read (the learner reads only themselves), 404 otherwise.
	writeWant := func(rt roleTarget, ok int) [8]int {
		var want [8]int
		for i := range want {
			switch {
			case i == 7:
				want[i] = 401
			case rt.covers[i]:
				want[i] = ok
			case i == mgrB1 || (i == learner && rt.id != w.LearnerA1.PersonID):
				want[i] = 404
			default:
				want[i] = 403
			}
		}
		return want
	}
	// readWant: every caller who reads commune A1 sees every target.
	readWant := func(rt roleTarget) [8]int {
		want := [8]int{200, 200, 200, 200, 200, 404, 404, 401}
		if rt.id == w.LearnerA1.PersonID {
			want[learner] = 200
		}
		return want
	}
	phoneOf := func(id int64) string {
		return fmt.Sprintf("0%d", e.exec(`SELECT phone::bigint FROM people WHERE id = $1`, id))
	}
	for _, rt := range roleTargets {
		rows = append(rows,
			row{name: "get role holder " + rt.name, method: "GET", path: func() string { return person(rt.id) }, want: readWant(rt),
				check: func(t *testing.T, i, status int, body map[string]any) {
					if status != 200 {
						return
					}
					self := callers[i].pid() == any(rt.id)
					// A manager edits their own profile (domain.Principal.CanEditProfile).
					editable := rt.covers[i] || (self && i == mgrA1)
					if body["editable"] != editable || body["masked"] != (!rt.covers[i] && !self) || (body["masked"] == true && body["phone"] == phoneOf(rt.id)) {
						t.Fatalf("editable %v masked %v phone %v; covers %v", body["editable"], body["masked"], body["phone"], rt.covers[i])
					}
				}},
			row{name: "patch role holder " + rt.name, method: "PATCH", path: func() string { return person(rt.id) },
				body: func(i int) any {
					return map[string]any{"village": fmt.Sprintf("Thôn %d", i), "email": fmt.Sprintf("chiem%d.%d@example.vn", rt.id, i)}
				},
				want: func() [8]int {
					want := writeWant(rt, 200)
					if rt.id == w.ManagerA1.PersonID {
						want[mgrA1] = 200 // their own profile; their password and roles stay out of reach
					}
					return want
				}(),
				check: func(t *testing.T, i, status int, body map[string]any) {
					stored := e.exec(`SELECT count(*) FROM people WHERE id = $1 AND email = $2`, rt.id, fmt.Sprintf("chiem%d.%d@example.vn", rt.id, i))
					if (status == 200) != (stored == 1) {
						t.Fatalf("status %d, stored %d", status, stored)
					}
				}},
			row{name: "set password of role holder " + rt.name, method: "POST", path: func() string { return person(rt.id) + "/account" },
				body: func(i int) any { return map[string]any{"password": fmt.Sprintf("chiếm tài khoản %d", i)} }, want: writeWant(rt, 204),
				check: func(t *testing.T, i, status int, body map[string]any) {
					n := e.exec(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action IN ('account_created', 'password_reset') AND actor_id IS NOT DISTINCT FROM $2`,
						rt.id, callers[i].pid())
					if (status == 204) != (n == 1) {
						t.Fatalf("status %d, %d audit rows", status, n)
					}
				}},
			row{name: "grant learner to role holder " + rt.name, method: "POST",
				path: func() string {
					// A failed row earlier must not leave the grant behind.
					e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1 AND role = 'learner' AND centre_id = $2`, rt.id, w.CentreA1)
					return person(rt.id) + "/roles"
				},
				body: func(int) any { return map[string]any{"role": "learner", "centre_id": w.CentreA1} }, want: writeWant(rt, 201),
				check: func(t *testing.T, i, status int, body map[string]any) {
					q := `SELECT count(*) FROM role_grants WHERE person_id = $1 AND role = 'learner' AND centre_id = $2 AND revoked_at IS NULL`
					if active := e.exec(q, rt.id, w.CentreA1); (status == 201) != (active == 1) {
						t.Fatalf("status %d, %d active grants", status, active)
					}
					e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1 AND role = 'learner' AND centre_id = $2`, rt.id, w.CentreA1)
				}},
		)
		var grantID int64
		rows = append(rows, row{name: "revoke learner of role holder " + rt.name, method: "DELETE", want: writeWant(rt, 204),
			path: func() string {
				e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1 AND role = 'learner' AND centre_id = $2`, rt.id, w.CentreA1)
				grantID = e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2) RETURNING id`, rt.id, w.CentreA1)
				return fmt.Sprintf("%s/roles/%d", person(rt.id), grantID)
			},
			check: func(t *testing.T, i, status int, body map[string]any) {
				revoked := e.exec(`SELECT count(*) FROM role_grants WHERE id = $1 AND revoked_at IS NOT NULL`, grantID)
				if (status == 204) != (revoked == 1) {
					t.Fatalf("status %d, revoked %d", status, revoked)
				}
				e.exec(`UPDATE role_grants SET revoked_at = now() WHERE id = $1`, grantID)
			}})
		importWant := [8]int{200, 200, 200, 200, 403, 403, 200, 401}
		rows = append(rows, row{name: "import row matching role holder " + rt.name, method: "IMPORT", want: importWant,
			path: func() string { return "/api/v1/people/import?dry_run=true" },
			body: func(i int) any {
				return fmt.Sprintf("ho_ten,ma_xa,so_dien_thoai,thon\nNgười Chiếm,12001,%s,Bản %d\n", phoneOf(rt.id), i)
			},
			check: func(t *testing.T, i, status int, body map[string]any) {
				if status != 200 {
					return
				}
				errs, _ := body["errors"].([]any)
				refused := len(errs) == 1 && errs[0].(map[string]any)["code"] == "person_not_editable"
				if rt.covers[i] == refused || (body["updated"] == float64(1)) != rt.covers[i] {
					t.Fatalf("import answer %v; covers %v", body, rt.covers[i])
				}
			}})
	}
	rows = append(rows,
		row{name: "me", method: "GET", path: func() string { return "/api/v1/me" }, want: [8]int{200, 200, 200, 200, 200, 200, 200, 401},
			check: func(t *testing.T, i, status int, body map[string]any) {
				if p, _ := body["person"].(map[string]any); status == 200 && p["id"] != float64(callers[i].pid().(int64)) {
					t.Fatalf("me is %v", p)
				}
			}},
		row{name: "list", method: "GET", path: func() string { return "/api/v1/people?page_size=100" }, want: [8]int{200, 200, 200, 200, 200, 200, 200, 401},
			check: func(t *testing.T, i, status int, body map[string]any) {
				if status != 200 {
					return
				}
				a1 := []int64{w.Admin.PersonID, w.OfficerA.PersonID, w.OfficerA1.PersonID, w.ManagerA1.PersonID, w.TeacherA1.PersonID, w.LearnerA1.PersonID, w.ResidentA1}
				b1 := []int64{w.ManagerB1.PersonID, w.ResidentB1}
				want := [][]int64{
					append(append(slices.Clone(a1), w.ResidentA2), b1...), append(slices.Clone(a1), w.ResidentA2), a1, a1, a1,
					{w.LearnerA1.PersonID}, b1,
				}[i]
				var got []int64
				for _, it := range body["items"].([]any) {
					got = append(got, int64(it.(map[string]any)["id"].(float64)))
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) || body["total"] != float64(len(want)) {
					t.Fatalf("list ids %v (total %v), want exactly %v", got, body["total"], want)
				}
			}},
		read(w.ResidentA1, [8]int{200, 200, 200, 200, 200, 404, 404, 401}, teacher),
		read(w.ResidentA2, [8]int{200, 200, 404, 404, 404, 404, 404, 401}),
		read(w.ResidentB1, [8]int{200, 404, 404, 404, 404, 404, 200, 401}),
		create(w.CommA1, [8]int{201, 201, 201, 201, 403, 403, 403, 401}),
		create(w.CommA2, [8]int{201, 201, 403, 403, 403, 403, 403, 401}),
		create(w.CommB1, [8]int{201, 403, 403, 403, 403, 403, 201, 401}),
		similar(w.ResidentA1, "Đặng Thị Ánh", w.CommA1, [8]int{200, 200, 200, 200, 403, 403, 200, 401}, [8]bool{admin: true, offA: true, offA1: true, mgrA1: true}),
		similar(w.ResidentB1, "Lò Thị Thanh", w.CommB1, [8]int{200, 200, 200, 200, 403, 403, 200, 401}, [8]bool{admin: true, mgrB1: true}),
		patch(w.ResidentA1, [8]int{200, 200, 200, 200, 403, 404, 404, 401}),
		patch(w.ResidentA2, [8]int{200, 200, 404, 404, 404, 404, 404, 401}),
		patch(w.ResidentB1, [8]int{200, 404, 404, 404, 404, 404, 200, 401}),
		importRow(w.CommA1, [8]int{200, 200, 200, 200, 403, 403, 200, 401}, [8]bool{admin: true, offA: true, offA1: true, mgrA1: true}),
		importRow(w.CommB1, [8]int{200, 200, 200, 200, 403, 403, 200, 401}, [8]bool{admin: true, mgrB1: true}),
		grant(w.ResidentA1, [8]int{201, 201, 201, 201, 403, 404, 404, 401}),
		grant(w.ResidentA2, [8]int{201, 201, 404, 404, 404, 404, 404, 401}),
		grant(w.ResidentB1, [8]int{201, 404, 404, 404, 404, 404, 201, 401}),
		revoke(w.ResidentA1, [8]int{204, 204, 204, 204, 403, 404, 404, 401}),
		revoke(w.ResidentA2, [8]int{204, 204, 404, 404, 404, 404, 404, 401}),
		revoke(w.ResidentB1, [8]int{204, 404, 404, 404, 404, 404, 204, 401}),
		account(w.ResidentA1, [8]int{204, 204, 204, 204, 403, 404, 404, 401}),
		account(w.ResidentA2, [8]int{204, 204, 404, 404, 404, 404, 404, 401}),
		account(w.ResidentB1, [8]int{204, 404, 404, 404, 404, 404, 204, 401}),
		setActive(w.ResidentA1, "deactivate", [8]int{200, 200, 200, 200, 403, 404, 404, 401}),
		setActive(w.ResidentA2, "deactivate", [8]int{200, 200, 404, 404, 404, 404, 404, 401}),
		setActive(w.ResidentB1, "deactivate", [8]int{200, 404, 404, 404, 404, 404, 200, 401}),
		merge(w.ResidentA1, w.CommA1, [8]int{200, 200, 200, 200, 403, 404, 404, 401}),
		merge(w.ResidentA2, w.CommA2, [8]int{200, 200, 404, 404, 404, 404, 404, 401}),
		merge(w.ResidentB1, w.CommB1, [8]int{200, 404, 404, 404, 404, 404, 200, 401}),
		setActive(w.ResidentA1, "activate", [8]int{200, 200, 200, 200, 403, 404, 404, 401}),
		setActive(w.ResidentA2, "activate", [8]int{200, 200, 404, 404, 404, 404, 404, 401}),
		setActive(w.ResidentB1, "activate", [8]int{200, 404, 404, 404, 404, 404, 200, 401}),
		row{name: "audit", method: "GET", path: func() string { return fmt.Sprintf("/api/v1/audit?entity=person&entity_id=%d", w.ResidentB1) },
			want: [8]int{200, 403, 403, 403, 403, 403, 403, 401}},
	)
	// Holders of every role, deactivated, reactivated and merged into by
	// those who cover them; nobody deactivates themselves (access tokens
	// stay valid until they expire, so the later rows keep their callers).
	for _, rt := range roleTargets {
		deactivate := writeWant(rt, 200)
		for i, c := range callers {
			if c.p != nil && c.p.PersonID == rt.id {
				deactivate[i] = 403
			}
		}
		rows = append(rows, setActive(rt.id, "deactivate", deactivate), setActive(rt.id, "activate", writeWant(rt, 200)),
			merge(rt.id, w.CommA1, writeWant(rt, 200)))
	}
	for _, rw := range rows {
		for i, c := range callers {
			t.Run(rw.name+"/"+c.name, func(t *testing.T) {
				path := rw.path()
				var status int
				var body map[string]any
				if rw.method == "IMPORT" {
					req := httptest.NewRequest("POST", path, bytes.NewReader([]byte(rw.body(i).(string))))
					req.Header.Set("Content-Type", "text/csv")
					if tokens[i] != "" {
						req.Header.Set("Authorization", "Bearer "+tokens[i])
					}
					status, body = e.do(req)
				} else {
					var b any
					if rw.body != nil {
						b = rw.body(i)
					}
					status, body = e.call(rw.method, path, tokens[i], b)
				}
				if status != rw.want[i] {
					t.Fatalf("%s %s as %s: %d, want %d; %v", rw.method, path, c.name, status, rw.want[i], body)
				}
				if status >= 400 && (body["code"] == "" || body["message"] == "") {
					t.Fatalf("error body %v", body)
				}
				if rw.check != nil {
					rw.check(t, i, status, body)
				}
			})
		}
	}
}

// peopleCaller is one column of the table.
type peopleCaller struct {
	name string
	p    *domain.Principal
}

// pid is the caller's person id, or nil for the anonymous caller.
func (c peopleCaller) pid() any {
	if c.p == nil {
		return nil
	}
	return c.p.PersonID
}
