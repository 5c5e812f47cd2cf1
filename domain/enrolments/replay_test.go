package enrolments_test

import (
	"context"
	"reflect"
	"testing"

	"densach/domain"
	"densach/domain/enrolments"
)

// TestHeartbeatsReplayedInPostgres sends one session's batches through the
// use case and the store's one-statement upsert in several orders, some
// twice, each on a fresh enrolment: the stored progress is the same every
// time, and the same as the pure merge's.
func TestHeartbeatsReplayedInPostgres(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	text, video := w.textA1, w.videoA1
	batches := [][]enrolments.Event{
		{{LessonID: text, At: at(1), Kind: enrolments.EventOpen}, {LessonID: text, At: at(2), Kind: enrolments.EventComplete, TimeSpentS: 60}},
		{{LessonID: video, At: at(3), Kind: enrolments.EventOpen, DurationS: 100}, {LessonID: video, At: at(4), Kind: enrolments.EventHeartbeat, PositionS: 15.2, Played: played(0, 15.2), DurationS: 100, TimeSpentS: 15}},
		{{LessonID: video, At: at(5), Kind: enrolments.EventHeartbeat, PositionS: 30.4, Played: played(15.2, 30.4), DurationS: 100, TimeSpentS: 30}},
		{{LessonID: video, At: at(6), Kind: enrolments.EventHeartbeat, PositionS: 99.6, Played: played(95, 100), DurationS: 100, TimeSpentS: 35}},
	}
	orders := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {0, 0, 2, 1, 3, 2, 3}}
	var first []enrolments.State
	for _, o := range orders {
		learner := w.signIn(kLearnerA1)
		e := w.enrol(w.courseA1.ID, learner.PersonID)
		for _, i := range o {
			if _, err := w.svc.Record(ctx, learner, e.ID, batches[i]); err != nil {
				t.Fatal(err)
			}
		}
		d, err := w.svc.Get(ctx, learner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = d.Progress
			if d.Percent != 50 || d.ResumeLessonID != video || d.ResumePositionS != 99 {
				t.Fatalf("percent %d, resume %d at %d: %+v", d.Percent, d.ResumeLessonID, d.ResumePositionS, d.Progress)
			}
			continue
		}
		if !reflect.DeepEqual(d.Progress, first) {
			t.Fatalf("order %v:\n%+v\nwant\n%+v", o, d.Progress, first)
		}
	}
	// The pure merge agrees with the statement.
	stored := map[string]enrolments.State{}
	for _, b := range batches {
		lessons := map[int64]enrolments.LessonRef{}
		for _, m := range w.courseA1.Modules {
			for _, l := range m.Lessons {
				lessons[l.ID] = enrolments.LessonRef{ID: l.ID, Key: l.Key, Kind: l.Kind, Required: l.Required}
			}
		}
		s, err := enrolments.Fold(b, lessons, at(0), at(60), enrolments.DefaultThreshold)
		if err != nil {
			t.Fatal(err)
		}
		enrolments.Apply(stored, s, enrolments.DefaultThreshold)
	}
	for _, st := range first {
		if !reflect.DeepEqual(stored[st.LessonKey], st) {
			t.Fatalf("pure merge %+v\nstatement %+v", stored[st.LessonKey], st)
		}
	}
	// The rest of the video played: complete; percentage 100.
	learner := w.signIn(kLearnerA1)
	e := w.enrol(w.courseA1.ID, learner.PersonID)
	for _, b := range append(batches, []enrolments.Event{{LessonID: video, At: at(7), Kind: enrolments.EventHeartbeat, PositionS: 90, Played: played(30.4, 90), DurationS: 100, TimeSpentS: 95}}) {
		if _, err := w.svc.Record(ctx, learner, e.ID, b); err != nil {
			t.Fatal(err)
		}
	}
	if d, err := w.svc.Get(ctx, learner, e.ID); err != nil || d.Percent != 100 {
		t.Fatalf("after the whole video: %d%% %v", d.Percent, err)
	}
	if mine, err := w.svc.Mine(ctx, learner); err != nil || mine[0].Percent != 100 || mine[0].RequiredDone != 2 {
		t.Fatalf("mine: %+v %v", mine, err)
	}
}

// TestHeartbeatBadInput: nothing is stored from a batch with a bad event.
func TestHeartbeatBadInput(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	learner := w.signIn(kLearnerA1)
	e := w.enrol(w.courseA1.ID, learner.PersonID)
	cases := map[string]enrolments.Event{
		"progress_lesson_not_enrolled": {LessonID: w.otherVersionLess, At: at(1), Kind: enrolments.EventOpen},
		"progress_at_future":           {LessonID: w.textA1, At: at(0).Add(5 * 3600e9), Kind: enrolments.EventOpen},
		"progress_value_invalid":       {LessonID: w.videoA1, At: at(1), Kind: enrolments.EventHeartbeat, PositionS: -4},
	}
	for want, bad := range cases {
		_, err := w.svc.Record(ctx, learner, e.ID, []enrolments.Event{{LessonID: w.textA1, At: at(1), Kind: enrolments.EventOpen}, bad})
		if codeOf(err) != domain.CodeInvalid || domain.AsError(err).Fields[0].Field != "events[1]"+fieldSuffix(want) || keyOf(err) != want {
			t.Fatalf("%s: %v", want, err)
		}
	}
	if n := w.ID(`SELECT count(*) FROM lesson_progress WHERE enrolment_id = $1`, e.ID); n != 0 {
		t.Fatalf("%d rows stored from refused batches", n)
	}
	// Positions beyond the duration are clamped, never stored wrong.
	got, err := w.svc.Record(ctx, learner, e.ID, []enrolments.Event{{LessonID: w.videoA1, At: at(1), Kind: enrolments.EventHeartbeat, PositionS: 400, DurationS: 120, Played: played(100, 400)}})
	if err != nil || len(got) != 1 || got[0].LastPositionS != 120 || enrolments.Seconds(got[0].Watched) != 20 {
		t.Fatalf("clamped: %+v %v", got, err)
	}
}

func fieldSuffix(code string) string {
	switch code {
	case "progress_lesson_not_enrolled":
		return ".lesson_id"
	case "progress_at_future":
		return ".at"
	}
	return ".position_s"
}
