package quizzes

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"densach/domain"
)

// Limits on what a question and a quiz hold.
const (
	MaxPromptRunes      = 5000
	MaxOptionRunes      = 500
	MaxOptions          = 10
	MaxAttemptLimit     = 100
	MinTimeLimitS       = 30
	MaxTimeLimitS       = 86400
	MaxQuestionsPerQuiz = 200
)

// clean trims and checks a question; the fields that its kind does not use
// are dropped.
func (in QuestionInput) clean() (QuestionInput, error) {
	var f domain.Fields
	in.PromptMD = strings.TrimSpace(in.PromptMD)
	in.ExplanationMD = strings.TrimSpace(in.ExplanationMD)
	if in.PromptMD == "" {
		f.AddOf("prompt_md", "quiz_prompt_required", nil)
	} else if utf8.RuneCountInString(in.PromptMD) > MaxPromptRunes {
		f.AddOf("prompt_md", "text_too_long", domain.Params{"max": MaxPromptRunes})
	}
	if utf8.RuneCountInString(in.ExplanationMD) > MaxPromptRunes {
		f.AddOf("explanation_md", "text_too_long", domain.Params{"max": MaxPromptRunes})
	}
	switch in.Kind {
	case KindSingle, KindMultiple:
		in.AnswerBool, in.AnswerNum, in.Tolerance = nil, nil, 0
		if len(in.Options) < 2 || len(in.Options) > MaxOptions {
			f.AddOf("options", "quiz_options_count", domain.Params{"min": 2, "max": MaxOptions})
		}
		for i, o := range in.Options {
			in.Options[i] = strings.TrimSpace(o)
			if in.Options[i] == "" || utf8.RuneCountInString(in.Options[i]) > MaxOptionRunes {
				f.AddOf(fmt.Sprintf("options[%d]", i), "quiz_option_invalid", domain.Params{"max": MaxOptionRunes})
			}
		}
		in.Correct = slices.Clone(in.Correct)
		slices.Sort(in.Correct)
		switch {
		case len(slices.Compact(in.Correct)) != len(in.Correct) || slices.ContainsFunc(in.Correct, func(c int) bool { return c < 0 || c >= len(in.Options) }):
			f.AddOf("correct", "quiz_correct_invalid", nil)
		case in.Kind == KindSingle && len(in.Correct) != 1:
			f.AddOf("correct", "quiz_correct_one", nil)
		case in.Kind == KindMultiple && len(in.Correct) == 0:
			f.AddOf("correct", "quiz_correct_some", nil)
		}
	case KindTrueFalse:
		in.Options, in.Correct, in.AnswerNum, in.Tolerance = nil, nil, nil, 0
		if in.AnswerBool == nil {
			f.AddOf("answer_bool", "quiz_answer_required", nil)
		}
	case KindNumeric:
		in.Options, in.Correct, in.AnswerBool = nil, nil, nil
		if in.AnswerNum == nil || math.IsNaN(*in.AnswerNum) || math.IsInf(*in.AnswerNum, 0) {
			f.AddOf("answer_num", "quiz_answer_required", nil)
		}
		if in.Tolerance < 0 || math.IsNaN(in.Tolerance) || math.IsInf(in.Tolerance, 0) {
			f.AddOf("tolerance", "quiz_tolerance_invalid", nil)
		}
	default:
		f.AddOf("kind", "quiz_kind_invalid", nil)
	}
	if in.Options == nil {
		in.Options = []string{}
	}
	if in.Correct == nil {
		in.Correct = []int{}
	}
	return in, f.Err()
}

// check checks settings against the course's bank.
func (s Settings) check(bank []Question) error {
	var f domain.Fields
	if s.PassPercent < 0 || s.PassPercent > 100 {
		f.AddOf("pass_percent", "quiz_pass_percent_invalid", nil)
	}
	if s.AttemptLimit < 0 || s.AttemptLimit > MaxAttemptLimit {
		f.AddOf("attempt_limit", "quiz_attempt_limit_invalid", domain.Params{"max": MaxAttemptLimit})
	}
	if s.TimeLimitS != 0 && (s.TimeLimitS < MinTimeLimitS || s.TimeLimitS > MaxTimeLimitS) {
		f.AddOf("time_limit_s", "quiz_time_limit_invalid", domain.Params{"min": MinTimeLimitS, "max": MaxTimeLimitS})
	}
	if s.QuestionIDs != nil {
		seen := map[int64]bool{}
		for i, id := range s.QuestionIDs {
			if seen[id] || !slices.ContainsFunc(bank, func(q Question) bool { return q.ID == id }) {
				f.AddOf(fmt.Sprintf("question_ids[%d]", i), "quiz_question_not_in_bank", nil)
			}
			seen[id] = true
		}
		if len(s.QuestionIDs) > MaxQuestionsPerQuiz {
			f.AddOf("question_ids", "quiz_too_many_questions", domain.Params{"max": MaxQuestionsPerQuiz})
		}
	}
	return f.Err()
}
