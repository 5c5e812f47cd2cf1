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
	"slices"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/materials"
	"densach/storage/objects"
	"densach/storage/postgres"
)

// materialsService wires the materials use case.
// The courses use case decides who may use a course's files, the classes
// use case who may use a class session's.
func materialsService(cfg config, db *postgres.DB, store domain.ObjectStore, coursesSvc *courses.Service) *materials.Service {
	return &materials.Service{Store: postgres.NewMaterials(db), Objects: store, Gate: coursesSvc, Sessions: classesService(db, coursesSvc),
		Units: postgres.NewUnits(db), Limits: cfg.Materials}
}

// classesService wires the classes use case (the courses use case answers
// which published course a class offers).
func classesService(db *postgres.DB, coursesSvc *courses.Service) *classes.Service {
	return &classes.Service{Store: postgres.NewClasses(db), Courses: coursesSvc}
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
// type and kind, and the title of the demo lesson it belongs to.
type demoFile struct {
	file, name, contentType string
	kind                    domain.MaterialKind
	lesson                  string
}

// demoFileList is the demo's files.
var demoFileList = []demoFile{
	{"bai-1-dien-thoai-an-toan.pdf", "Bài 1 – Dùng điện thoại thông minh an toàn.pdf", "application/pdf", domain.MaterialDocument, "Cẩm nang an toàn thông tin"},
	{"bai-2-goi-video.webm", "Bài 2 – Gọi video cho người thân.webm", "video/webm", domain.MaterialVideo, "Cài đặt ứng dụng Zalo"},
}

// storeDemoFile stores a demo file in MinIO the way a browser would (a
// presigned POST) and records it as a ready material of the course. A
// course that already has a file of that name keeps it: its id is
// returned with created false.
func storeDemoFile(ctx context.Context, db *postgres.DB, store domain.ObjectStore, c postgres.DemoCourse, f demoFile) (int64, bool, error) {
	if id, err := db.MaterialNamed(ctx, c.ID, f.name); err != nil || id != 0 {
		return id, false, err
	}
	m := domain.Material{CourseID: c.ID, CentreID: c.Owner.CentreID, ProvinceID: c.Owner.ProvinceID, UploadedBy: c.CreatedBy}
	created, err := putDemoFile(ctx, db, store, fmt.Sprintf("%s%d", materials.Prefix, c.ID), f, &m)
	return m.ID, created, err
}

// putDemoFile uploads a demo file under prefix and records it as the ready
// material m (whose holder, owner and uploader are set), unless its holder
// has one of that name already.
func putDemoFile(ctx context.Context, db *postgres.DB, store domain.ObjectStore, prefix string, f demoFile, m *domain.Material) (bool, error) {
	body, err := demoFiles.ReadFile("data/demo/" + f.file)
	if err != nil {
		return false, err
	}
	size := int64(len(body))
	up, err := store.PresignUpload(ctx, domain.UploadPolicy{Prefix: prefix, ContentType: f.contentType, MinSize: size, MaxSize: size})
	if err != nil {
		return false, err
	}
	if err := postUpload(ctx, up, body); err != nil {
		return false, err
	}
	m.ObjectKey, m.DisplayName, m.Kind, m.ContentType = up.Key, f.name, f.kind, f.contentType
	m.DeclaredSize, m.Size, m.ExpiresAt = size, size, time.Now()
	created, err := db.SeedDemoMaterial(ctx, m)
	if err != nil || !created {
		_ = store.Delete(ctx, up.Key)
	}
	return created, err
}

// demoClassTitle is the demo class whose first session gets a handout
// (seeded with the classes).
const demoClassTitle = "Kỹ năng số cơ bản — lớp buổi tối tổ 5"

// demoHandout is the handout of the demo class's first session.
var demoHandout = demoFile{"buoi-1-phieu-bai-tap.pdf", "Phiếu bài tập buổi 1 – Mật khẩu mạnh và mã OTP.pdf", "application/pdf", domain.MaterialDocument, ""}

// seedDemoHandout attaches the demo handout to the first session of the
// demo class, as its teacher's upload, through the same object path as
// every material (materials/sessions/<id>/…). Once: a session that has it
// keeps it. Without the demo class it does nothing; while MinIO does not
// answer it is unavailable (the seed_demo_materials job tries later).
func seedDemoHandout(ctx context.Context, db *postgres.DB, store domain.ObjectStore) (bool, error) {
	s, err := db.DemoFirstSession(ctx, demoClassTitle)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if id, err := db.SessionMaterialNamed(ctx, s.ID, demoHandout.name); err != nil || id != 0 {
		return false, err
	}
	m := domain.Material{SessionID: s.ID, CentreID: s.CentreID, UploadedBy: s.TeacherID}
	return putDemoFile(ctx, db, store, fmt.Sprintf("%ssessions/%d", materials.Prefix, s.ID), demoHandout, &m)
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

// seedDemoMaterials returns the job that stores the demo class's handout
// and completes the demo course when
// `seed demo` built it while MinIO was not answering yet (make run starts
// MinIO in the background): the seed leaves out the file lessons it had no
// file for, so the published version lacks them. The job stores the files
// and, as the course's creator and through the courses use cases, opens a
// draft, adds those lessons with their files at their demo places and
// publishes it as the next version — published versions stay frozen. It
// finds nothing to do when the lessons are there (the seed had MinIO), and
// waits while MinIO does not answer. If someone already has a draft open,
// the lessons go into that draft and publishing it is left to them.
func seedDemoMaterials(db *postgres.DB, svc *courses.Service, store domain.ObjectStore, log *slog.Logger) func(ctx context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		// The demo class's handout first (the seed stored it when MinIO
		// answered; while it does not, the job waits).
		if stored, err := seedDemoHandout(ctx, db, store); err != nil {
			return 0, err
		} else if stored {
			log.Info("demo materials: the demo class's first session has its handout")
		}
		c, err := db.DemoCourseByTitle(ctx, demoCourseTitle)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			log.Info("demo materials: no course titled " + demoCourseTitle + "; nothing to attach")
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		dc, ok := demoCourseTitled(demoCourseTitle)
		if !ok || c.CreatorAccount == 0 {
			return 0, fmt.Errorf("demo materials: the course %d has no demo definition or its creator no account", c.ID)
		}
		p, err := postgres.NewAuth(db).AccountPrincipal(ctx, c.CreatorAccount)
		if err != nil {
			return 0, err
		}
		d, err := svc.Get(ctx, p, c.ID, "") // the open draft, else the published version
		if err != nil {
			return 0, err
		}
		missing := missingFileLessons(dc, d)
		if len(missing) == 0 {
			log.Info("demo materials: the demo course has its file lessons", "course_id", c.ID)
			return 0, nil
		}
		// The files first: while MinIO does not answer, no draft is opened.
		files := map[string]int64{}
		for _, f := range demoFileList {
			if !missing[f.lesson] {
				continue
			}
			if files[f.lesson], _, err = storeDemoFile(ctx, db, store, c, f); err != nil {
				return 0, err
			}
		}
		publish := d.Version.Number != 0
		if publish {
			if d, err = svc.OpenDraft(ctx, p, c.ID); err != nil {
				return 0, err
			}
		}
		n, err := addDemoLessons(ctx, svc, p, d, dc, files)
		if err != nil {
			return n, err
		}
		if publish {
			if _, err := svc.Publish(ctx, p, c.ID); err != nil {
				return n, err
			}
		}
		log.Info("demo materials: file lessons added", "course_id", c.ID, "lessons", n, "published", publish)
		return n, nil
	}
}

// demoCourseTitled is the demo course of that title.
func demoCourseTitled(title string) (demoCourse, bool) {
	for _, dc := range demoCourses {
		if dc.details.Title == title {
			return dc, true
		}
	}
	return demoCourse{}, false
}

// missingFileLessons are the titles of the demo's file lessons that the
// version d lacks.
func missingFileLessons(dc demoCourse, d courses.Detail) map[string]bool {
	have := map[string]bool{}
	for _, m := range d.Modules {
		for _, l := range m.Lessons {
			have[l.Title] = true
		}
	}
	missing := map[string]bool{}
	for _, dm := range dc.modules {
		for _, dl := range dm.lessons {
			if dl.needsFile() && !have[dl.title] {
				missing[dl.title] = true
			}
		}
	}
	return missing
}

// addDemoLessons adds to the draft d the file lessons that have a file,
// each in its demo module (by title), and puts them at their demo places
// (after the lessons the demo puts before them). It returns how many.
func addDemoLessons(ctx context.Context, svc *courses.Service, p domain.Principal, d courses.Detail, dc demoCourse, files map[string]int64) (int64, error) {
	added := map[int64]bool{}
	for _, dm := range dc.modules {
		i := slices.IndexFunc(d.Modules, func(m courses.Module) bool { return m.Title == dm.title })
		if i < 0 {
			continue
		}
		for _, dl := range dm.lessons {
			if files[dl.title] == 0 || !dl.needsFile() {
				continue
			}
			in, _ := dl.input(files[dl.title])
			l, err := svc.AddLesson(ctx, p, d.Modules[i].ID, in)
			if err != nil {
				return int64(len(added)), fmt.Errorf("lesson %s: %w", dl.title, err)
			}
			added[l.ID] = true
		}
	}
	if len(added) == 0 {
		return 0, nil
	}
	d, err := svc.Get(ctx, p, d.ID, courses.VersionDraft)
	if err != nil {
		return int64(len(added)), err
	}
	order := make([]courses.ModuleOrder, len(d.Modules))
	for i, m := range d.Modules {
		order[i] = courses.ModuleOrder{ID: m.ID, LessonIDs: demoPlaces(m, dc, added)}
	}
	_, err = svc.Reorder(ctx, p, d.ID, order)
	return int64(len(added)), err
}

// demoPlaces is the order of a module's lessons with each added lesson
// moved right after the last lesson the demo puts before it (first when
// none); the others keep their order.
func demoPlaces(m courses.Module, dc demoCourse, added map[int64]bool) []int64 {
	rank := map[string]int{} // 1-based place in the demo module; 0: not the demo's
	for _, dm := range dc.modules {
		if dm.title == m.Title {
			for i, dl := range dm.lessons {
				rank[dl.title] = i + 1
			}
		}
	}
	var placed []courses.Lesson
	for _, l := range m.Lessons {
		if !added[l.ID] {
			placed = append(placed, l)
		}
	}
	for _, l := range m.Lessons {
		if !added[l.ID] {
			continue
		}
		at := 0
		for i, o := range placed {
			if r := rank[o.Title]; r != 0 && r < rank[l.Title] {
				at = i + 1
			}
		}
		placed = slices.Insert(placed, at, l)
	}
	ids := make([]int64, len(placed))
	for i, l := range placed {
		ids[i] = l.ID
	}
	return ids
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
