package people_test

import (
	"context"
	"testing"

	"densach/domain"
)

// TestSimilar finds a person by name, birth year and commune only when all
// three agree, whatever the letter case.
func TestSimilar(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.signIn(kAdmin)
	p := w.newPerson(kResident)
	w.ID(`UPDATE people SET birth_year = 1990 WHERE id = $1`, p.ID)
	tests := []struct {
		name    string
		full    string
		year    int
		commune int64
		found   bool
	}{
		{"same", p.Name, 1990, w.CommA1, true},
		{"upper case", "  NGƯỜI  " + p.Name[len("Người "):], 1990, w.CommA1, true},
		{"other year", p.Name, 1991, w.CommA1, false},
		{"no year", p.Name, 0, w.CommA1, false},
		{"other commune", p.Name, 1990, w.CommA2, false},
		{"other name", p.Name + " Hai", 1990, w.CommA1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.svc.Similar(ctx, admin, tt.full, tt.year, tt.commune)
			if err != nil {
				t.Fatal(err)
			}
			if found := len(got) == 1 && got[0].ID == p.ID; found != tt.found || (!found && len(got) != 0) {
				t.Fatalf("Similar(%q, %d) = %+v, want found %v", tt.full, tt.year, got, tt.found)
			}
		})
	}
	invalid := []struct {
		name, field string
		full        string
		year        int
		commune     int64
	}{
		{"no name", "full_name", " ", 1990, w.CommA1},
		{"year out of range", "birth_year", p.Name, 1800, w.CommA1},
		{"no commune", "commune_id", p.Name, 1990, 0},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Similar(ctx, admin, tt.full, tt.year, tt.commune)
			e := domain.AsError(err)
			if domain.ErrorCode(err) != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("Similar: %v, want a field error on %s", err, tt.field)
			}
		})
	}
}
