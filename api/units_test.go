package api

import (
	"fmt"
	"testing"
)

// A merge creates the new unit, closes its predecessors the day before and
// links them, so that history still rolls up into today's unit.
func TestUnitMergeKeepsHistory(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.Admin)
	status, body := e.call("POST", "/api/v1/units", tok, map[string]any{
		"code": "12900", "name": "Tân Đoàn", "kind": "ward", "parent_id": e.w.ProvA,
		"valid_from": "2026-01-01", "predecessor_ids": []int64{e.w.CommA1, e.w.CommA2},
	})
	if status != 201 {
		t.Fatalf("create merged unit: %d %v", status, body)
	}
	merged := int64(body["id"].(float64))
	for _, old := range []int64{e.w.CommA1, e.w.CommA2} {
		status, u := e.call("GET", fmt.Sprintf("/api/v1/units/%d", old), tok, nil)
		if status != 200 || u["valid_to"] != "2025-12-31" {
			t.Errorf("predecessor %d: %d valid_to=%v, want 2025-12-31", old, status, u["valid_to"])
		}
		succ, _ := u["successor_ids"].([]any)
		if len(succ) != 1 || int64(succ[0].(float64)) != merged {
			t.Errorf("predecessor %d successors = %v, want [%d]", old, u["successor_ids"], merged)
		}
	}
	names := func(query string) map[string]bool {
		_, list := e.call("GET", "/api/v1/units?parent_id="+fmt.Sprint(e.w.ProvA)+query, tok, nil)
		out := map[string]bool{}
		for _, it := range list["items"].([]any) {
			out[it.(map[string]any)["name"].(string)] = true
		}
		return out
	}
	current := names("")
	if !current["Tân Đoàn"] || current["Tân Phong"] || current["Đoàn Kết"] {
		t.Errorf("current units = %v, want the merged ward and not its predecessors", current)
	}
	all := names("&include_expired=true")
	if !all["Tân Phong"] || !all["Đoàn Kết"] || !all["Tân Đoàn"] {
		t.Errorf("units with history = %v", all)
	}
	status, body = e.call("POST", "/api/v1/units", tok, map[string]any{"code": "12900", "name": "Trùng mã", "kind": "ward", "parent_id": e.w.ProvA, "valid_from": "2026-01-01"})
	if status != 409 {
		t.Errorf("a second current unit with the same code: %d %v", status, body)
	}
	status, body = e.call("POST", "/api/v1/centres", tok, map[string]any{"unit_id": e.w.CommA1, "name": "TTHTCĐ mới"})
	if status != 422 {
		t.Errorf("a centre in a ward that has ended: %d %v", status, body)
	}
	for name, preds := range map[string][]int64{"already closed": {e.w.CommA1}, "unknown": {999999}} {
		status, body = e.call("POST", "/api/v1/units", tok, map[string]any{"code": "12901", "name": "Sáp nhập " + name, "kind": "ward",
			"parent_id": e.w.ProvA, "valid_from": "2026-02-01", "predecessor_ids": preds})
		if status != 422 {
			t.Errorf("a merge of an %s predecessor: %d %v", name, status, body)
		}
	}
	status, body = e.call("POST", "/api/v1/units", tok, map[string]any{"code": "99", "name": "Tỉnh", "kind": "province", "parent_id": e.w.ProvA, "valid_from": "2026-01-01"})
	if status != 422 {
		t.Errorf("a province with a parent: %d %v", status, body)
	}
}

// TestUnitPlacement (issue 7, point 8): a commune-level unit's parent is a
// current province, and nothing new is placed under an ended unit; each
// refusal is 422 naming parent_id and why, and nothing is stored.
func TestUnitPlacement(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.Admin)
	endedProv := e.exec(`INSERT INTO units (code, name, kind, valid_from, valid_to) VALUES ('02', 'Hà Giang', 'province', '1991-10-01', '2025-06-30') RETURNING id`)
	for _, tc := range []struct {
		name, kind, fieldCode string
		parent                int64
	}{
		{"commune under a ward", "commune", "parent_not_province", e.w.CommA1},
		{"ward under a ward", "ward", "parent_not_province", e.w.CommB1},
		{"special zone under a ward", "special_zone", "parent_not_province", e.w.CommA2},
		{"commune under an ended province", "commune", "parent_ended", endedProv},
		{"town under an ended province", "town", "parent_ended", endedProv},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := fmt.Sprintf("P%d%s", tc.parent, tc.kind)
			status, body := e.call("POST", "/api/v1/units", tok, map[string]any{"code": code, "name": "Xã thử", "kind": tc.kind, "parent_id": tc.parent, "valid_from": "2026-01-01"})
			fields, _ := body["fields"].([]any)
			if status != 422 || len(fields) != 1 || fields[0].(map[string]any)["field"] != "parent_id" || fields[0].(map[string]any)["code"] != tc.fieldCode {
				t.Fatalf("status %d %v; want 422 on parent_id with %s", status, body, tc.fieldCode)
			}
			if n := e.exec(`SELECT count(*) FROM units WHERE code = $1`, code); n != 0 {
				t.Fatalf("refused, yet stored")
			}
		})
	}
	for _, v := range []string{"yes", "1", "TRUE", "%00"} {
		if status, body := e.call("GET", "/api/v1/units?include_expired="+v, tok, nil); status != 422 {
			t.Errorf("include_expired=%s: %d %v, want 422", v, status, body)
		}
	}
}
