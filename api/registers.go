package api

import (
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"densach/domain/attendance"
)

// mountRegisters registers the paper registers: a session's blank sheet and
// a class's filled record, each as PDF and XLSX.
func (s *Server) mountRegisters(r fiber.Router) {
	for _, f := range []attendance.RegisterFormat{attendance.FormatPDF, attendance.FormatXLSX} {
		r.Get("/sessions/:id/register."+string(f), s.sessionRegister(f))
		r.Get("/classes/:id/register."+string(f), s.classRegister(f))
	}
}

func (s *Server) sessionRegister(f attendance.RegisterFormat) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		file, err := s.Attendance.SessionRegister(c.UserContext(), principal(c), id, f)
		if err != nil {
			return err
		}
		return sendAttachment(c, file)
	}
}

func (s *Server) classRegister(f attendance.RegisterFormat) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		file, err := s.Attendance.ClassRegister(c.UserContext(), principal(c), id, f)
		if err != nil {
			return err
		}
		return sendAttachment(c, file)
	}
}

// sendAttachment answers with a file to save: its type, never cached by a
// shared cache (it names learners), and its name.
func sendAttachment(c *fiber.Ctx, f attendance.RegisterFile) error {
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentDisposition, attachmentDisposition(f.Name))
	return c.Send(f.Data)
}

// attachmentDisposition names a file for the browser (RFC 6266): an ASCII
// fallback in filename (Vietnamese letters without their marks, đ as d,
// anything else outside printable ASCII as _) and the UTF-8 name in
// filename* (RFC 8187). Control characters, slashes and quotes are dropped.
func attachmentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`/\"`, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(strings.ToValidUTF8(name, "")))
	if name == "" {
		name = "tep"
	}
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			ascii.WriteByte('d')
		case r == 'Đ':
			ascii.WriteByte('D')
		case r == '–' || r == '—':
			ascii.WriteByte('-')
		case r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%':
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	const hex = "0123456789ABCDEF"
	var ext strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			ext.WriteByte(c)
			continue
		}
		ext.WriteByte('%')
		ext.WriteByte(hex[c>>4])
		ext.WriteByte(hex[c&15])
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=utf-8''` + ext.String()
}
