package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/catalogue"
	"densach/storage/postgres"
)

// The speed target (issue 9, bench/README.md): with 5,000 published courses
// across 40 communes, the catalogue search's p99 latency at 100 concurrent
// clients through the real HTTP server (a TCP listener, every middleware, a
// real token, JSON) is at most 2× the p99 of the same search run without
// HTTP — the store method, postgres.(*Catalogue).SearchCatalogue, called by
// 100 concurrent goroutines — both measured in the same run, in alternating
// rounds, over the same pool of database connections.

const (
	benchCommunes       = 40
	benchCourses        = 5000
	benchClients        = 100
	benchRequestsPerRun = 10 // per client and side, in each round
)

// benchCatalogueTopics and benchCatalogueFor make realistic titles: a
// topic, an audience and a number, so that a search matches a slice of the
// catalogue, not all of it nor one course.
var (
	benchCatalogueTopics = []string{"Kỹ năng số cơ bản", "Sử dụng điện thoại thông minh", "Dịch vụ công trực tuyến", "Thanh toán không dùng tiền mặt",
		"Phòng chống lừa đảo trên mạng", "Trồng chè an toàn", "Chăn nuôi gà thả vườn", "Trồng lúa theo VietGAP", "Chăm sóc sức khỏe ban đầu",
		"Pháp luật về đất đai", "Xóa mù chữ", "Dệt thổ cẩm", "Du lịch cộng đồng", "Bán hàng qua mạng", "An toàn giao thông", "Tin học văn phòng"}
	benchCatalogueFor = []string{"cho người dân", "cho phụ nữ", "cho người cao tuổi", "cho thanh niên", "cho cán bộ thôn bản", "cho hội viên"}
	benchCatalogueCat = []string{"digital_skills", "digital_skills", "digital_skills", "digital_skills", "digital_skills", "agriculture", "agriculture",
		"agriculture", "health", "law", "literacy", "culture", "livelihoods", "livelihoods", "other", "digital_skills"}
)

// seedCatalogueBench stores 40 communes of province A with a centre each and
// 5,000 published courses spread over them, in a few set-based statements.
func seedCatalogueBench(b testing.TB, e *testEnv) {
	b.Helper()
	w := e.w
	e.exec(`INSERT INTO units (code, name, kind, parent_id, valid_from)
		SELECT '12' || lpad(g::text, 3, '0'), 'Xã thử ' || g, 'commune', $1, '2025-07-01' FROM generate_series(100, 99 + $2) g`, w.ProvA, benchCommunes)
	e.exec(`INSERT INTO centres (unit_id, name) SELECT id, 'TTHTCĐ ' || name FROM units WHERE name LIKE 'Xã thử %'`)
	var centres, titles, summaries, folded, cats, modes []string
	modeNames := []string{domain.ModeBlended, domain.ModeInPerson, domain.ModeOnline}
	for i := range benchCourses {
		topic := i % len(benchCatalogueTopics)
		title := fmt.Sprintf("%s %s (khóa %d)", benchCatalogueTopics[topic], benchCatalogueFor[i/len(benchCatalogueTopics)%len(benchCatalogueFor)], i)
		summary := "Khóa học gắn với " + strings.ToLower(benchCatalogueTopics[(topic+3)%len(benchCatalogueTopics)]) + ", học tại trung tâm học tập cộng đồng."
		centres = append(centres, fmt.Sprint(i%benchCommunes))
		titles, summaries = append(titles, title), append(summaries, summary)
		folded = append(folded, domain.FoldForSearch(title+" "+summary))
		cats, modes = append(cats, benchCatalogueCat[topic]), append(modes, modeNames[i%3])
	}
	author := w.ManagerA1.PersonID
	e.exec(`WITH cs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM centres WHERE name LIKE 'TTHTCĐ Xã thử %')
		INSERT INTO courses (centre_id, created_by)
		SELECT cs.id, $2 FROM unnest($1::int[]) WITH ORDINALITY AS s(centre, ord) JOIN cs ON cs.n = s.centre ORDER BY s.ord`,
		"{"+strings.Join(centres, ",")+"}", author)
	e.exec(`WITH c AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM courses)
		INSERT INTO course_versions (course_id, title, summary, category_code, mode, search_text, created_by)
		SELECT c.id, s.title, s.summary, s.cat, s.mode, s.folded, $6
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS s(title, summary, folded, cat, mode, ord)
		JOIN c ON c.n = s.ord`, pgArray(titles), pgArray(summaries), pgArray(folded), pgArray(cats), pgArray(modes), author)
	// Two TT 02 tags per course, some with a level; then publish.
	e.exec(`INSERT INTO course_tags (version_id, competence_id, level_step)
		SELECT v.id, k.id, CASE WHEN v.id % 2 = 0 THEN 1 END FROM course_versions v
		JOIN competences k ON k.code IN ('1.1', CASE WHEN v.id % 3 = 0 THEN '2.1' ELSE '4.2' END)`)
	e.exec(`UPDATE course_versions SET number = 1, published_at = now() - (id || ' minutes')::interval, published_by = created_by`)
	e.exec(`UPDATE courses c SET status = 'published', published_version_id = v.id FROM course_versions v WHERE v.course_id = c.id`)
	e.exec(`VACUUM ANALYZE`)
}

// pgArray writes strings as a PostgreSQL text array literal.
func pgArray(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return "{" + strings.Join(quoted, ",") + "}"
}

// BenchmarkCatalogueSearchRatio measures, in each round, 100 clients × 10
// searches through the real HTTP server and 100 goroutines × 10 calls of the
// store method, in alternating order, as a province officer (the widest
// scope short of an administrator: 40 communes' centres and the library)
// searching "dien thoai" (one course in eight matches: a sixteenth in the
// title, as many in the summary), 20 per page. It reports both p99s and their ratio, the figure
// the target bounds, with the p50s for context.
func BenchmarkCatalogueSearchRatio(b *testing.B) {
	e := newTestEnv(b)
	seedCatalogueBench(b, e)
	store := postgres.NewCatalogue(e.db)
	officer := e.w.OfficerA
	const search = "dien thoai"
	scope := catalogue.Scope(officer)
	query := domain.CatalogueQuery{Search: domain.FoldForSearch(search), Limit: 20}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	b.Cleanup(func() { _ = e.srv.App().Shutdown() })
	url := "http://" + ln.Addr().String() + "/api/v1/catalogue?q=" + strings.ReplaceAll(search, " ", "+") + "&page_size=20"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients, DisableCompression: true}}
	auth := "Bearer " + e.token(officer)
	viaHTTP := func() ([]byte, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", auth)
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		return body, err
	}
	direct := func() (domain.CataloguePage, error) { return store.SearchCatalogue(context.Background(), scope, query) }

	// Both sides must answer the same courses before anything is timed.
	page, err := direct()
	if err != nil {
		b.Fatal(err)
	}
	body, err := viaHTTP()
	if err != nil {
		b.Fatal(err)
	}
	var answered cataloguePage
	if err := json.Unmarshal(body, &answered); err != nil {
		b.Fatal(err)
	}
	var want, got []int64
	for _, it := range page.Items {
		want = append(want, it.CourseID)
	}
	for _, it := range answered.Items {
		got = append(got, it.CourseID)
	}
	if len(want) != 20 || !slices.Equal(want, got) {
		b.Fatalf("the two sides answer differently: store %v, HTTP %v", want, got)
	}

	run := func(f func() error) []time.Duration {
		lat, _ := concurrently(b, benchClients, benchRequestsPerRun, func(int) error { return f() })
		return lat
	}
	httpSide := func() error { _, err := viaHTTP(); return err }
	directSide := func() error { _, err := direct(); return err }
	run(httpSide) // warm-up: connections, caches, plans (untimed)
	run(directSide)

	var httpLat, directLat []time.Duration
	round := 0
	for b.Loop() {
		if round%2 == 0 {
			httpLat = append(httpLat, run(httpSide)...)
			directLat = append(directLat, run(directSide)...)
		} else {
			directLat = append(directLat, run(directSide)...)
			httpLat = append(httpLat, run(httpSide)...)
		}
		round++
	}
	hp99, dp99 := percentile(httpLat, 99), percentile(directLat, 99)
	b.ReportMetric(float64(hp99.Nanoseconds()), "http-p99-ns")
	b.ReportMetric(float64(dp99.Nanoseconds()), "direct-p99-ns")
	b.ReportMetric(float64(percentile(httpLat, 50).Nanoseconds()), "http-p50-ns")
	b.ReportMetric(float64(percentile(directLat, 50).Nanoseconds()), "direct-p50-ns")
	b.ReportMetric(float64(hp99)/float64(dp99), "p99-ratio")
}

// concurrently has clients goroutines call f (with their number) each
// times, all starting together, and returns every call's latency (in
// blocks of each per client, each block in the client's order) and the
// wall time of the whole run.
func concurrently(b testing.TB, clients, each int, f func(client int) error) ([]time.Duration, time.Duration) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make([]time.Duration, 0, clients*each)
	start := make(chan struct{})
	for i := range clients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, each)
			<-start
			for range each {
				t0 := time.Now()
				if err := f(i); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			out = append(out, mine...)
			mu.Unlock()
		})
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	return out, time.Since(t0)
}

// percentile returns the p-th percentile (nearest rank) of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	return s[max(i, 0)]
}
