package quizzes

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

var bank = []Question{
	{ID: 1, Kind: KindSingle, Options: []string{"a", "b", "c", "d"}, Correct: []int{2}},
	{ID: 2, Kind: KindMultiple, Options: []string{"a", "b", "c", "d"}, Correct: []int{0, 3}},
	{ID: 3, Kind: KindTrueFalse, AnswerBool: ptr(false)},
	{ID: 4, Kind: KindNumeric, AnswerNum: ptr(2.5), Tolerance: 0.1},
	{ID: 5, Kind: KindNumeric, AnswerNum: ptr(100.0)},
}

var identity = []int{0, 1, 2, 3}

// TestRightEveryKind scores right, wrong and malformed answers of every kind.
func TestRightEveryKind(t *testing.T) {
	cases := []struct {
		name string
		q    Question
		a    *Answer
		want bool
	}{
		{"single right", bank[0], &Answer{Choices: []int{2}}, true},
		{"single wrong", bank[0], &Answer{Choices: []int{1}}, false},
		{"single two picks", bank[0], &Answer{Choices: []int{2, 1}}, false},
		{"single none", bank[0], &Answer{}, false},
		{"single out of range", bank[0], &Answer{Choices: []int{7}}, false},
		{"no answer", bank[0], nil, false},
		{"multiple right", bank[1], &Answer{Choices: []int{3, 0}}, true},
		{"multiple right repeated pick", bank[1], &Answer{Choices: []int{3, 0, 3}}, true},
		{"multiple partial", bank[1], &Answer{Choices: []int{0}}, false},
		{"multiple extra", bank[1], &Answer{Choices: []int{0, 1, 3}}, false},
		{"multiple none", bank[1], &Answer{Choices: []int{}}, false},
		{"true_false right", bank[2], &Answer{Bool: ptr(false)}, true},
		{"true_false wrong", bank[2], &Answer{Bool: ptr(true)}, false},
		{"true_false missing", bank[2], &Answer{Choices: []int{0}}, false},
		{"numeric exact", bank[3], &Answer{Number: ptr(2.5)}, true},
		{"numeric at upper tolerance", bank[3], &Answer{Number: ptr(2.6)}, true},
		{"numeric at lower tolerance", bank[3], &Answer{Number: ptr(2.4)}, true},
		{"numeric beyond tolerance", bank[3], &Answer{Number: ptr(2.61)}, false},
		{"numeric no tolerance exact", bank[4], &Answer{Number: ptr(100.0)}, true},
		{"numeric no tolerance off", bank[4], &Answer{Number: ptr(100.5)}, false},
		{"numeric missing", bank[4], &Answer{}, false},
	}
	for _, c := range cases {
		if got := Right(c.q, identity, c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestScore counts the share right, rounds it and applies the pass mark;
// a late attempt scores zero.
func TestScore(t *testing.T) {
	layout := Layout(bank, Settings{}, nil)
	byID := questionsByID(bank)
	answers := []Answer{{QuestionID: 1, Choices: []int{2}}, {QuestionID: 2, Choices: []int{0, 3}}, {QuestionID: 3, Bool: ptr(true)}}
	at := time.Now()
	r := Score(layout, byID, answers, 40, false, at)
	if r.CorrectCount != 2 || r.Score != 40 || !r.Passed || !slices.Equal(r.Results, []bool{true, true, false, false, false}) {
		t.Fatalf("score: %+v", r)
	}
	if r := Score(layout, byID, answers, 41, false, at); r.Passed {
		t.Fatal("41% pass mark passed at 40%")
	}
	if r := Score(layout[:3], byID, answers, 0, false, at); r.Score != 66.67 {
		t.Fatalf("2 of 3 scored %v, want 66.67", r.Score)
	}
	if r := Score(layout, byID, answers, 0, true, at); r.Score != 0 || r.Passed || r.CorrectCount != 0 || !r.Late {
		t.Fatalf("late attempt: %+v", r)
	}
	all := []Answer{{QuestionID: 1, Choices: []int{2}}, {QuestionID: 2, Choices: []int{0, 3}}, {QuestionID: 3, Bool: ptr(false)},
		{QuestionID: 4, Number: ptr(2.45)}, {QuestionID: 5, Number: ptr(100.0)}}
	if r := Score(layout, byID, all, 100, false, at); r.Score != 100 || !r.Passed {
		t.Fatalf("all right: %+v", r)
	}
}

// TestShuffleKeepsScoring shuffles questions and options many times and
// answers by the shown positions: the right answers always score 100 and
// the originally-placed answers do not, once options moved.
func TestShuffleKeepsScoring(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := Settings{ShuffleQuestions: true, ShuffleOptions: true}
	byID := questionsByID(bank)
	movedQuestions, movedOptions := false, false
	for range 200 {
		layout := Layout(bank, s, rng.Shuffle)
		if layout[0].QuestionID != 1 {
			movedQuestions = true
		}
		var answers []Answer
		for _, sl := range layout {
			q := byID[sl.QuestionID]
			a := Answer{QuestionID: q.ID, Bool: q.AnswerBool, Number: q.AnswerNum}
			for pos, orig := range sl.Options {
				if slices.Contains(q.Correct, orig) {
					a.Choices = append(a.Choices, pos)
				}
				if pos != orig {
					movedOptions = true
				}
			}
			answers = append(answers, a)
		}
		if r := Score(layout, byID, answers, 100, false, time.Now()); r.Score != 100 {
			t.Fatalf("right answers through layout %+v scored %v", layout, r.Score)
		}
		// The original positions are wrong whenever the single question's
		// right option moved.
		naive := []Answer{{QuestionID: 1, Choices: []int{2}}}
		for i, sl := range layout {
			if sl.QuestionID == 1 && sl.Options[2] != 2 {
				if r := Score(layout, byID, naive, 0, false, time.Now()); r.Results[i] {
					t.Fatalf("original position scored right under layout %+v", layout)
				}
			}
		}
	}
	if !movedQuestions || !movedOptions {
		t.Fatal("shuffle never moved anything")
	}
	// Unshuffled settings keep the bank's order.
	l := Layout(bank, Settings{}, func(int, func(int, int)) { t.Fatal("shuffled") })
	if l[0].QuestionID != 1 || !slices.Equal(l[0].Options, identity) {
		t.Fatalf("layout %+v", l)
	}
}

// TestQuestionInputCheck refuses malformed questions of every kind.
func TestQuestionInputCheck(t *testing.T) {
	bad := []QuestionInput{
		{Kind: "essay", PromptMD: "x"},
		{Kind: KindSingle, PromptMD: " ", Options: []string{"a", "b"}, Correct: []int{0}},
		{Kind: KindSingle, PromptMD: "x", Options: []string{"a"}, Correct: []int{0}},
		{Kind: KindSingle, PromptMD: "x", Options: []string{"a", "b"}, Correct: []int{0, 1}},
		{Kind: KindSingle, PromptMD: "x", Options: []string{"a", "b"}, Correct: []int{2}},
		{Kind: KindMultiple, PromptMD: "x", Options: []string{"a", "b"}},
		{Kind: KindMultiple, PromptMD: "x", Options: []string{"a", ""}, Correct: []int{0}},
		{Kind: KindMultiple, PromptMD: "x", Options: []string{"a", "b"}, Correct: []int{0, 0}},
		{Kind: KindTrueFalse, PromptMD: "x"},
		{Kind: KindNumeric, PromptMD: "x"},
		{Kind: KindNumeric, PromptMD: "x", AnswerNum: ptr(1.0), Tolerance: -1},
	}
	for i, in := range bad {
		if _, err := in.clean(); err == nil {
			t.Errorf("bad question %d accepted: %+v", i, in)
		}
	}
	good, err := QuestionInput{Kind: KindTrueFalse, PromptMD: " Đúng? ", AnswerBool: ptr(true), Options: []string{"x"}}.clean()
	if err != nil || good.PromptMD != "Đúng?" || len(good.Options) != 0 {
		t.Fatalf("true/false: %+v %v", good, err)
	}
}
