package api

import (
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/courses"
)

// mountCourses registers the courses: the management list, a course and
// its versions, its draft's details, modules, lessons and order. The use
// cases decide who may do what (domain/courses/access.go).
func (s *Server) mountCourses(r router) {
	r.Get("/courses", s.listCourses)
	r.Post("/courses", s.createCourse)
	r.Get("/courses/:id", s.getCourse)
	r.Patch("/courses/:id", s.patchCourse)
	r.Delete("/courses/:id", s.deleteCourse)
	r.Post("/courses/:id/draft", s.courseAction((*courses.Service).OpenDraft, fiber.StatusOK))
	r.Delete("/courses/:id/draft", s.discardCourseDraft)
	r.Post("/courses/:id/publish", s.courseAction((*courses.Service).Publish, fiber.StatusOK))
	r.Post("/courses/:id/archive", s.courseAction((*courses.Service).Archive, fiber.StatusOK))
	r.Post("/courses/:id/unarchive", s.courseAction((*courses.Service).Unarchive, fiber.StatusOK))
	r.Get("/courses/:id/versions", s.listCourseVersions)
	r.Post("/courses/:id/copy", s.copyCourse)
	r.Put("/courses/:id/structure", s.putCourseStructure)
	r.Post("/courses/:id/modules", s.createModule)
	r.Patch("/modules/:id", s.patchModule)
	r.Delete("/modules/:id", s.deleteModule)
	r.Post("/modules/:id/lessons", s.createLesson)
	r.Get("/lessons/:id", s.getLesson)
	r.Patch("/lessons/:id", s.patchLesson)
	r.Delete("/lessons/:id", s.deleteLesson)
}

func (s *Server) listCourses(c *fiber.Ctx) error {
	pg, err := parsePaging(c, true)
	if err != nil {
		return err
	}
	f := courses.ListFilter{Status: courses.Status(c.Query("status")), Q: c.Query("q"), Limit: pg.PageSize}
	var fields domain.Fields
	f.CentreID, err = queryID(c, "centre_id")
	fields.AddErr("centre_id", err)
	f.ProvinceID, err = queryID(c, "province_id")
	fields.AddErr("province_id", err)
	if pg.Cursor != "" {
		f.After, err = decodeCourseCursor(pg.Cursor)
		fields.AddErr("cursor", err)
	}
	if err := fields.Err(); err != nil {
		return err
	}
	page, err := s.Courses.List(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	out := coursePageJSON{Items: make([]courseSummaryJSON, len(page.Items))}
	for i, it := range page.Items {
		out.Items[i] = courseSummaryOut(it)
	}
	if page.Next != nil {
		out.NextCursor = encodeCourseCursor(*page.Next)
	}
	return c.JSON(out)
}

// encodeCourseCursor makes a list position opaque: the id and the update
// time in microseconds, 8 bytes each.
func encodeCourseCursor(k courses.Cursor) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(k.ID))
	b = binary.BigEndian.AppendUint64(b, uint64(k.UpdatedAt.UnixMicro()))
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCourseCursor(s string) (*courses.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 16 {
		return nil, domain.Invalid(domain.FieldOf("cursor", "cursor_invalid", nil))
	}
	return &courses.Cursor{ID: int64(binary.BigEndian.Uint64(b)), UpdatedAt: time.UnixMicro(int64(binary.BigEndian.Uint64(b[8:])))}, nil
}

func (s *Server) createCourse(c *fiber.Ctx) error {
	var req courseCreateJSON
	if err := decodeUpTo(c, &req, maxMarkdownBody); err != nil {
		return err
	}
	d, err := s.Courses.Create(c.UserContext(), principal(c), courses.NewCourse{CentreID: req.CentreID, ProvinceID: req.ProvinceID, Tags: tagsIn(req.Tags),
		Details: courses.Details{Title: req.Title, Summary: req.Summary, DescriptionMD: req.DescriptionMD, Category: req.Category,
			TargetGroups: req.TargetGroups, EstimatedHours: req.EstimatedHours, Mode: courses.Mode(req.Mode), Sequential: req.Sequential}})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(courseDetailOut(d))
}

func (s *Server) getCourse(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Courses.Get(c.UserContext(), principal(c), id, c.Query("version"))
	if err != nil {
		return err
	}
	return c.JSON(courseDetailOut(d))
}

func (s *Server) patchCourse(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req coursePatchJSON
	if err := decodeUpTo(c, &req, maxMarkdownBody); err != nil {
		return err
	}
	d, err := s.Courses.Update(c.UserContext(), principal(c), id, req.changes())
	if err != nil {
		return err
	}
	return c.JSON(courseDetailOut(d))
}

// courseAction answers a body-less action on a course with the course.
func (s *Server) courseAction(act func(*courses.Service, domainCtx, domain.Principal, int64) (courses.Detail, error), status int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		d, err := act(s.Courses, c.UserContext(), principal(c), id)
		if err != nil {
			return err
		}
		return c.Status(status).JSON(courseDetailOut(d))
	}
}

// courseDelete answers a body-less deletion with 204.
func (s *Server) courseDelete(c *fiber.Ctx, del func(domainCtx, domain.Principal, int64) error) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := del(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) deleteCourse(c *fiber.Ctx) error { return s.courseDelete(c, s.Courses.Delete) }

func (s *Server) discardCourseDraft(c *fiber.Ctx) error {
	return s.courseDelete(c, s.Courses.DiscardDraft)
}

func (s *Server) listCourseVersions(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	vs, err := s.Courses.Versions(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	out := courseVersionListJSON{Items: make([]courseVersionJSON, len(vs))}
	for i, v := range vs {
		out.Items[i] = courseVersionJSON{ID: v.ID, Number: optionalInt(v.Number), Title: v.Title, Current: v.Current, CreatedAt: v.CreatedAt, PublishedAt: v.PublishedAt}
	}
	return c.JSON(out)
}

func (s *Server) copyCourse(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req courseCopyJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	d, err := s.Courses.Copy(c.UserContext(), principal(c), id, req.CentreID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(courseDetailOut(d))
}

func (s *Server) putCourseStructure(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req courseStructureJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	order := make([]courses.ModuleOrder, len(req.Modules))
	for i, m := range req.Modules {
		order[i] = courses.ModuleOrder{ID: m.ID, LessonIDs: m.LessonIDs}
	}
	d, err := s.Courses.Reorder(c.UserContext(), principal(c), id, order)
	if err != nil {
		return err
	}
	return c.JSON(courseDetailOut(d))
}
