package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// BenchmarkPeopleListPages lists 100,000 people (imported from a generated
// file) page by page as an administrator, and reports the last page's time
// as a ratio to the first page's (issue 7.13: within 2×). Each iteration
// reads, in turn: the first page as the web app asks for it (with the total
// counted), the first page without the count, the last page by cursor, and
// for comparison the last page by OFFSET, which the API no longer offers.
// Medians are reported, so a stall of the shared machine does not decide.
func BenchmarkPeopleListPages(b *testing.B) {
	db, err := postgres.Open(pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var prov int64
	if err := db.SQL().QueryRow(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`).Scan(&prov); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01')`, prov); err != nil {
		b.Fatal(err)
	}
	const n, size = 100_000, 20
	file, err := domain.ParsePeopleCSV(generatedFile(n, "12001"), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	store := postgres.NewPeople(db)
	if res, err := store.ImportPeople(ctx, domain.Actor{}, allowAll{}, file, false); err != nil || res.Created != n {
		b.Fatalf("import: %+v %v", res.Created, err)
	}
	if _, err := db.SQL().Exec(`VACUUM ANALYZE people`); err != nil {
		b.Fatal(err)
	}
	// The position just before the last page.
	var last domain.PeopleCursor
	if err := db.SQL().QueryRow(`SELECT sort_key, id FROM people ORDER BY sort_key, id OFFSET $1 LIMIT 1`, n-size-1).Scan(&last.SortKey, &last.ID); err != nil {
		b.Fatal(err)
	}
	all := domain.Filter{All: true}
	queries := []struct {
		name string
		q    domain.PeopleQuery
		want int
	}{
		{"first", domain.PeopleQuery{Page: 1, PageSize: size, Count: true}, size},
		{"first-nocount", domain.PeopleQuery{Page: 1, PageSize: size}, size},
		{"last", domain.PeopleQuery{Page: 1, PageSize: size, After: &last}, size},
		{"offset-last", domain.PeopleQuery{Page: n / size, PageSize: size}, size},
	}
	times := make([][]time.Duration, len(queries))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range queries {
			k := (i + j) % len(queries) // rotate the order so drift hits all alike
			start := time.Now()
			page, err := store.ListPeople(ctx, all, all, queries[k].q)
			times[k] = append(times[k], time.Since(start))
			if err != nil || len(page.Items) != queries[k].want {
				b.Fatalf("%s: %d items, %v", queries[k].name, len(page.Items), err)
			}
			if queries[k].name == "last" && page.Next != nil {
				b.Fatal("the last page has a next cursor")
			}
		}
	}
	b.StopTimer()
	p50 := make([]float64, len(queries))
	for k, q := range queries {
		slices.Sort(times[k])
		p50[k] = float64(times[k][len(times[k])/2].Nanoseconds())
		b.ReportMetric(p50[k], q.name+"-p50-ns")
	}
	b.ReportMetric(p50[2]/p50[0], "last/first")
	b.ReportMetric(p50[2]/p50[1], "last/first-nocount")
	b.ReportMetric(p50[3]/p50[1], "offset-last/first-nocount")
}
