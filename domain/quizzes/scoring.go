package quizzes

import (
	"math"
	"slices"
	"time"
)

// Layout fixes what an attempt shows: the questions in order (shuffled
// when the settings say so) and each choice question's options (shuffled
// likewise). shuffle is rand.Shuffle or a test's stand-in.
func Layout(qs []Question, s Settings, shuffle func(n int, swap func(i, j int))) []Slot {
	out := make([]Slot, len(qs))
	for i, q := range qs {
		out[i].QuestionID = q.ID
		if q.Kind == KindSingle || q.Kind == KindMultiple {
			o := make([]int, len(q.Options))
			for j := range o {
				o[j] = j
			}
			if s.ShuffleOptions {
				shuffle(len(o), func(a, b int) { o[a], o[b] = o[b], o[a] })
			}
			out[i].Options = o
		}
	}
	if s.ShuffleQuestions {
		shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	}
	return out
}

// Right reports whether an answer to q, whose options were shown in the
// order shown (original indexes), is right. A missing answer is wrong.
func Right(q Question, shown []int, a *Answer) bool {
	if a == nil {
		return false
	}
	switch q.Kind {
	case KindSingle, KindMultiple:
		if len(a.Choices) == 0 || q.Kind == KindSingle && len(a.Choices) != 1 {
			return false
		}
		picked := make([]int, 0, len(a.Choices))
		for _, c := range a.Choices {
			if c < 0 || c >= len(shown) {
				return false
			}
			picked = append(picked, shown[c])
		}
		want := slices.Clone(q.Correct)
		slices.Sort(picked)
		slices.Sort(want)
		return slices.Equal(slices.Compact(picked), want)
	case KindTrueFalse:
		return a.Bool != nil && q.AnswerBool != nil && *a.Bool == *q.AnswerBool
	case KindNumeric:
		if a.Number == nil || q.AnswerNum == nil || math.IsNaN(*a.Number) || math.IsInf(*a.Number, 0) {
			return false
		}
		// A hair of slack so that 0.1 + 0.2 style representations of an
		// answer right at the tolerance's edge count.
		return math.Abs(*a.Number-*q.AnswerNum) <= q.Tolerance+1e-9*math.Max(1, math.Abs(*q.AnswerNum))
	}
	return false
}

// Score scores answers to the attempt's layout against the questions (by
// id): the share of right answers as a percentage rounded to two decimals,
// passed when it reaches passPercent. A late attempt scores zero.
func Score(layout []Slot, byID map[int64]Question, answers []Answer, passPercent int, late bool, at time.Time) Result {
	res := Result{Answers: answers, Results: make([]bool, len(layout)), Late: late, At: at}
	given := make(map[int64]*Answer, len(answers))
	for i := range answers {
		given[answers[i].QuestionID] = &answers[i]
	}
	if !late {
		for i, sl := range layout {
			q, ok := byID[sl.QuestionID]
			if ok && Right(q, sl.Options, given[sl.QuestionID]) {
				res.Results[i] = true
				res.CorrectCount++
			}
		}
	}
	if len(layout) > 0 {
		res.Score = math.Round(float64(res.CorrectCount)*10000/float64(len(layout))) / 100
	}
	res.Passed = !late && res.Score >= float64(passPercent)
	return res
}
