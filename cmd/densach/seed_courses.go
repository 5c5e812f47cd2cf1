package main

import (
	"context"
	"fmt"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/quizzes"
	"densach/storage/postgres"
)

// demoLesson is a lesson of a demo course. A video or document lesson
// needs a file: the demo files provide it, and without one the lesson is
// left out (a video falls back to url when it has one).
type demoLesson struct {
	kind    courses.LessonKind
	title   string
	body    string
	url     string
	minutes int
}

// needsFile reports a video or document lesson with no link: without a
// file it is left out.
func (dl demoLesson) needsFile() bool {
	return (dl.kind == courses.KindVideo || dl.kind == courses.KindDocument) && dl.url == ""
}

// input is the lesson as the courses use case takes it, with the material
// when there is one (0: none); false when it cannot be made without one.
func (dl demoLesson) input(material int64) (courses.LessonInput, bool) {
	in := courses.LessonInput{Kind: dl.kind, Title: dl.title, BodyMD: dl.body, URL: dl.url, MaterialID: material,
		Required: dl.kind != courses.KindLink, EstimatedMinutes: dl.minutes}
	if material != 0 {
		in.URL = ""
	}
	return in, material != 0 || !dl.needsFile()
}

// needsFiles reports a course with a lesson that needs a file (only
// those get the demo's files).
func (dc demoCourse) needsFiles() bool {
	for _, dm := range dc.modules {
		for _, dl := range dm.lessons {
			if dl.needsFile() {
				return true
			}
		}
	}
	return false
}

type demoModule struct {
	title   string
	lessons []demoLesson
}

// demoCourse is a course of the demo, built through the courses use cases
// by the person who would build it (phone) and published unless draft.
type demoCourse struct {
	by      string // phone of the demo account that creates it
	centre  string // centre name, or "" for the province library
	details courses.Details
	tags    []demoTag
	modules []demoModule
	draft   bool
}

type demoTag struct {
	framework, code string
	step            int16
}

// demoFilesFunc attaches files to a demo course before it is published:
// it returns, by lesson title, a ready material of the course (none while
// the object store does not answer).
type demoFilesFunc func(ctx context.Context, db *postgres.DB, courseID int64) (map[string]int64, error)

func hours(h float64) *float64 { return &h }

var demoCourses = []demoCourse{
	{by: "0901000004", centre: centreTanPhong,
		details: courses.Details{Title: "Kỹ năng số cơ bản cho người dân", Summary: "Dùng điện thoại thông minh an toàn: tìm thông tin, nhắn tin, gọi video và nhận biết lừa đảo trên mạng.",
			DescriptionMD: "Khóa học dành cho người dân chưa quen dùng điện thoại thông minh.\n\n**Sau khóa học, học viên có thể:**\n\n- tìm kiếm thông tin đáng tin cậy;\n- nhắn tin, gọi video với người thân;\n- nhận biết tin nhắn, cuộc gọi lừa đảo.",
			Category:      "digital_skills", TargetGroups: []string{"Người cao tuổi", "Phụ nữ", "Người dân tộc thiểu số"}, EstimatedHours: hours(12), Mode: courses.ModeBlended, Sequential: true},
		tags: []demoTag{{"tt02-2025", "1.1", 1}, {"tt02-2025", "2.1", 2}, {"tt02-2025", "4.2", 2}},
		modules: []demoModule{
			{"Làm quen với điện thoại thông minh", []demoLesson{
				{kind: courses.KindText, title: "Bật, tắt và sạc điện thoại", body: "Nhấn giữ **nút nguồn** khoảng 3 giây để bật máy.\n\nSạc pin khi còn dưới 20%.", minutes: 15},
				{kind: courses.KindVideo, title: "Cài đặt ứng dụng Zalo", minutes: 10},
				{kind: courses.KindLink, title: "Cổng Dịch vụ công quốc gia", url: "https://dichvucong.gov.vn/", minutes: 10},
			}},
			{"An toàn trên mạng", []demoLesson{
				{kind: courses.KindText, title: "Nhận biết tin nhắn lừa đảo", body: "Không bấm vào đường dẫn lạ.\n\nKhông đọc mã OTP cho bất kỳ ai, kể cả người xưng là công an hay ngân hàng.", minutes: 20},
				{kind: courses.KindDocument, title: "Cẩm nang an toàn thông tin", minutes: 30},
				{kind: courses.KindLink, title: "Cổng cảnh báo an toàn thông tin", url: "https://khonggianmang.vn/", minutes: 10},
				{kind: courses.KindQuiz, title: "Kiểm tra cuối khóa", minutes: 15},
			}},
		}},
	{by: "0901000002",
		details: courses.Details{Title: "Ứng dụng CNTT cho cán bộ Hội", Summary: "Máy tính, văn bản và thư điện tử cho cán bộ Hội Khuyến học cấp xã.",
			DescriptionMD: "Khóa học theo chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản (Thông tư 03/2014/TT-BTTTT), mô đun IU01 đến IU03.",
			Category:      "digital_skills", TargetGroups: []string{"Cán bộ Hội Khuyến học"}, EstimatedHours: hours(24), Mode: courses.ModeInPerson},
		tags: []demoTag{{"tt03-2014", "IU01", 0}, {"tt03-2014", "IU02", 0}, {"tt03-2014", "IU03", 0}},
		modules: []demoModule{
			{"Hiểu biết về công nghệ thông tin cơ bản", []demoLesson{{kind: courses.KindText, title: "Máy tính và các thiết bị", body: "Máy tính gồm phần cứng và phần mềm.", minutes: 45}}},
			{"Sử dụng máy tính cơ bản", []demoLesson{{kind: courses.KindText, title: "Tệp và thư mục", body: "Tạo, đổi tên và sắp xếp tệp.", minutes: 45}}},
			{"Xử lý văn bản cơ bản", []demoLesson{{kind: courses.KindText, title: "Soạn một công văn", body: "Căn lề, phông chữ và thể thức văn bản hành chính.", minutes: 60}}},
		}},
	{by: "0901000004", centre: centreTanPhong,
		details: courses.Details{Title: "Trồng chè an toàn", Summary: "Kỹ thuật trồng, chăm sóc và thu hái chè theo hướng an toàn, ít thuốc bảo vệ thực vật.",
			Category: "agriculture", TargetGroups: []string{"Hộ trồng chè"}, EstimatedHours: hours(8), Mode: courses.ModeInPerson},
		modules: []demoModule{
			{"Chăm sóc cây chè", []demoLesson{
				{kind: courses.KindText, title: "Bón phân hữu cơ", body: "Bón phân chuồng hoai mục vào đầu mùa mưa.", minutes: 30},
				{kind: courses.KindText, title: "Phòng trừ sâu bệnh", body: "Ưu tiên biện pháp sinh học; tuân thủ thời gian cách ly.", minutes: 30},
			}},
		}},
	{by: "0901000004", centre: centreTanPhong, draft: true,
		details: courses.Details{Title: "Sử dụng dịch vụ công trực tuyến", Summary: "Nộp hồ sơ, tra cứu và thanh toán trên Cổng Dịch vụ công quốc gia.",
			Category: "digital_skills", EstimatedHours: hours(6), Mode: courses.ModeOnline},
		tags: []demoTag{{"tt02-2025", "2.2", 2}},
		modules: []demoModule{
			{"Tài khoản định danh điện tử", []demoLesson{{kind: courses.KindText, title: "Đăng nhập bằng VNeID", body: "Mở ứng dụng VNeID và quét mã QR.", minutes: 20}}},
		}},
	{by: "0901000007", centre: centreDoanKet,
		details: courses.Details{Title: "Trồng và chăm sóc chè Shan tuyết", Summary: "Thực hành trên nương chè: trồng, đốn, bón phân và hái chè Shan tuyết đúng kỹ thuật, an toàn.",
			Category: "agriculture", TargetGroups: []string{"Hộ trồng chè", "Hợp tác xã chè"}, EstimatedHours: hours(10), Mode: courses.ModeInPerson},
		modules: []demoModule{
			{"Trồng và đốn chè", []demoLesson{
				{kind: courses.KindText, title: "Chọn giống và trồng chè", body: "Trồng vào đầu mùa mưa; hố cách hố 1 m, hàng cách hàng 1,5 m.", minutes: 45},
				{kind: courses.KindText, title: "Đốn chè", body: "Đốn phớt hằng năm vào tháng 12 – tháng 1, khi cây nghỉ sinh trưởng.", minutes: 30},
			}},
			{"Thu hái an toàn", []demoLesson{
				{kind: courses.KindText, title: "Hái chè một tôm hai lá", body: "Hái vào buổi sáng; không hái chè trong thời gian cách ly sau khi phun thuốc.", minutes: 30},
			}},
		}},
}

// seedCourses builds the demo courses idempotently (a course whose title
// its owner already has is left as it is).
func seedCourses(ctx context.Context, db *postgres.DB, files demoFilesFunc) (int, error) {
	svc := &courses.Service{Store: postgres.NewCourses(db)}
	qsvc := &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: svc}
	auth := postgres.NewAuth(db)
	made := 0
	for _, dc := range demoCourses {
		var acct, centre, province int64
		row := db.SQL().QueryRowContext(ctx, `SELECT a.id, coalesce((SELECT id FROM centres WHERE name = $2), 0),
			coalesce((SELECT id FROM units WHERE code = $3 AND valid_to IS NULL), 0)
			FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $1`, dc.by, dc.centre, codeLaiChau)
		if err := row.Scan(&acct, &centre, &province); err != nil {
			return made, fmt.Errorf("course %s: the demo account %s: %w", dc.details.Title, dc.by, err)
		}
		nc := courses.NewCourse{Details: dc.details}
		if dc.centre != "" {
			nc.CentreID = centre
		} else {
			nc.ProvinceID = province
		}
		var existing int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce(min(c.id), 0) FROM courses c JOIN course_versions v ON v.course_id = c.id
			WHERE v.title = $1 AND (c.centre_id = $2 OR c.province_id = $3)`, dc.details.Title, nc.CentreID, nc.ProvinceID).Scan(&existing); err != nil {
			return made, err
		}
		p, err := auth.AccountPrincipal(ctx, acct)
		if err != nil {
			return made, err
		}
		if existing != 0 {
			// Built by an earlier seed: only its quiz may be missing.
			if err := upgradeDemoQuiz(ctx, db, svc, qsvc, p, existing, dc); err != nil {
				return made, fmt.Errorf("course %s: %w", dc.details.Title, err)
			}
			continue
		}
		for _, t := range dc.tags {
			var id int32
			if err := db.SQL().QueryRowContext(ctx, `SELECT c.id FROM competences c JOIN competence_frameworks f ON f.id = c.framework_id
				WHERE f.code = $1 AND c.code = $2`, t.framework, t.code).Scan(&id); err != nil {
				return made, fmt.Errorf("course %s: competence %s %s: %w", dc.details.Title, t.framework, t.code, err)
			}
			nc.Tags = append(nc.Tags, domain.CompetenceTag{CompetenceID: id, LevelStep: t.step})
		}
		if err := buildDemoCourse(ctx, db, svc, qsvc, p, nc, dc, files); err != nil {
			return made, fmt.Errorf("course %s: %w", dc.details.Title, err)
		}
		made++
	}
	return made, nil
}

func buildDemoCourse(ctx context.Context, db *postgres.DB, svc *courses.Service, qsvc *quizzes.Service, p domain.Principal, nc courses.NewCourse, dc demoCourse, demoFiles demoFilesFunc) error {
	d, err := svc.Create(ctx, p, nc)
	if err != nil {
		return err
	}
	var files map[string]int64
	if demoFiles != nil && dc.needsFiles() {
		if files, err = demoFiles(ctx, db, d.ID); err != nil {
			return err
		}
	}
	for _, dm := range dc.modules {
		m, err := svc.AddModule(ctx, p, d.ID, dm.title)
		if err != nil {
			return err
		}
		for _, dl := range dm.lessons {
			in, ok := dl.input(files[dl.title])
			if !ok {
				continue
			}
			if _, err := svc.AddLesson(ctx, p, m.ID, in); err != nil {
				return fmt.Errorf("lesson %s: %w", dl.title, err)
			}
		}
	}
	// The quiz goes in before the first publication, which freezes it.
	if dq, ok := demoQuizzes[dc.details.Title]; ok {
		if err := fillDemoQuiz(ctx, svc, qsvc, p, d.ID, dq); err != nil {
			return err
		}
	}
	if !dc.draft {
		_, err = svc.Publish(ctx, p, d.ID)
	}
	return err
}

// upgradeDemoQuiz gives a demo course built by an earlier seed (before the
// demo had quizzes) its quiz: in its draft (opened when it has none) and,
// for a published course, a new published version. A course whose quiz
// lesson already has questions is left as it is.
func upgradeDemoQuiz(ctx context.Context, db *postgres.DB, svc *courses.Service, qsvc *quizzes.Service, p domain.Principal, courseID int64, dc demoCourse) error {
	dq, ok := demoQuizzes[dc.details.Title]
	if !ok {
		return nil
	}
	// Done: the current version (published, else the draft) has the quiz
	// lesson with its rules, and the bank has questions.
	var done bool
	if err := db.SQL().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM courses c
		JOIN lessons l ON l.version_id = coalesce(c.published_version_id, c.draft_version_id) AND l.kind = 'quiz' AND l.title = $2
		JOIN quiz_settings qs ON qs.lesson_id = l.id
		WHERE c.id = $1 AND (qs.frozen_at IS NULL OR jsonb_array_length(qs.questions) > 0))
		AND EXISTS (SELECT 1 FROM quiz_questions WHERE course_id = $1)`, courseID, dq.lesson).Scan(&done); err != nil || done {
		return err
	}
	h, err := svc.Get(ctx, p, courseID, courses.VersionPublished)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return fillDemoQuiz(ctx, svc, qsvc, p, courseID, dq) // a draft only
	}
	if err != nil {
		return err
	}
	if h.DraftVersionID == 0 {
		if _, err := svc.OpenDraft(ctx, p, courseID); err != nil {
			return err
		}
	}
	if err := fillDemoQuiz(ctx, svc, qsvc, p, courseID, dq); err != nil {
		return err
	}
	_, err = svc.Publish(ctx, p, courseID)
	return err
}
