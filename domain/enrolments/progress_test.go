package enrolments

import (
	"reflect"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

func TestUnionAndSeconds(t *testing.T) {
	got := Union([]Segment{{30, 40}, {0, 10}, {5, 12}, {12, 15}, {50, 50}, {38, 45}})
	want := []Segment{{0, 15}, {30, 45}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("union %v, want %v", got, want)
	}
	if n := Seconds([]Segment{{0, 10}, {5, 20}, {30, 35}}); n != 25 {
		t.Fatalf("seconds %d", n)
	}
	if !Watched([]Segment{{0, 90}}, 100, 0.9) || Watched([]Segment{{0, 89}}, 100, 0.9) || Watched([]Segment{{0, 90}}, 0, 0.9) {
		t.Fatal("threshold")
	}
	// Seeking to the end plays nothing: the same seconds twice count once.
	if Watched([]Segment{{0, 45}, {0, 45}, {95, 100}}, 100, 0.9) {
		t.Fatal("repeated and seeked segments counted")
	}
}

var (
	t0      = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	lessons = []LessonRef{
		{ID: 1, Key: "k1", Kind: courses.KindText, Required: true},
		{ID: 2, Key: "k2", Kind: courses.KindVideo, Required: true},
		{ID: 3, Key: "k3", Kind: courses.KindDocument, Required: false},
		{ID: 4, Key: "k4", Kind: courses.KindQuiz, Required: true},
	}
)

func byID() map[int64]LessonRef {
	m := map[int64]LessonRef{}
	for _, l := range lessons {
		m[l.ID] = l
	}
	return m
}

func played(a, b float64) *[2]float64 { return &[2]float64{a, b} }

func fold(t *testing.T, events []Event) []State {
	t.Helper()
	s, err := Fold(events, byID(), t0, t0.Add(time.Hour), DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReplayOutOfOrder applies every batch of a session in several orders
// and twice: the states come out the same.
func TestReplayOutOfOrder(t *testing.T) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	batches := [][]Event{
		{{LessonID: 1, At: at(1), Kind: EventOpen}, {LessonID: 1, At: at(2), Kind: EventComplete, TimeSpentS: 60}},
		{{LessonID: 2, At: at(3), Kind: EventOpen, DurationS: 100}, {LessonID: 2, At: at(4), Kind: EventHeartbeat, PositionS: 15.2, Played: played(0, 15.2), DurationS: 100, TimeSpentS: 15}},
		{{LessonID: 2, At: at(5), Kind: EventHeartbeat, PositionS: 30.4, Played: played(15.2, 30.4), DurationS: 100, TimeSpentS: 30}},
		{{LessonID: 2, At: at(6), Kind: EventHeartbeat, PositionS: 99.6, Played: played(95, 99.6), DurationS: 100, TimeSpentS: 35}}, // a seek
		{{LessonID: 3, At: at(7), Kind: EventOpen}},
	}
	orders := [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}, {0, 0, 1, 2, 2, 3, 4, 4, 1}}
	var first map[string]State
	for _, o := range orders {
		stored := map[string]State{}
		for _, i := range o {
			Apply(stored, fold(t, batches[i]), DefaultThreshold)
		}
		if first == nil {
			first = stored
			continue
		}
		if !reflect.DeepEqual(stored, first) {
			t.Fatalf("order %v:\n%+v\nwant\n%+v", o, stored, first)
		}
	}
	v := first["k2"]
	if v.CompletedAt != nil || Seconds(v.Watched) != 35 || v.LastPositionS != 99 || v.TimeSpentS != 35 || !v.OpenedAt.Equal(at(3)) {
		t.Fatalf("video %+v", v)
	}
	if c := first["k1"].CompletedAt; c == nil || !c.Equal(at(2)) {
		t.Fatalf("text completion %v", c)
	}
	// Playing the rest completes the video (the threshold crossed from the
	// segments really played), whatever the order of the last batches.
	more := fold(t, []Event{{LessonID: 2, At: at(8), Kind: EventHeartbeat, PositionS: 90, Played: played(30.4, 90), DurationS: 100, TimeSpentS: 95}})
	Apply(first, more, DefaultThreshold)
	if first["k2"].CompletedAt == nil {
		t.Fatalf("video not complete: %+v", first["k2"])
	}
	pct := Percent(lessons, func(k string) bool { return first[k].CompletedAt != nil })
	if pct != 66 {
		t.Fatalf("percent %d", pct)
	}
}

func TestFoldBadInput(t *testing.T) {
	now := t0.Add(time.Hour)
	cases := []struct {
		name  string
		e     Event
		field string
		code  string
	}{
		{"lesson of another version", Event{LessonID: 99, At: t0, Kind: EventOpen}, "events[0].lesson_id", "progress_lesson_not_enrolled"},
		{"future", Event{LessonID: 1, At: now.Add(10 * time.Minute), Kind: EventOpen}, "events[0].at", "progress_at_future"},
		{"no time", Event{LessonID: 1, Kind: EventOpen}, "events[0].at", "required"},
		{"negative position", Event{LessonID: 2, At: t0, Kind: EventHeartbeat, PositionS: -1}, "events[0].position_s", "progress_value_invalid"},
		{"negative duration", Event{LessonID: 2, At: t0, Kind: EventHeartbeat, DurationS: -5}, "events[0].duration_s", "progress_value_invalid"},
		{"backwards range", Event{LessonID: 2, At: t0, Kind: EventHeartbeat, Played: played(20, 10)}, "events[0].played", "progress_value_invalid"},
		{"negative time", Event{LessonID: 1, At: t0, Kind: EventHeartbeat, TimeSpentS: -3}, "events[0].time_spent_s", "progress_value_invalid"},
		{"bad kind", Event{LessonID: 1, At: t0, Kind: "seek"}, "events[0].kind", "progress_kind_invalid"},
		{"quiz marked complete", Event{LessonID: 4, At: t0, Kind: EventComplete}, "events[0].kind", "progress_quiz_completion"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Fold([]Event{c.e}, byID(), t0, now, DefaultThreshold)
			e := domain.AsError(err)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != c.field || e.Fields[0].Code != c.code {
				t.Fatalf("%v (%+v)", err, e)
			}
		})
	}
	if _, err := Fold(nil, byID(), t0, now, DefaultThreshold); err == nil {
		t.Fatal("empty batch accepted")
	}
	if _, err := Fold(make([]Event, MaxBatch+1), byID(), t0, now, DefaultThreshold); err == nil {
		t.Fatal("huge batch accepted")
	}
	// Clamped: positions and ranges past the duration, a time before the
	// enrolment, a small clock skew, a video's completion mark ignored.
	s, err := Fold([]Event{
		{LessonID: 2, At: t0.Add(-time.Hour), Kind: EventComplete, PositionS: 500, Played: played(80, 500), DurationS: 100},
		{LessonID: 1, At: now.Add(time.Minute), Kind: EventOpen},
	}, byID(), t0, now, DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	if v := s[0]; v.LastPositionS != 100 || !reflect.DeepEqual(v.Watched, []Segment{{80, 100}}) || !v.OpenedAt.Equal(t0) || v.CompletedAt != nil {
		t.Fatalf("video clamped %+v", v)
	}
	if !s[1].LastAt.Equal(now) {
		t.Fatalf("skewed time %v", s[1].LastAt)
	}
}

func TestPercentAndResume(t *testing.T) {
	none := func(string) bool { return false }
	all := func(string) bool { return true }
	if Percent(lessons, none) != 0 || Percent(lessons, all) != 100 || Percent(nil, all) != 0 {
		t.Fatal("bounds")
	}
	// Optional lessons do not count while some lesson is required.
	if p := Percent(lessons, func(k string) bool { return k == "k3" }); p != 0 {
		t.Fatalf("optional counted: %d", p)
	}
	optional := []LessonRef{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	if p := Percent(optional, func(k string) bool { return k == "a" }); p != 33 {
		t.Fatalf("no required lesson: %d", p)
	}
	if id, pos := Resume(lessons, nil); id != 1 || pos != 0 {
		t.Fatalf("resume with nothing opened: %d %d", id, pos)
	}
	states := []State{{LessonKey: "k1", LastAt: t0}, {LessonKey: "k2", LastAt: t0.Add(time.Minute), LastPositionS: 42}}
	if id, pos := Resume(lessons, states); id != 2 || pos != 42 {
		t.Fatalf("resume %d %d", id, pos)
	}
}
