package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/attendance"
)

// mountRegisters registers the paper registers: a session's blank sheet and
// a class's filled record, each as PDF and XLSX.
func (s *Server) mountRegisters(r router) {
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
	c.Set(fiber.HeaderContentDisposition, domain.ContentDisposition(f.Name, "tep", false))
	return c.Send(f.Data)
}
