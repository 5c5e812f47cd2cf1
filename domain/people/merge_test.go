package people_test

import (
	"context"
	"testing"

	"densach/domain"
)

// TestMergeRefused lists the merges refused before anything is written.
func TestMergeRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.signIn(kAdmin)
	keep := w.newPerson(kResident)
	withAccount := w.newPerson(kResident)
	w.ID(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x'), ($2, 'y')`, keep.ID, withAccount.ID)
	tests := []struct {
		name         string
		keep, from   int64
		code         domain.Code
		field, fcode string
	}{
		{"no duplicate named", keep.ID, 0, domain.CodeInvalid, "from_id", "id_invalid"},
		{"the same person", keep.ID, keep.ID, domain.CodeInvalid, "from_id", "merge_same_person"},
		{"oneself merged away", keep.ID, admin.PersonID, domain.CodeForbidden, "", ""},
		{"both with an account", keep.ID, withAccount.ID, domain.CodeConflict, "", ""},
		{"unknown duplicate", keep.ID, 999_999_999, domain.CodeNotFound, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Merge(ctx, admin, tt.keep, tt.from)
			if codeOf(err) != tt.code {
				t.Fatalf("merge: %v, want %q", err, tt.code)
			}
			if tt.field != "" {
				f := domain.AsError(err).Fields
				if len(f) != 1 || f[0].Field != tt.field || f[0].Code != tt.fcode {
					t.Fatalf("fields %+v, want %s %s", f, tt.field, tt.fcode)
				}
			}
			if n := w.ID(`SELECT count(*) FROM people WHERE merged_into_id IS NOT NULL`); n != 0 {
				t.Fatalf("a refused merge merged %d", n)
			}
		})
	}
}
