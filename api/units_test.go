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
