// Package registers renders the paper registers of a class (the blank
// attendance sheet of a session and the filled class record) as PDF, with
// an embedded Unicode font (DejaVu Sans Condensed, fonts/LICENSE) so that
// Vietnamese prints with its diacritics anywhere, and as XLSX with every
// text cell formula-safe. The domain (attendance.RegisterRenderer) decides
// who gets which register and assembles its facts; this package only draws.
package registers

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
)

//go:embed fonts/DejaVuSansCondensed.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSansCondensed-Bold.ttf
var fontBold []byte

// Renderer implements attendance.RegisterRenderer.
type Renderer struct{}

var _ attendance.RegisterRenderer = Renderer{}

// Symbols is how a mark is written in a register's cell, and the legend.
var symbols = map[attendance.Status]string{
	attendance.Present: "x",
	attendance.Late:    "M",
	attendance.Excused: "P",
	attendance.Absent:  "K",
}

const legend = "Ký hiệu: x có mặt; M đến muộn; P vắng có phép; K vắng không phép; – buổi đã huỷ; ô trống: chưa điểm danh hoặc chưa diễn ra."

// The flags, as a register says them.
var riskText = map[string]string{
	attendance.RiskCannotReach: "Không thể đạt",
	attendance.RiskMissNext:    "Có nguy cơ",
}

// authority is the heading's first line: the people's committee the centre
// answers to ("UBND XÃ BÌNH LƯ").
func authority(h attendance.Heading) string {
	if h.CommuneName == "" {
		return ""
	}
	return upper("UBND " + h.CommuneTitle())
}

func upper(s string) string { return strings.ToUpper(s) }

func day(t time.Time) string { return t.In(classes.Zone).Format("02/01/2006") }

// civil formats a civil date (midnight UTC).
func civil(t time.Time) string { return t.UTC().Format("02/01/2006") }

func teachers(r attendance.Register) string {
	if r.Session != nil && r.Session.TeacherName != "" {
		return r.Session.TeacherName
	}
	names := make([]string, 0, len(r.Class.Teachers))
	for _, t := range r.Class.Teachers {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// title is the register's title line.
func title(r attendance.Register) string {
	if r.Blank() {
		return "DANH SÁCH ĐIỂM DANH HỌC VIÊN"
	}
	return "SỔ ĐIỂM DANH LỚP HỌC"
}

// facts are the lines under the title: label and value.
func facts(r attendance.Register) [][2]string {
	out := [][2]string{{"Lớp", r.Class.Title}, {"Khoá học", r.Heading.CourseTitle}}
	if s := r.Session; s != nil {
		when := fmt.Sprintf("buổi %d, ngày %s, %s – %s", s.Sequence, day(s.StartsAt), s.StartsAt.In(classes.Zone).Format("15:04"), s.EndsAt.In(classes.Zone).Format("15:04"))
		if s.Sequence == 0 {
			when = strings.TrimPrefix(when, "buổi 0, ")
		}
		out = append(out, [2]string{"Buổi học", when})
		place := s.VenueName
		if s.Mode == classes.ModeOnline {
			place = "trực tuyến"
		}
		if place != "" {
			out = append(out, [2]string{"Địa điểm", place})
		}
		if s.Status == classes.SessionCancelled {
			note := "buổi học đã huỷ"
			if s.CancelReason != "" {
				note += " (" + s.CancelReason + ")"
			}
			out = append(out, [2]string{"Lưu ý", note})
		}
	} else {
		out = append(out, [2]string{"Thời gian", civil(r.Class.StartsOn) + " – " + civil(r.Class.EndsOn)})
		if r.Class.CompletionPct > 0 {
			out = append(out, [2]string{"Yêu cầu hoàn thành", fmt.Sprintf("tham dự tối thiểu %d%% số buổi", r.Class.CompletionPct)})
		}
	}
	if t := teachers(r); t != "" {
		out = append(out, [2]string{"Giáo viên", t})
	}
	return out
}

// cell is what a learner's cell says for a session of the record.
func cell(l attendance.GridLearner, s classes.Session) string {
	if s.Status == classes.SessionCancelled {
		return "–"
	}
	if m, ok := l.Marks[s.ID]; ok {
		return symbols[m.Status]
	}
	return ""
}

func rateText(r attendance.Rate) string {
	if r.Rate == nil {
		return ""
	}
	return fmt.Sprintf("%.0f%%", *r.Rate*100)
}

// sessionHead is a session's column heading in the record.
func sessionHead(s classes.Session) string {
	return s.StartsAt.In(classes.Zone).Format("02/01")
}

// place is where the register is signed ("Bình Lư").
func place(h attendance.Heading) string {
	if h.CommuneName != "" {
		return h.CommuneName
	}
	return "……………"
}

// Safe neutralises a text a spreadsheet would run as a formula: one starting
// with = + - @, a tab or a carriage return gets a leading apostrophe (as
// the CSV exports do).
func Safe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func buffer() *bytes.Buffer { return new(bytes.Buffer) }
