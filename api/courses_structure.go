package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"densach/domain/courses"
)

// domainCtx is the context the use cases take.
type domainCtx = context.Context

func (s *Server) createModule(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req moduleTitleJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	m, err := s.Courses.AddModule(c.UserContext(), principal(c), id, req.Title)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(moduleOut(m))
}

func (s *Server) patchModule(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req moduleTitleJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	m, err := s.Courses.RenameModule(c.UserContext(), principal(c), id, req.Title)
	if err != nil {
		return err
	}
	return c.JSON(moduleOut(m))
}

func (s *Server) deleteModule(c *fiber.Ctx) error { return s.courseDelete(c, s.Courses.DeleteModule) }

func (s *Server) createLesson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req lessonCreateJSON
	if err := decodeUpTo(c, &req, maxMarkdownBody); err != nil {
		return err
	}
	in := courses.LessonInput{Kind: courses.LessonKind(req.Kind), Title: req.Title, BodyMD: req.BodyMD, URL: req.URL, MaterialID: req.MaterialID,
		Required: req.Required == nil || *req.Required, EstimatedMinutes: req.EstimatedMinutes, Tags: tagsIn(req.Tags)}
	l, err := s.Courses.AddLesson(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(lessonOut(l))
}

func (s *Server) getLesson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	l, err := s.Courses.GetLesson(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(lessonOut(l))
}

func (s *Server) patchLesson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req lessonPatchJSON
	if err := decodeUpTo(c, &req, maxMarkdownBody); err != nil {
		return err
	}
	l, err := s.Courses.UpdateLesson(c.UserContext(), principal(c), id, req.changes())
	if err != nil {
		return err
	}
	return c.JSON(lessonOut(l))
}

func (s *Server) deleteLesson(c *fiber.Ctx) error { return s.courseDelete(c, s.Courses.DeleteLesson) }
