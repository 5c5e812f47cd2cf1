package api

import (
	"net/http"
	"testing"
)

// TestAuthzSummary is the authorization table of the home pages' counts:
// every signed-in role reads them, each inside their own scope, and the
// figures are exactly what that scope holds (the fixture world: provinces A
// with communes A1, A2 and B with B1; a centre in each commune; a branch in
// A1 and B1; seven people with accounts and roles, three residents).
func TestAuthzSummary(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	e.exec(`INSERT INTO branches (unit_id, name) VALUES ($1, 'Chi hội Tân Phong')`, w.CommA1)
	e.exec(`INSERT INTO branches (unit_id, name) VALUES ($1, 'Chi hội Mường Thanh')`, w.CommB1)
	type want struct {
		provinces                 map[string]float64 // code → communes
		communes, centres, branch float64
		people, accounts          float64
		admin, officer, manager   float64
		teacher, learner          float64
		byCommune, byCentre       map[string]float64 // name → people (the entries checked)
	}
	inA1 := want{provinces: map[string]float64{"12": 1}, communes: 1, centres: 1, branch: 1, people: 7, accounts: 6, admin: 1, officer: 2, manager: 1, teacher: 1, learner: 1,
		byCommune: map[string]float64{"Tân Phong": 7}, byCentre: map[string]float64{"TTHTCĐ phường Tân Phong": 2}}
	centreA1 := want{provinces: map[string]float64{}, centres: 1, people: 7, accounts: 6, admin: 1, officer: 2, manager: 1, teacher: 1, learner: 1,
		byCentre: map[string]float64{"TTHTCĐ phường Tân Phong": 2}}
	wants := map[string]want{
		"admin": {provinces: map[string]float64{"11": 1, "12": 2}, communes: 3, centres: 3, branch: 2, people: 10, accounts: 7, admin: 1, officer: 2, manager: 2, teacher: 1, learner: 1,
			byCommune: map[string]float64{"Tân Phong": 7, "Đoàn Kết": 1, "Mường Thanh": 2}, byCentre: map[string]float64{"TTHTCĐ phường Tân Phong": 2, "TTHTCĐ phường Đoàn Kết": 0, "TTHTCĐ phường Mường Thanh": 1}},
		"officer_province_A": {provinces: map[string]float64{"12": 2}, communes: 2, centres: 2, branch: 1, people: 8, accounts: 6, admin: 1, officer: 2, manager: 1, teacher: 1, learner: 1,
			byCommune: map[string]float64{"Tân Phong": 7, "Đoàn Kết": 1}, byCentre: map[string]float64{"TTHTCĐ phường Tân Phong": 2, "TTHTCĐ phường Đoàn Kết": 0}},
		"officer_commune_A1": inA1,
		"manager_A1":         centreA1,
		"teacher_A1":         {provinces: map[string]float64{}, people: 7, accounts: 6, admin: 1, officer: 2, manager: 1, teacher: 1, learner: 1},
		"learner_A1":         {provinces: map[string]float64{}, people: 1, accounts: 1, learner: 1},
		"manager_B1":         {provinces: map[string]float64{}, centres: 1, people: 2, accounts: 1, manager: 1, byCentre: map[string]float64{"TTHTCĐ phường Mường Thanh": 1}},
	}
	for _, r := range authzRoles(w) {
		t.Run(r.name, func(t *testing.T) {
			token := ""
			if r.p != nil {
				token = e.token(*r.p)
			}
			status, got := e.call("GET", "/api/v1/summary", token, nil)
			if r.p == nil {
				if status != http.StatusUnauthorized {
					t.Fatalf("without a token: %d %v", status, got)
				}
				checkAuthzBody(t, status, got, 0)
				return
			}
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, got)
			}
			wt := wants[r.name]
			provs, _ := got["provinces"].([]any)
			gotProvs := map[string]float64{}
			for _, p := range provs {
				m := p.(map[string]any)
				gotProvs[m["code"].(string)] = m["communes"].(float64)
			}
			if len(gotProvs) != len(wt.provinces) {
				t.Errorf("provinces %v, want %v", gotProvs, wt.provinces)
			}
			for code, n := range wt.provinces {
				if gotProvs[code] != n {
					t.Errorf("province %s: %v communes, want %v", code, gotProvs[code], n)
				}
			}
			roles, _ := got["roles"].(map[string]any)
			for name, pair := range map[string][2]any{
				"communes": {got["communes"], wt.communes}, "centres": {got["centres"], wt.centres}, "branches": {got["branches"], wt.branch},
				"people": {got["people"], wt.people}, "accounts": {got["accounts"], wt.accounts},
				"admin": {roles["admin"], wt.admin}, "officer": {roles["officer"], wt.officer}, "manager": {roles["manager"], wt.manager},
				"teacher": {roles["teacher"], wt.teacher}, "learner": {roles["learner"], wt.learner},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s: %v, want %v", name, pair[0], pair[1])
				}
			}
			// The breakdowns list exactly the communes and centres counted
			// above, each with the people registered there.
			for _, b := range []struct {
				key   string
				n     float64
				byKey map[string]float64
			}{{"by_commune", wt.communes, wt.byCommune}, {"by_centre", wt.centres, wt.byCentre}} {
				list, ok := got[b.key].([]any)
				if !ok || float64(len(list)) != b.n {
					t.Errorf("%s: %v, want %v entries", b.key, got[b.key], b.n)
					continue
				}
				gotBy := map[string]float64{}
				for _, x := range list {
					m := x.(map[string]any)
					gotBy[m["name"].(string)] = m["people"].(float64)
				}
				for name, n := range b.byKey {
					if gotBy[name] != n {
						t.Errorf("%s %q: %v people, want %v (all: %v)", b.key, name, gotBy[name], n, gotBy)
					}
				}
			}
		})
	}
}

// TestSummaryLeavesOutInactivePeople: a deactivated (or merged-away) record
// is nobody's figure, in the totals and in every breakdown.
func TestSummaryLeavesOutInactivePeople(t *testing.T) {
	e := newTestEnv(t)
	count := func() map[string]any {
		status, body := e.call("GET", "/api/v1/summary", e.token(e.w.Admin), nil)
		if status != 200 {
			t.Fatalf("summary: %d %v", status, body)
		}
		return body
	}
	before := count()
	e.exec(`UPDATE people SET active = false WHERE id = $1`, e.w.ResidentB1)
	after := count()
	if after["people"] != before["people"].(float64)-1 {
		t.Fatalf("people %v after deactivating one of %v", after["people"], before["people"])
	}
}
