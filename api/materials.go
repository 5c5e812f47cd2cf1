package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/materials"
)

// mountMaterials registers course and class-session materials: an upload
// is announced (and checked) first, the browser then sends the file
// straight to the object store, and a confirm makes it visible. Downloads
// are short-lived links to the store. File bytes never pass through this
// server. A course's and a session's materials differ only in what holds
// them: confirm, download and delete are the same endpoints.
func (s *Server) mountMaterials(r router) {
	r.Post("/courses/:id/uploads", s.requestUpload)
	r.Get("/courses/:id/materials", s.listMaterials)
	r.Post("/sessions/:id/uploads", s.requestSessionUpload)
	r.Get("/sessions/:id/materials", s.listSessionMaterials)
	r.Post("/materials/:id/confirm", s.confirmMaterial)
	r.Get("/materials/:id/download", s.downloadMaterial)
	r.Delete("/materials/:id", s.deleteMaterial)
	r.Get("/storage-usage", s.storageUsage)
}

type materialJSON struct {
	ID          int64      `json:"id"`
	CourseID    *int64     `json:"course_id"`
	SessionID   *int64     `json:"session_id"`
	DisplayName string     `json:"display_name"`
	Kind        string     `json:"kind"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	Status      string     `json:"status"`
	UploadedBy  int64      `json:"uploaded_by"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
}

func toMaterialJSON(m domain.Material) materialJSON {
	size := m.Size
	if m.Status != domain.MaterialReady {
		size = m.DeclaredSize
	}
	return materialJSON{ID: m.ID, CourseID: nullID(m.CourseID), SessionID: nullID(m.SessionID), DisplayName: m.DisplayName, Kind: string(m.Kind), ContentType: m.ContentType,
		Size: size, Status: string(m.Status), UploadedBy: m.UploadedBy, CreatedAt: m.CreatedAt.UTC(), ConfirmedAt: utcPtr(m.ConfirmedAt)}
}

// materialsService is the materials use case, or 503 on a server wired
// without one.
func (s *Server) materialsService() (*materials.Service, error) {
	if s.Materials == nil {
		return nil, domain.ErrObjectsUnavailable("api.materials", nil)
	}
	return s.Materials, nil
}

// materialsAt is the use case and the path's id (of a course or a material).
func (s *Server) materialsAt(c *fiber.Ctx) (*materials.Service, int64, error) {
	svc, err := s.materialsService()
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c, "id")
	return svc, id, err
}

type uploadRequest struct {
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

func (s *Server) requestUpload(c *fiber.Ctx) error {
	return s.announceUpload(c, (*materials.Service).RequestUpload)
}

func (s *Server) requestSessionUpload(c *fiber.Ctx) error {
	return s.announceUpload(c, (*materials.Service).RequestSessionUpload)
}

// announceUpload decodes an upload request for the course or session of
// the path and answers the use case's grant.
func (s *Server) announceUpload(c *fiber.Ctx, request func(*materials.Service, context.Context, domain.Principal, int64, materials.UploadRequest) (materials.Upload, error)) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	var req uploadRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	up, err := request(svc, c.UserContext(), principal(c), id, materials.UploadRequest{FileName: req.FileName, ContentType: req.ContentType, Size: req.Size})
	if err != nil {
		return err
	}
	u := up.Upload
	u.ExpiresAt = u.ExpiresAt.UTC()
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"material_id": up.Material.ID, "material": toMaterialJSON(up.Material), "upload": u})
}

func (s *Server) confirmMaterial(c *fiber.Ctx) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	m, err := svc.Confirm(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toMaterialJSON(m))
}

func (s *Server) downloadMaterial(c *fiber.Ctx) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	inline, err := boolQuery(c, "inline")
	if err != nil {
		return err
	}
	d, err := svc.Download(c.UserContext(), principal(c), id, inline)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"url": d.URL, "expires_at": d.ExpiresAt.UTC(), "file_name": d.FileName, "size": d.Size,
		"content_type": d.ContentType, "inline": d.Inline})
}

func (s *Server) deleteMaterial(c *fiber.Ctx) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	if err := svc.Delete(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) listMaterials(c *fiber.Ctx) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	list, err := svc.List(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toMaterialJSON)})
}

func (s *Server) listSessionMaterials(c *fiber.Ctx) error {
	svc, id, err := s.materialsAt(c)
	if err != nil {
		return err
	}
	list, editable, err := svc.ListSession(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toMaterialJSON), "editable": editable})
}

func (s *Server) storageUsage(c *fiber.Ctx) error {
	svc, err := s.materialsService()
	if err != nil {
		return err
	}
	var o domain.StorageOwner
	var f domain.Fields
	o.CentreID, err = queryID(c, "centre_id")
	f.AddErr("centre_id", err)
	o.ProvinceID, err = queryID(c, "province_id")
	f.AddErr("province_id", err)
	if err := f.Err(); err != nil {
		return err
	}
	u, err := svc.Usage(c.UserContext(), principal(c), o)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"centre_id": nullID(u.Owner.CentreID), "province_id": nullID(u.Owner.ProvinceID), "used": u.Used, "quota": u.Quota})
}

// nullID is nil for 0, for JSON null.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
