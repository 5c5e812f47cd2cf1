package people_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/people"
)

// TestCommuneCurrentOnVietnamsDay: a person is placed, and an import's rows
// go, only in a commune current today in Vietnam by the service's clock.
// A commune that ended on 30 June 2025 still is at 23:30 ICT that day, no
// longer at 00:30 ICT on 1 July (17:30 UTC on 30 June).
func TestCommuneCurrentOnVietnamsDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.signIn(kAdmin)
	ended := w.ID(`INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('12900', 'Bản Cũ', 'commune', $1, '2000-01-01', '2025-06-30') RETURNING id`, w.ProvA)
	for i, c := range []struct {
		at time.Time
		ok bool
	}{
		{time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC), true},
		{time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC), false},
	} {
		w.svc.Now = func() time.Time { return c.at }
		at := c.at.Format(time.RFC3339)
		name, phone := "Lò Văn Cũ", []string{"0912345601", "0912345602"}[i]
		_, err := w.svc.Create(ctx, admin, domain.PersonChanges{FullName: &name, CommuneID: &ended, Phone: &phone}, "")
		if c.ok && err != nil {
			t.Errorf("at %s: creating a person in the commune: %v", at, err)
		}
		if !c.ok && !hasField(err, "commune_id", "commune_unknown") {
			t.Errorf("at %s: creating a person in the commune: %v, want commune_unknown", at, err)
		}
		_, err = w.svc.Import(ctx, admin, []byte("ho_ten\nLò Thị Mới\n"), people.ImportOptions{DryRun: true, CommuneID: ended})
		if c.ok && err != nil {
			t.Errorf("at %s: importing into the commune: %v", at, err)
		}
		if !c.ok && !hasField(err, "commune_id", "commune_unknown") {
			t.Errorf("at %s: importing into the commune: %v, want commune_unknown", at, err)
		}
	}
}

func hasField(err error, field, code string) bool {
	e := domain.AsError(err)
	if e == nil {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code {
			return true
		}
	}
	return false
}
