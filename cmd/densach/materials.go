package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"time"

	"densach/domain"
	"densach/domain/materials"
	"densach/storage/objects"
	"densach/storage/postgres"
)

// materialsService wires the materials use case.
// The courses use case decides who may use a course's files.
func materialsService(cfg config, db *postgres.DB, store domain.ObjectStore, gate materials.CourseGate) *materials.Service {
	return &materials.Service{Store: postgres.NewMaterials(db), Objects: store, Gate: gate, Units: postgres.NewUnits(db), Limits: cfg.Materials}
}

// internalStore is the object store as this server reaches it: presigned
// requests the server itself sends (the demo's files) must be signed for
// MINIO_ENDPOINT, not for the browsers' public endpoint.
func internalStore(cfg config, store *objects.Store) (*objects.Store, error) {
	if cfg.Objects.PublicEndpoint == "" {
		return store, nil
	}
	c := cfg.Objects
	c.PublicEndpoint = ""
	return objects.Open(c)
}

//go:embed data/demo
var demoFiles embed.FS

// demoCourseTitle is the course the demo's files belong to (seeded with the
// courses).
const demoCourseTitle = "Kỹ năng số cơ bản cho người dân"

// demoFile is one of the demo's files: where it is embedded, its name,
// type and kind, and the demo lesson it belongs to (by title, in the
// courses' seed; else the course's first file lesson of lessonKind).
type demoFile struct {
	file, name, contentType string
	kind                    domain.MaterialKind
	lessonKind, lesson      string
}

// demoFileList is the demo's files.
var demoFileList = []demoFile{
	{"bai-1-dien-thoai-an-toan.pdf", "Bài 1 – Dùng điện thoại thông minh an toàn.pdf", "application/pdf", domain.MaterialDocument, "document", "Cẩm nang an toàn thông tin"},
	{"bai-2-goi-video.webm", "Bài 2 – Gọi video cho người thân.webm", "video/webm", domain.MaterialVideo, "video", "Cài đặt ứng dụng Zalo"},
}

// storeDemoFile stores a demo file in MinIO the way a browser would (a
// presigned POST) and records it as a ready material of the course. A
// course that already has a file of that name keeps it: its id is
// returned with created false.
func storeDemoFile(ctx context.Context, db *postgres.DB, store domain.ObjectStore, c postgres.DemoCourse, f demoFile) (int64, bool, error) {
	if id, err := db.MaterialNamed(ctx, c.ID, f.name); err != nil || id != 0 {
		return id, false, err
	}
	body, err := demoFiles.ReadFile("data/demo/" + f.file)
	if err != nil {
		return 0, false, err
	}
	size := int64(len(body))
	up, err := store.PresignUpload(ctx, domain.UploadPolicy{Prefix: fmt.Sprintf("%s%d", materials.Prefix, c.ID), ContentType: f.contentType, MinSize: size, MaxSize: size})
	if err != nil {
		return 0, false, err
	}
	if err := postUpload(ctx, up, body); err != nil {
		return 0, false, err
	}
	m := domain.Material{CourseID: c.ID, CentreID: c.Owner.CentreID, ProvinceID: c.Owner.ProvinceID, ObjectKey: up.Key, DisplayName: f.name,
		Kind: f.kind, ContentType: f.contentType, DeclaredSize: size, Size: size, UploadedBy: c.CreatedBy, ExpiresAt: time.Now()}
	created, err := db.SeedDemoMaterial(ctx, &m)
	if err != nil || !created {
		_ = store.Delete(ctx, up.Key)
	}
	return m.ID, created, err
}

// demoMaterialsFor stores the demo's files for a course being seeded and
// returns their material ids by the title of the lesson each belongs to,
// for the courses' seed to use before it publishes the course. While MinIO
// does not answer yet it returns none: the seed_demo_materials job stores
// and attaches them later.
func demoMaterialsFor(store domain.ObjectStore) func(ctx context.Context, db *postgres.DB, courseID int64) (map[string]int64, error) {
	return func(ctx context.Context, db *postgres.DB, courseID int64) (map[string]int64, error) {
		c, err := db.DemoCourseByID(ctx, courseID)
		if err != nil {
			return nil, err
		}
		out := map[string]int64{}
		for _, f := range demoFileList {
			id, _, err := storeDemoFile(ctx, db, store, c, f)
			if domain.ErrorCode(err) == domain.CodeUnavailable {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			out[f.lesson] = id
		}
		return out, nil
	}
}

// seedDemoMaterials returns the job that stores the demo's files in MinIO
// and attaches them to the demo course's file lessons that have none. It
// runs once MinIO answers (the job waits while it does not) and does
// nothing when the demo has no such course or already has the files.
func seedDemoMaterials(db *postgres.DB, store domain.ObjectStore, log *slog.Logger) func(ctx context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		c, err := db.DemoCourseByTitle(ctx, demoCourseTitle)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			log.Info("demo materials: no course titled " + demoCourseTitle + "; nothing to attach")
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		var n int64
		for _, f := range demoFileList {
			id, created, err := storeDemoFile(ctx, db, store, c, f)
			if err != nil {
				return n, err
			}
			if created {
				n++
			}
			if err := db.AttachDemoMaterial(ctx, c.ID, id, f.lessonKind); err != nil {
				return n, err
			}
		}
		log.Info("demo materials stored", "course_id", c.ID, "files", n)
		return n, nil
	}
}

// postUpload sends body to a presigned policy as a browser form does; a
// store that does not answer is unavailable (the job waits for it).
func postUpload(ctx context.Context, up domain.PresignedUpload, body []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range up.Fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	fw, err := mw.CreateFormFile("file", "demo")
	if err != nil {
		return err
	}
	_, _ = fw.Write(body)
	if err := mw.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, up.URL, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return domain.ErrObjectsUnavailable("seed.postUpload", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode/100 != 2 {
		return errors.New("demo materials: upload answered " + resp.Status + ": " + string(msg))
	}
	return nil
}
