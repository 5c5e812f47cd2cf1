package postgres_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
)

// The instants either side of Vietnam's midnight between 30 June and
// 1 July 2025 (the day the merged units ended): 23:30 ICT on the 30th, and
// 00:30 ICT on the 1st, which is still the 30th in UTC (17:30 UTC).
var (
	lastEvening  = time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC)
	firstMorning = time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)
)

// vnDayFixture: a current province, a province and a commune that ended on
// 30 June 2025, and a commune that ends on 1 July 2025.
type vnDayFixture struct {
	db                                          *postgres.DB
	prov, endedProv, endedCommune, endsJuly1Com int64
}

func newVNDayFixture(t *testing.T) *vnDayFixture {
	db := openDB(t)
	f := &vnDayFixture{db: db}
	f.prov = one(t, db, `INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2004-01-01') RETURNING id`)
	f.endedProv = one(t, db, `INSERT INTO units (code, name, kind, valid_from, valid_to) VALUES ('02', 'Hà Giang', 'province', '1991-10-01', '2025-06-30') RETURNING id`)
	f.endedCommune = one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('03387', 'Tân Phong cũ', 'ward', $1, '2000-01-01', '2025-06-30') RETURNING id`, f.prov)
	f.endsJuly1Com = one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('03390', 'Bản Giang', 'commune', $1, '2000-01-01', '2025-07-01') RETURNING id`, f.prov)
	return f
}

// TestUnitsCurrentOnVietnamsDay: which units are current is decided on the
// day in Vietnam passed from the use case's clock, not on the database's
// current_date: at 23:30 ICT on 30 June a unit ending that day is current,
// at 00:30 ICT on 1 July (17:30 UTC on 30 June) it is not.
func TestUnitsCurrentOnVietnamsDay(t *testing.T) {
	f := newVNDayFixture(t)
	ctx := context.Background()
	units := postgres.NewUnits(f.db)
	courses := postgres.NewCourses(f.db)

	listed := func(at time.Time) map[string]bool {
		t.Helper()
		us, err := units.ListUnits(ctx, domain.UnitFilter{Today: domain.Today(at)})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, u := range us {
			out[u.Code] = true
		}
		return out
	}
	for _, c := range []struct {
		at           time.Time
		ended, july1 bool // whether the units ending 30 June and 1 July are current
		label        string
	}{
		{lastEvening, true, true, "23:30 ICT 30 June"},
		{firstMorning, false, true, "00:30 ICT 1 July"},
		{time.Date(2025, 7, 1, 17, 0, 0, 0, time.UTC), false, false, "00:00 ICT 2 July"},
	} {
		today := domain.Today(c.at)
		got := listed(c.at)
		if got["02"] != c.ended || got["03387"] != c.ended || got["03390"] != c.july1 || !got["12"] {
			t.Errorf("%s: listed %v, want ended-30-June %v, ends-1-July %v", c.label, got, c.ended, c.july1)
		}
		area, err := units.UnitArea(ctx, f.endedCommune, today)
		if c.ended && (err != nil || area.CommuneID != f.endedCommune || area.ProvinceID != f.prov) {
			t.Errorf("%s: UnitArea of the commune ending 30 June: %+v, %v; want it located", c.label, area, err)
		}
		if !c.ended && domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("%s: UnitArea of the commune ending 30 June: %+v, %v; want CodeInvalid", c.label, area, err)
		}
		ok, err := courses.IsProvince(ctx, f.endedProv, today)
		if err != nil || ok != c.ended {
			t.Errorf("%s: IsProvince of the province ending 30 June: %v, %v; want %v", c.label, ok, err, c.ended)
		}
	}
	if _, err := units.ListUnits(ctx, domain.UnitFilter{}); err == nil {
		t.Error("current units listed without a day")
	}
	if us, err := units.ListUnits(ctx, domain.UnitFilter{IncludeExpired: true}); err != nil || len(us) != 4 {
		t.Errorf("every unit: %d, %v", len(us), err)
	}
}

// TestImportCommunesOnVietnamsDay: an import resolves commune codes against
// the units current on Vietnam's day when the file was read.
func TestImportCommunesOnVietnamsDay(t *testing.T) {
	f := newVNDayFixture(t)
	ctx := context.Background()
	store := postgres.NewPeople(f.db)
	data := []byte("ho_ten;nam_sinh;gioi_tinh;ma_xa;cccd;so_dien_thoai\r\nLò Văn Bình;1980;Nam;03387;;0912000001\r\n")
	for _, c := range []struct {
		at      time.Time
		created int
		label   string
	}{{firstMorning, 0, "00:30 ICT 1 July"}, {lastEvening, 1, "23:30 ICT 30 June"}} {
		file, err := domain.ParsePeopleCSV(data, c.at)
		if err != nil || len(file.Rows) != 1 {
			t.Fatalf("%s: parse: %v, %d rows", c.label, err, len(file.Rows))
		}
		res, err := store.ImportPeople(ctx, domain.Actor{}, allowAll{}, file, true)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != c.created || len(res.Errors) != 1-c.created {
			t.Errorf("%s: created %d, errors %+v; want %d created", c.label, res.Created, res.Errors, c.created)
		}
	}
}

// TestPurgeDisclosureCountsOnVietnamsDay: the purge keeps the disclosure
// counters of today and yesterday in Vietnam (the days they are counted
// on), also in the hours when UTC is still on the day before.
func TestPurgeDisclosureCountsOnVietnamsDay(t *testing.T) {
	f := newVNDayFixture(t)
	person := one(t, f.db, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn A', 'A', '\x00', 'lò văn a', 'lo van a', $1) RETURNING id`, f.prov)
	one(t, f.db, `INSERT INTO disclosure_counts (person_id, day, answers) VALUES ($1, '2025-06-29', 1), ($1, '2025-06-30', 2), ($1, '2025-07-01', 3) RETURNING 1`, person)
	if _, err := f.db.PurgeRequestRecordsAt(context.Background(), firstMorning); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.SQL().Query(`SELECT day::text FROM disclosure_counts ORDER BY day`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		days = append(days, d)
	}
	if strings.Join(days, ",") != "2025-06-30,2025-07-01" {
		t.Errorf("left after the purge at 00:30 ICT 1 July: %v, want 30 June and 1 July", days)
	}
}

// TestPlacesGuardOnVietnamsDay: the database's guard on centres and
// branches (migration 00030) asks whether the unit has ended on Vietnam's
// day, whatever the session's TimeZone. A session 12 hours behind UTC is a
// day behind Vietnam from 00:00 to 19:00 ICT and one 14 hours ahead a day
// ahead from 17:00 to 24:00 ICT, so with current_date one of them would
// decide wrongly at any hour of the run.
func TestPlacesGuardOnVietnamsDay(t *testing.T) {
	f := newVNDayFixture(t)
	ctx := context.Background()
	for _, zone := range []string{"Etc/GMT+12", "UTC", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"} {
		tx, err := f.db.SQL().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		// now() is the transaction's start: the units and the guard see
		// the same instant.
		if err := exec(`SET LOCAL TimeZone = '` + zone + `'`); err != nil {
			t.Fatal(err)
		}
		var ended, current int64
		for code, days := range map[string]int{"09001": -1, "09002": 0} {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to)
				VALUES ($1, 'Thử', 'commune', $2, '2000-01-01', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + $3::int) RETURNING id`, code, f.prov, days).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			if days < 0 {
				ended = id
			} else {
				current = id
			}
		}
		if err := exec(`SAVEPOINT s`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`INSERT INTO centres (unit_id, name) VALUES ($1, 'Thử')`, ended); err == nil || !strings.Contains(err.Error(), "must stand in a current commune-level unit") {
			t.Errorf("TimeZone %s: a centre in a commune that ended yesterday in Vietnam: %v, want the guard's check violation", zone, err)
		}
		if err := exec(`ROLLBACK TO SAVEPOINT s`); err != nil {
			t.Fatal(err)
		}
		if err := exec(`INSERT INTO branches (unit_id, name) VALUES ($1, 'Thử')`, current); err != nil {
			t.Errorf("TimeZone %s: a branch in a commune that ends today in Vietnam: %v", zone, err)
		}
		if err := tx.Rollback(); err != nil && err != sql.ErrTxDone {
			t.Fatal(err)
		}
	}
}
