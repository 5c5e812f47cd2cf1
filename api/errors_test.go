package api

import (
	"testing"

	"densach/domain"
)

// TestErrorBodyCarriesKeysAndParams: the error body names its message by key
// and its field errors by code with params, and the messages are the
// catalogue's Vietnamese text.
func TestErrorBodyCarriesKeysAndParams(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.Admin)

	status, body := e.call("GET", "/api/v1/nothing-here", tok, nil)
	if status != 404 || body["key"] != "route_not_found" || body["message"] != domain.Message("route_not_found", nil) {
		t.Errorf("unknown route: %d %v", status, body)
	}

	status, body = e.call("POST", "/api/v1/people", tok, map[string]any{"full_name": " ", "phone": "0123456789", "commune_id": e.w.CommA1})
	if status != 422 || body["key"] != domain.KeyInvalidFields || body["message"] != domain.Message(domain.KeyInvalidFields, nil) {
		t.Fatalf("invalid person: %d %v", status, body)
	}
	type want struct {
		message string
		params  map[string]any
	}
	wants := map[string]want{
		"full_name/name_required": {domain.Message("name_required", domain.Params{"max": 100}), map[string]any{"max": float64(100)}},
		"phone/phone_prefix":      {domain.Message("phone_prefix", nil), nil},
	}
	fields, _ := body["fields"].([]any)
	if len(fields) != len(wants) {
		t.Fatalf("fields %v, want %d", fields, len(wants))
	}
	for _, x := range fields {
		f := x.(map[string]any)
		id := f["field"].(string) + "/" + f["code"].(string)
		w, ok := wants[id]
		if !ok || f["message"] != w.message || w.message == "" {
			t.Errorf("field error %v, want %s %q", f, id, w.message)
			continue
		}
		params, _ := f["params"].(map[string]any)
		if len(params) != len(w.params) || (w.params != nil && params["max"] != w.params["max"]) {
			t.Errorf("%s params %v, want %v", id, f["params"], w.params)
		}
	}
}
