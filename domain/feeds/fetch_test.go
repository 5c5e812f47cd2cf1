package feeds_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"testing"
	"time"

	"densach/domain/classes"
	"densach/domain/feeds"
)

func sessionIDs(cal feeds.Calendar) []int64 {
	out := []int64{}
	for _, e := range cal.Events {
		out = append(out, e.SessionID)
	}
	return out
}

// TestFeedToken: a token is 32 random bytes in base64url (43 characters,
// 256 bits), different every time, and only its SHA-256 is stored.
func TestFeedToken(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	learner := w.signIn("learner_A1")
	seen := map[string]bool{}
	for range 20 {
		f, err := w.svc.Create(ctx, learner, feeds.KindLearner, learner.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(f.Token)
		if err != nil || len(f.Token) != 43 || len(raw) != 32 || seen[f.Token] {
			t.Fatalf("token %q: %v (seen %v)", f.Token, err, seen[f.Token])
		}
		seen[f.Token] = true
		var stored []byte
		if err := w.DB.SQL().QueryRow(`SELECT token_hash FROM calendar_feeds WHERE id = $1`, f.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		if !bytes.Equal(stored, sum[:]) || bytes.Contains(stored, raw) {
			t.Fatalf("stored %x, want the hash of the token", stored)
		}
		// The raw token is nowhere in the row, in any form.
		var found bool
		if err := w.DB.SQL().QueryRow(`SELECT position($1::text in calendar_feeds::text) > 0 OR position($2::bytea in token_hash) > 0
			FROM calendar_feeds WHERE id = $3`, f.Token, raw, f.ID).Scan(&found); err != nil || found {
			t.Fatalf("the token is stored: %v %v", found, err)
		}
	}
	// Bits: the 20 tokens' bytes are spread (no byte value dominates), a
	// coarse check that they are not a counter or a constant.
	counts := map[byte]int{}
	for tok := range seen {
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		for _, b := range raw {
			counts[b]++
		}
	}
	if len(counts) < 200 {
		t.Fatalf("640 token bytes take only %d values", len(counts))
	}
	// Anything that is not a token is not found, without a query to give
	// timing away… and a well-formed unknown one is not found either.
	for _, tok := range []string{"", "abc", "../../etc/passwd", base64.RawURLEncoding.EncodeToString(make([]byte, 31)),
		base64.RawURLEncoding.EncodeToString(make([]byte, 32))} {
		if _, err := w.svc.Fetch(ctx, tok); codeOf(err) != nf {
			t.Fatalf("fetch %q: %v", tok, err)
		}
	}
	// The limit of live links.
	for range feeds.MaxLive - 20 {
		if _, err := w.svc.Create(ctx, learner, feeds.KindLearner, learner.PersonID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.svc.Create(ctx, learner, feeds.KindLearner, learner.PersonID); keyOf(err) != "feed_limit" {
		t.Fatalf("past the limit: %v", err)
	}
}

// TestFeedContents: each kind shows its sessions in the window (60 days
// back, 400 ahead), cancelled ones too; a manager's feed of a teacher shows
// only the sessions of the centres the manager reads; the last fetch is
// recorded.
func TestFeedContents(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// A teacher of both centres, teaching a class at each.
	teacher := w.signIn("teacher_A1")
	w.Grant(teacher.PersonID, "teacher", nil, w.CentreB1)
	teacher, err := postgresPrincipal(t, w, teacher.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	managerA1, learner := w.signIn("manager_A1"), w.signIn("learner_A1")
	a1, b1 := w.place(w.CentreA1, teacher.PersonID), w.place(w.CentreB1, teacher.PersonID)
	old := w.session(a1, -70, teacher.PersonID) // out of the window
	past := w.session(a1, -30, teacher.PersonID)
	next := w.session(a1, 2, teacher.PersonID)
	far := w.session(a1, 399, teacher.PersonID)
	w.session(a1, 410, teacher.PersonID) // out of the window
	elsewhere := w.session(b1, 5, teacher.PersonID)
	untaught := w.session(a1, 6, 0) // no teacher named: the class's teachers see it
	if _, err := w.classes.CancelSession(ctx, w.admin, next.ID, "Mưa lũ, đường trơn"); err != nil {
		t.Fatal(err)
	}
	w.enrol(learner.PersonID, a1.class)
	_ = old

	get := func(kind feeds.Kind, owner, subject int64) feeds.Calendar {
		t.Helper()
		p, err := postgresPrincipal(t, w, owner)
		if err != nil {
			t.Fatal(err)
		}
		f, err := w.svc.Create(ctx, p, kind, subject)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := w.svc.Fetch(ctx, f.Token)
		if err != nil {
			t.Fatal(err)
		}
		return cal
	}
	inA1 := []int64{past.ID, next.ID, untaught.ID, far.ID}
	if got := sessionIDs(get(feeds.KindClass, teacher.PersonID, a1.class.ID)); !slices.Equal(got, inA1) {
		t.Fatalf("class feed %v, want %v", got, inA1)
	}
	mine := []int64{past.ID, next.ID, elsewhere.ID, untaught.ID, far.ID}
	if got := sessionIDs(get(feeds.KindTeacher, teacher.PersonID, teacher.PersonID)); !slices.Equal(got, mine) {
		t.Fatalf("the teacher's own feed %v, want %v", got, mine)
	}
	if got := sessionIDs(get(feeds.KindTeacher, managerA1.PersonID, teacher.PersonID)); !slices.Equal(got, inA1) {
		t.Fatalf("manager A1's feed of the teacher %v, want %v (not centre B1's)", got, inA1)
	}
	if got := sessionIDs(get(feeds.KindLearner, learner.PersonID, learner.PersonID)); !slices.Equal(got, inA1) {
		t.Fatalf("the learner's feed %v, want %v", got, inA1)
	}
	cal := get(feeds.KindVenue, managerA1.PersonID, a1.venue.ID)
	if got := sessionIDs(cal); !slices.Equal(got, inA1) {
		t.Fatalf("the venue's feed %v, want %v", got, inA1)
	}
	e := cal.Events[1]
	if !e.Cancelled || e.CancelReason != "Mưa lũ, đường trơn" || e.Sequence != 1 || e.VenueName != a1.venue.Name || e.VenueAddress != "Tổ 5, phường Tân Phong" ||
		e.CentreName != "TTHTCĐ Tân Phong" || e.ClassTitle != "Tin học cho bà con dân tộc Thái" || e.TeacherName == "" ||
		!e.StartsAt.Equal(next.StartsAt) || e.StartsAt.In(classes.Zone).Hour() != 19 {
		t.Fatalf("cancelled event %+v", e)
	}
	if cal.Feed.LastFetchedAt != nil {
		t.Fatalf("the fetch sees the time of the previous one: %v", cal.Feed.LastFetchedAt)
	}
	var fetched time.Time
	if err := w.DB.SQL().QueryRow(`SELECT last_fetched_at FROM calendar_feeds WHERE id = $1`, cal.Feed.ID).Scan(&fetched); err != nil ||
		fetched.Sub(w.now).Abs() > time.Second {
		t.Fatalf("last_fetched_at %v (%v), want %v", fetched, err, w.now)
	}
}

// TestFeedRecheck: a link dies with what allowed it — a withdrawn
// enrolment, a revoked grant, a deactivated person, a disabled account —
// and answers not found, like a revoked one.
func TestFeedRecheck(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	teacher, manager, learner := w.signIn("teacher_A1"), w.signIn("manager_A1"), w.signIn("learner_A1")
	a1 := w.place(w.CentreA1, teacher.PersonID)
	w.session(a1, 1, teacher.PersonID)
	enrolment := w.enrol(learner.PersonID, a1.class)
	link := func(kind feeds.Kind, subject int64, owner int64) string {
		t.Helper()
		pr, err := postgresPrincipal(t, w, owner)
		if err != nil {
			t.Fatal(err)
		}
		f, err := w.svc.Create(ctx, pr, kind, subject)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Fetch(ctx, f.Token); err != nil {
			t.Fatal(err)
		}
		return f.Token
	}
	learnerClass := link(feeds.KindClass, a1.class.ID, learner.PersonID)
	learnerOwn := link(feeds.KindLearner, learner.PersonID, learner.PersonID)
	managerVenue := link(feeds.KindVenue, a1.venue.ID, manager.PersonID)
	managerTeacher := link(feeds.KindTeacher, teacher.PersonID, manager.PersonID)
	teacherClass := link(feeds.KindClass, a1.class.ID, teacher.PersonID)

	// The learner withdraws: the class's feed dies, their own stays (empty).
	w.ID(`UPDATE enrolments SET status = 'withdrawn', withdrawn_at = now(), withdrawn_reason = 'Chuyển nhà' WHERE id = $1`, enrolment)
	if _, err := w.svc.Fetch(ctx, learnerClass); codeOf(err) != nf {
		t.Fatalf("class feed after withdrawal: %v", err)
	}
	if cal, err := w.svc.Fetch(ctx, learnerOwn); err != nil || len(cal.Events) != 0 {
		t.Fatalf("own feed after withdrawal: %v %+v", err, cal.Events)
	}
	// The manager's grant is revoked: both of their links die.
	w.ID(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1`, manager.PersonID)
	for _, tok := range []string{managerVenue, managerTeacher} {
		if _, err := w.svc.Fetch(ctx, tok); codeOf(err) != nf {
			t.Fatalf("after the grant's revocation: %v", err)
		}
	}
	// The teacher's account is disabled, then the person deactivated.
	w.ID(`UPDATE accounts SET disabled = true WHERE person_id = $1`, teacher.PersonID)
	if _, err := w.svc.Fetch(ctx, teacherClass); codeOf(err) != nf {
		t.Fatalf("after the account is disabled: %v", err)
	}
	w.ID(`UPDATE accounts SET disabled = false WHERE person_id = $1`, teacher.PersonID)
	if _, err := w.svc.Fetch(ctx, teacherClass); err != nil {
		t.Fatalf("after the account is enabled again: %v", err)
	}
	w.ID(`UPDATE people SET active = false WHERE id = $1`, learner.PersonID)
	if _, err := w.svc.Fetch(ctx, learnerOwn); codeOf(err) != nf {
		t.Fatalf("after the person is deactivated: %v", err)
	}
}

// TestFeedRevisions: what a feed shows of a session changes with a new
// SEQUENCE and a later LAST-MODIFIED — a move (the session's own update),
// the venue's new name or address, the class's new title — and only then:
// a venue's new capacity or a class's new capacity revises nothing.
func TestFeedRevisions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	teacher := w.signIn("teacher_A1")
	a1 := w.place(w.CentreA1, teacher.PersonID)
	s := w.session(a1, 2, teacher.PersonID)
	f, err := w.svc.Create(ctx, teacher, feeds.KindClass, a1.class.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := feeds.Event{}
	step := func(what string, revised bool) feeds.Event {
		t.Helper()
		cal, err := w.svc.Fetch(ctx, f.Token)
		if err != nil || len(cal.Events) != 1 {
			t.Fatalf("%s: %v %+v", what, err, cal.Events)
		}
		e := cal.Events[0]
		if revised != (e.Sequence == last.Sequence+1 && e.UpdatedAt.After(last.UpdatedAt)) || !revised && (e.Sequence != last.Sequence || !e.UpdatedAt.Equal(last.UpdatedAt)) {
			t.Fatalf("%s: sequence %d → %d, updated %v → %v, want revised %v", what, last.Sequence, e.Sequence, last.UpdatedAt, e.UpdatedAt, revised)
		}
		last = e
		return e
	}
	last = feeds.Event{Sequence: -1}
	step("made", true)
	later := s.StartsAt.Add(30 * time.Minute)
	if _, err := w.classes.UpdateSession(ctx, w.admin, s.ID, classes.SessionPatch{StartsAt: &later, EndsAt: ptr(later.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if e := step("moved", true); !e.StartsAt.Equal(later) {
		t.Fatalf("moved to %v", e.StartsAt)
	}
	in := classes.VenueInput{Name: "Nhà văn hoá bản Nà Lại mới", Address: a1.venue.Address, Capacity: 30}
	if _, err := w.classes.UpdateVenue(ctx, w.admin, a1.venue.ID, in); err != nil {
		t.Fatal(err)
	}
	if e := step("venue renamed", true); e.VenueName != in.Name {
		t.Fatalf("venue %q", e.VenueName)
	}
	in.Capacity = 45
	if _, err := w.classes.UpdateVenue(ctx, w.admin, a1.venue.ID, in); err != nil {
		t.Fatal(err)
	}
	step("venue's capacity", false)
	c := a1.class
	ci := classes.ClassInput{Title: "Tin học cho bà con dân tộc Thái — khoá 2", Mode: c.Mode, VenueID: c.VenueID, Capacity: c.Capacity, StartsOn: c.StartsOn,
		EndsOn: c.EndsOn, MeetingURL: c.MeetingURL, TeacherIDs: []int64{teacher.PersonID}}
	if _, err := w.classes.UpdateClass(ctx, w.admin, c.ID, ci); err != nil {
		t.Fatal(err)
	}
	if e := step("class renamed", true); e.ClassTitle != ci.Title {
		t.Fatalf("title %q", e.ClassTitle)
	}
	ci.Capacity = 30
	if _, err := w.classes.UpdateClass(ctx, w.admin, c.ID, ci); err != nil {
		t.Fatal(err)
	}
	step("class's capacity", false)
}

func ptr[T any](v T) *T { return &v }

// TestFeedLimitRace: twelve links made at once by one person who holds
// MaxLive-3 already: exactly three are made (the owner's row serialises
// the count and the insert), and two revocations of one link at once
// revoke it once.
func TestFeedLimitRace(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	learner := w.signIn("learner_A1")
	for range feeds.MaxLive - 3 {
		if _, err := w.svc.Create(ctx, learner, feeds.KindLearner, learner.PersonID); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 12)
	start := make(chan struct{})
	for range 12 {
		go func() {
			<-start
			_, err := w.svc.Create(ctx, learner, feeds.KindLearner, learner.PersonID)
			errs <- err
		}()
	}
	close(start)
	made, refused := 0, 0
	for range 12 {
		switch err := <-errs; {
		case err == nil:
			made++
		case keyOf(err) == "feed_limit":
			refused++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	list, err := w.svc.Mine(ctx, learner)
	if made != 3 || refused != 9 || err != nil || len(list) != feeds.MaxLive {
		t.Fatalf("made %d, refused %d, live %d (%v)", made, refused, len(list), err)
	}
	id := list[0].ID
	go func() { <-start; errs <- w.svc.Revoke(ctx, learner, id) }()
	go func() { <-start; errs <- w.svc.Revoke(ctx, learner, id) }()
	a, b := <-errs, <-errs
	if (a == nil) == (b == nil) || codeOf(a)+codeOf(b) != nf {
		t.Fatalf("two revocations at once: %v, %v", a, b)
	}
}
