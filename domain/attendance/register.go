package attendance

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"densach/domain"
	"densach/domain/classes"
)

// The paper registers a centre keeps: the blank attendance sheet printed
// before a session (its learners and a signature column) and the filled
// class record after (learners × sessions with their marks and rates). The
// use cases decide who gets which and assemble the facts; rendering them
// (PDF, XLSX) is a port, implemented outside the domain (storage/registers).

// RegisterFormat is a register's file format.
type RegisterFormat string

const (
	FormatPDF  RegisterFormat = "pdf"
	FormatXLSX RegisterFormat = "xlsx"
)

// Heading is what a register's heading names: the centre, the commune (or
// ward) it belongs to and its province, and the class's course.
type Heading struct {
	CentreName   string
	CommuneName  string
	CommuneKind  string // units.kind: commune, ward, special_zone, …
	ProvinceName string
	CourseTitle  string
}

// CommuneTitle is the commune's name with its kind, as a heading says it:
// "xã Bình Lư", "phường Đoàn Kết".
func (h Heading) CommuneTitle() string {
	prefix := map[string]string{"commune": "xã", "ward": "phường", "special_zone": "đặc khu", "town": "thị trấn",
		"district": "huyện", "city": "thành phố", "province": "tỉnh"}[h.CommuneKind]
	if prefix == "" || h.CommuneName == "" {
		return h.CommuneName
	}
	return prefix + " " + h.CommuneName
}

// Register is a register's facts, ready to render. Session is set for a
// blank session sheet (Sessions then holds that session alone); the class
// record has every session of the class and each learner's marks and rate.
type Register struct {
	Heading     Heading
	Class       classes.Class
	Session     *classes.Session
	Sessions    []classes.Session
	Learners    []GridLearner // Vietnamese name order
	Weights     Weights
	GeneratedAt time.Time
}

// Blank reports whether this is a blank session sheet.
func (r Register) Blank() bool { return r.Session != nil }

// RegisterFile is a rendered register.
type RegisterFile struct {
	Name        string // the file name to save as (Vietnamese, no path)
	ContentType string
	Data        []byte
}

// RegisterRenderer renders registers (implemented by storage/registers).
type RegisterRenderer interface {
	PDF(r Register) ([]byte, error)
	XLSX(r Register) ([]byte, error)
}

// HeadingReader reads a class's register heading (implemented by
// storage/postgres).
type HeadingReader interface {
	RegisterHeading(ctx context.Context, classID int64) (Heading, error)
}

var errFormat = domain.Invalid(domain.FieldOf("format", "register_format_invalid", nil))

// SessionRegister is the blank attendance sheet of a session, to print
// before it: the class's learners in Vietnamese order and a column to sign.
// Those who read the session's register get it (404 otherwise).
func (s *Service) SessionRegister(ctx context.Context, p domain.Principal, sessionID int64, f RegisterFormat) (RegisterFile, error) {
	if !f.valid() {
		return RegisterFile{}, errFormat
	}
	ss, c, err := s.readable(ctx, p, sessionID)
	if err != nil {
		return RegisterFile{}, err
	}
	learners, err := s.Store.Learners(ctx, c.ID, 0)
	if err != nil {
		return RegisterFile{}, err
	}
	r := Register{Class: c, Session: &ss, Sessions: []classes.Session{ss}, Learners: make([]GridLearner, len(learners)), GeneratedAt: s.now()}
	for i, l := range learners {
		r.Learners[i] = GridLearner{Learner: l, Marks: map[int64]Mark{}}
	}
	d := ss.StartsAt.In(classes.Zone)
	return s.render(ctx, r, fmt.Sprintf("Điểm danh %s %s", c.Title, d.Format("2006-01-02")), f)
}

// ClassRegister is the filled record of a class: its learners × its
// sessions with the marks, each learner's rate and at-risk flag, as the
// grid reads it (and for those who read the grid; 404 otherwise).
func (s *Service) ClassRegister(ctx context.Context, p domain.Principal, classID int64, f RegisterFormat) (RegisterFile, error) {
	if !f.valid() {
		return RegisterFile{}, errFormat
	}
	g, err := s.ClassGrid(ctx, p, classID)
	if err != nil {
		return RegisterFile{}, err
	}
	r := Register{Class: g.Class, Sessions: g.Sessions, Learners: g.Learners, Weights: g.Weights, GeneratedAt: s.now()}
	return s.render(ctx, r, "Sổ điểm danh "+g.Class.Title, f)
}

func (f RegisterFormat) valid() bool { return f == FormatPDF || f == FormatXLSX }

func (s *Service) render(ctx context.Context, r Register, name string, f RegisterFormat) (RegisterFile, error) {
	if s.Headings == nil || s.Render == nil {
		return RegisterFile{}, domain.Wrap("attendance.Register", domain.CodeInternal, fmt.Errorf("registers not wired"))
	}
	h, err := s.Headings.RegisterHeading(ctx, r.Class.ID)
	if err != nil {
		return RegisterFile{}, err
	}
	r.Heading = h
	out := RegisterFile{Name: RegisterFileName(name, f)}
	switch f {
	case FormatPDF:
		out.ContentType = "application/pdf"
		out.Data, err = s.Render.PDF(r)
	default:
		out.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		out.Data, err = s.Render.XLSX(r)
	}
	if err != nil {
		return RegisterFile{}, domain.Wrap("attendance.Register", domain.CodeInternal, err)
	}
	return out, nil
}

// RegisterFileName makes a file name from a register's title: NFC,
// Vietnamese letters kept, path separators, quotes, control and other
// characters a file system refuses replaced by a space, spaces collapsed,
// at most 120 letters, then the format's extension.
func RegisterFileName(title string, f RegisterFormat) string {
	title = norm.NFC.String(strings.ToValidUTF8(title, ""))
	title = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`/\"'*:<>?|`+"`", r) {
			return ' '
		}
		return r
	}, title)
	title = strings.Join(strings.Fields(title), " ")
	if rs := []rune(title); len(rs) > 120 {
		title = strings.TrimSpace(string(rs[:120]))
	}
	title = strings.Trim(title, ". ")
	if title == "" {
		title = "so-diem-danh"
	}
	return title + "." + string(f)
}
