package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"densach/domain/classes"
)

// fetchICal GETs a feed's path through the real HTTP stack.
func (e *testEnv) fetchICal(path string, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// parsedFeed is a feed read back by another iCalendar library than the one
// that wrote it (github.com/emersion/go-ical), which must also accept it
// for writing again (its encoder checks each component's required and
// single properties).
type parsedFeed struct {
	cal    *goical.Calendar
	events map[string]goical.Event // by UID
}

func parseFeed(t *testing.T, body []byte) parsedFeed {
	t.Helper()
	// Physical lines: CRLF, at most 75 octets, each valid UTF-8 (a fold
	// never splits a character), none empty.
	lines := strings.Split(string(body), "\r\n")
	if lines[len(lines)-1] != "" {
		t.Fatalf("the feed does not end with CRLF")
	}
	for _, l := range lines[:len(lines)-1] {
		if len(l) > 75 || !utf8.ValidString(l) || l == "" || strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line of %d octets, valid UTF-8 %v: %q", len(l), utf8.ValidString(l), l)
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the feed: %v\n%s", err, body)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("go-ical finds the feed invalid: %v", err)
	}
	out := parsedFeed{cal: cal, events: map[string]goical.Event{}}
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(goical.PropUID)
		if err != nil || uid == "" {
			t.Fatalf("event without UID: %v", err)
		}
		if _, dup := out.events[uid]; dup {
			t.Fatalf("UID %s twice", uid)
		}
		out.events[uid] = ev
	}
	return out
}

func (p parsedFeed) text(t *testing.T, uid, prop string) string {
	t.Helper()
	ev, ok := p.events[uid]
	if !ok {
		t.Fatalf("no event %s", uid)
	}
	pr := ev.Props.Get(prop)
	if pr == nil {
		t.Fatalf("%s has no %s", uid, prop)
	}
	if pr.ValueType() != goical.ValueText {
		return pr.Value // SEQUENCE is an integer
	}
	s, err := pr.Text()
	if err != nil {
		t.Fatalf("%s %s: %v", uid, prop, err)
	}
	return s
}

func (p parsedFeed) start(t *testing.T, uid string) (time.Time, time.Time) {
	t.Helper()
	ev := p.events[uid]
	s, err := ev.DateTimeStart(classes.Zone)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ev.DateTimeEnd(classes.Zone)
	if err != nil {
		t.Fatal(err)
	}
	return s.In(classes.Zone), e.In(classes.Zone)
}

// TestICalFeedHTTP: a learner makes a link to their schedule, a calendar
// application fetches it and reads it with another parser; the manager
// moves, re-places and switches a session (same UID, SEQUENCE up each
// time), cancels one (STATUS:CANCELLED), then cancels the class; the
// learner revokes the link and it answers 404.
func TestICalFeedHTTP(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Classes
	d := publishedCourse(t, e, w.CentreA1)
	v1, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: w.CentreA1, Name: "Nhà văn hoá bản Nà Lại", Address: "Tổ 5; phường Tân Phong, Lai Châu", Capacity: 30})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: w.CentreA1, Name: "Trường Tiểu học Đoàn Kết", Capacity: 40})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(classes.Zone)
	civil := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	in := classes.ClassInput{CentreID: w.CentreA1, CourseID: d.ID, Title: "Tin học ứng dụng – lớp tối, bản Nà Lại", Mode: classes.ModeBlended, VenueID: v1.ID,
		Capacity: 20, StartsOn: civil.AddDate(0, 0, -10), EndsOn: civil.AddDate(0, 6, 0), MeetingURL: "https://meet.example.org/tin-hoc?lop=1&buoi=2",
		TeacherIDs: []int64{w.TeacherA1.PersonID}}
	c, err := cs.CreateClass(ctx, w.Admin, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Status = classes.StatusOpen
	if c, err = cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
		t.Fatal(err)
	}
	day := today.AddDate(0, 0, 3)
	at := time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, classes.Zone)
	s1, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute), Mode: classes.ModeInPerson,
		TeacherID: w.TeacherA1.PersonID})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at.AddDate(0, 0, 2), EndsAt: at.AddDate(0, 0, 2).Add(time.Hour), Mode: classes.ModeOnline})
	if err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by) VALUES ($1, $2, $3, $4, 'active', 'staff', $1)`,
		w.LearnerA1.PersonID, c.CourseID, c.VersionID, c.ID)
	learner, manager := e.token(w.LearnerA1), e.token(w.ManagerA1)

	st, f := e.call("POST", "/api/v1/calendar-feeds", learner, map[string]any{"kind": "learner", "subject_id": w.LearnerA1.PersonID})
	url, _ := f["url"].(string)
	if st != 201 || f["kind"] != "learner" || f["subject_name"] != "Lù Văn Học" || !strings.HasPrefix(url, "http://example.com/ical/") || !strings.HasSuffix(url, ".ics") {
		t.Fatalf("create: %d %v", st, f)
	}
	path := strings.TrimPrefix(url, "http://example.com")
	tok := strings.TrimSuffix(strings.TrimPrefix(path, "/ical/"), ".ics")
	if len(tok) != 43 {
		t.Fatalf("token %q", tok)
	}
	// Made with an Idempotency-Key (as the web app does): the answer, which
	// holds the token, is not kept for replays.
	req := httptest.NewRequest("POST", "/api/v1/calendar-feeds", strings.NewReader(fmt.Sprintf(`{"kind":"learner","subject_id":%d}`, w.LearnerA1.PersonID)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+learner)
	req.Header.Set(HeaderIdempotencyKey, "feed-key-1")
	st, keyed := e.do(req)
	if st != 201 || keyed["url"] == nil {
		t.Fatalf("keyed create: %d %v", st, keyed)
	}
	keyedTok := strings.TrimSuffix(strings.TrimPrefix(keyed["url"].(string), "http://example.com/ical/"), ".ics")
	if n := e.exec(`SELECT count(*) FROM idempotency_keys WHERE position($1::bytea in coalesce(body, '')) > 0 OR position($2::bytea in coalesce(body, '')) > 0`,
		[]byte(tok), []byte(keyedTok)); n != 0 {
		t.Fatalf("%d stored answers hold a token", n)
	}
	if st, _ := e.call("DELETE", fmt.Sprintf("/api/v1/calendar-feeds/%v", keyed["id"]), learner, nil); st != 204 {
		t.Fatalf("revoke the keyed one: %d", st)
	}
	st, list := e.call("GET", "/api/v1/calendar-feeds", learner, nil)
	items, _ := list["items"].([]any)
	if st != 200 || len(items) != 1 || items[0].(map[string]any)["url"] != nil || items[0].(map[string]any)["id"] != f["id"] {
		t.Fatalf("list: %d %v (the url is shown only at creation)", st, list)
	}

	uid1, uid2 := fmt.Sprintf("session-%d@densach", s1.ID), fmt.Sprintf("session-%d@densach", s2.ID)
	fetch := func() (parsedFeed, string) {
		t.Helper()
		resp, body := e.fetchICal(path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" || resp.Header.Get("Last-Modified") == "" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "private") {
			t.Fatalf("fetch: %d %v\n%s", resp.StatusCode, resp.Header, body)
		}
		return parseFeed(t, body), resp.Header.Get("ETag")
	}
	p, etag := fetch()
	if testing.Verbose() {
		_, body := e.fetchICal(path)
		t.Logf("%s", body)
	}
	for prop, want := range map[string]string{goical.PropVersion: "2.0", goical.PropMethod: "PUBLISH", goical.PropProductID: "-//Den Sach//Lich lop hoc//VI",
		"X-WR-CALNAME": "Lịch học · Lù Văn Học", "X-WR-TIMEZONE": "Asia/Ho_Chi_Minh"} {
		if got, err := p.cal.Props.Text(prop); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", prop, got, err, want)
		}
	}
	if len(p.events) != 2 {
		t.Fatalf("%d events", len(p.events))
	}
	start, end := p.start(t, uid1)
	if start.Hour() != 19 || start.Minute() != 0 || !start.Equal(at) || end.Sub(start) != 90*time.Minute {
		t.Fatalf("session 1 from %v to %v, want %v", start, end, at)
	}
	for prop, want := range map[string]string{goical.PropSummary: "Tin học ứng dụng – lớp tối, bản Nà Lại", goical.PropSequence: "0", goical.PropStatus: "CONFIRMED",
		goical.PropLocation: "Nhà văn hoá bản Nà Lại, Tổ 5; phường Tân Phong, Lai Châu"} {
		if got := p.text(t, uid1, prop); got != want {
			t.Errorf("session 1 %s = %q, want %q", prop, got, want)
		}
	}
	if desc := p.text(t, uid1, goical.PropDescription); !strings.Contains(desc, "Giáo viên: Trần Thị Giáo") || !strings.Contains(desc, "Trung tâm: TTHTCĐ phường Tân Phong") ||
		!strings.Contains(desc, "Hình thức: Trực tiếp\n") {
		t.Errorf("session 1 description %q", desc)
	}
	if _, err := p.events[uid1].Props.DateTime(goical.PropDateTimeStamp, nil); err != nil {
		t.Errorf("DTSTAMP: %v", err)
	}
	if got := p.text(t, uid2, goical.PropLocation); got != "https://meet.example.org/tin-hoc?lop=1&buoi=2" {
		t.Errorf("online location %q", got)
	}
	if u, err := p.events[uid2].Props.URI(goical.PropURL); err != nil || u.String() != "https://meet.example.org/tin-hoc?lop=1&buoi=2" {
		t.Errorf("online URL %v %v", u, err)
	}
	if desc := p.text(t, uid2, goical.PropDescription); !strings.Contains(desc, "Link học trực tuyến: https://meet.example.org/tin-hoc?lop=1&buoi=2") {
		t.Errorf("online description %q", desc)
	}
	// Unchanged: 304 for the same ETag.
	if resp, body := e.fetchICal(path, "If-None-Match", etag); resp.StatusCode != 304 || len(body) != 0 {
		t.Fatalf("If-None-Match: %d %s", resp.StatusCode, body)
	}
	// Compressed for a client that asks, as its own representation.
	resp, gzBody := e.fetchICal(path, "Accept-Encoding", "gzip")
	zr, err := gzip.NewReader(bytes.NewReader(gzBody))
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") == etag {
		t.Fatalf("gzip: %v %v", err, resp.Header)
	}
	plain, _ := io.ReadAll(zr)
	if _, body := e.fetchICal(path); !bytes.Equal(plain, body) || len(gzBody) >= len(body) {
		t.Fatalf("the compressed feed (%d bytes) is not the feed (%d bytes)", len(gzBody), len(body))
	}
	if resp, _ := e.fetchICal(path, "Accept-Encoding", "gzip", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != 304 {
		t.Fatalf("If-None-Match, compressed: %d", resp.StatusCode)
	}

	// Every change bumps SEQUENCE under the same UID.
	seq := 0
	change := func(what string, method, target string, body map[string]any) parsedFeed {
		t.Helper()
		if st, out := e.call(method, target, manager, body); st != 200 {
			t.Fatalf("%s: %d %v", what, st, out)
		}
		p, next := fetch()
		if next == etag {
			t.Fatalf("%s: the ETag did not change", what)
		}
		etag = next
		seq++
		if got := p.text(t, uid1, goical.PropSequence); got != fmt.Sprint(seq) {
			t.Fatalf("%s: SEQUENCE %s, want %d", what, got, seq)
		}
		return p
	}
	s1path := fmt.Sprintf("/api/v1/sessions/%d", s1.ID)
	p = change("move", "PATCH", s1path, map[string]any{"starts_at": at.Add(time.Hour).Format(time.RFC3339), "ends_at": at.Add(150 * time.Minute).Format(time.RFC3339)})
	if start, _ := p.start(t, uid1); start.Hour() != 20 {
		t.Fatalf("moved to %v", start)
	}
	p = change("venue", "PATCH", s1path, map[string]any{"venue_id": v2.ID})
	if got := p.text(t, uid1, goical.PropLocation); got != "Trường Tiểu học Đoàn Kết" {
		t.Fatalf("new venue %q", got)
	}
	p = change("mode", "PATCH", s1path, map[string]any{"mode": "online"})
	if got := p.text(t, uid1, goical.PropLocation); !strings.HasPrefix(got, "https://meet.example.org/") {
		t.Fatalf("online now at %q", got)
	}
	second := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Thị Ơn', 'Ơn', 'on lo thi', 'lò thị ơn', 'lo thi on', $1) RETURNING id`, w.CommA1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, second, w.CentreA1)
	in.TeacherIDs = []int64{w.TeacherA1.PersonID, second}
	if _, err := cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
		t.Fatal(err)
	}
	p = change("teacher", "PATCH", s1path, map[string]any{"teacher_id": second})
	if desc := p.text(t, uid1, goical.PropDescription); !strings.Contains(desc, "Giáo viên: Lò Thị Ơn") {
		t.Fatalf("new teacher: %q", desc)
	}
	p = change("cancel", "POST", s1path+"/cancel", map[string]any{"reason": "Mưa lũ, đường vào bản bị sạt"})
	if got := p.text(t, uid1, goical.PropStatus); got != "CANCELLED" {
		t.Fatalf("STATUS %s", got)
	}
	if got := p.text(t, uid1, goical.PropSummary); got != "Đã huỷ: Tin học ứng dụng – lớp tối, bản Nà Lại" {
		t.Fatalf("cancelled summary %q", got)
	}
	if desc := p.text(t, uid1, goical.PropDescription); !strings.Contains(desc, "Lý do: Mưa lũ, đường vào bản bị sạt") {
		t.Fatalf("cancelled description %q", desc)
	}
	if got := p.text(t, uid2, goical.PropSequence); got != "0" {
		t.Fatalf("the other session's SEQUENCE %s", got)
	}
	// Cancelling the class cancels its sessions to come: each one's
	// SEQUENCE goes up.
	in.Status, in.CancelReason = classes.StatusCancelled, "Không đủ học viên"
	if _, err := cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
		t.Fatal(err)
	}
	p, _ = fetch()
	if p.text(t, uid2, goical.PropStatus) != "CANCELLED" || p.text(t, uid2, goical.PropSequence) != "1" {
		t.Fatalf("after the class's cancellation: %s %s", p.text(t, uid2, goical.PropStatus), p.text(t, uid2, goical.PropSequence))
	}

	// Revoked: 404, bare, at once.
	if st, out := e.call("DELETE", fmt.Sprintf("/api/v1/calendar-feeds/%v", f["id"]), learner, nil); st != 204 {
		t.Fatalf("revoke: %d %v", st, out)
	}
	resp, body := e.fetchICal(path)
	if resp.StatusCode != 404 || strings.Contains(string(body), "{") || strings.Contains(strings.ToLower(string(body)), "revoked") {
		t.Fatalf("after revocation: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.fetchICal(path, "If-None-Match", etag); resp.StatusCode != 404 {
		t.Fatalf("after revocation, with the old ETag: %d", resp.StatusCode)
	}
	for _, bad := range []string{"/ical/x.ics", "/ical/" + strings.Repeat("A", 43) + ".ics", "/ical/%2e%2e%2f.ics"} {
		if resp, _ := e.fetchICal(bad); resp.StatusCode != 404 {
			t.Fatalf("%s: %d", bad, resp.StatusCode)
		}
	}
}

// TestICalTokenNotLogged: the access log names the feed's route, never its
// token.
func TestICalTokenNotLogged(t *testing.T) {
	var logs syncBuffer
	e := newTestEnvWith(t, envOptions{Log: &logs})
	st, f := e.call("POST", "/api/v1/calendar-feeds", e.token(e.w.LearnerA1), map[string]any{"kind": "learner", "subject_id": e.w.LearnerA1.PersonID})
	if st != 201 {
		t.Fatalf("create: %d %v", st, f)
	}
	path := strings.TrimPrefix(f["url"].(string), "http://example.com")
	tok := strings.TrimSuffix(strings.TrimPrefix(path, "/ical/"), ".ics")
	if resp, _ := e.fetchICal(path); resp.StatusCode != 200 {
		t.Fatalf("fetch: %d", resp.StatusCode)
	}
	if resp, _ := e.fetchICal("/ical/" + strings.Repeat("x", 43) + ".ics"); resp.StatusCode != 404 {
		t.Fatalf("unknown: %d", resp.StatusCode)
	}
	n := 0
	for _, l := range logs.lines(t) {
		raw := fmt.Sprint(l)
		if strings.Contains(raw, tok) || strings.Contains(raw, strings.Repeat("x", 43)) {
			t.Fatalf("a log line holds a token: %v", l)
		}
		if l["path"] == "/ical/{token}.ics" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d access log lines of the feed route, want 2", n)
	}
}
