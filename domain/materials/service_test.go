package materials_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/materials"
)

// webmHead is the EBML header of a WebM file.
var webmHead = []byte{0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04,
	0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84, 'w', 'e', 'b', 'm', 0x42, 0x87, 0x81, 0x02, 0x42, 0x85, 0x81, 0x02}

// get fetches url with optional request headers.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// Presign → upload with a plain HTTP client → confirm → presigned download
// (inline, the stored type, the Vietnamese name) and a range request (206),
// for a PDF and a video.
func TestUploadConfirmDownloadAndRange(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, ctype string
		body        []byte
		kind        domain.MaterialKind
	}{
		{"Bài 1 – Dùng điện thoại an toàn.pdf", "application/pdf", pdf(3000), domain.MaterialDocument},
		{"Video hướng dẫn.webm", "video/webm", append(append([]byte{}, webmHead...), bytes.Repeat([]byte{7}, 5000)...), domain.MaterialVideo},
	} {
		t.Run(tc.ctype, func(t *testing.T) {
			up := w.request(w.teacherA1, w.courseA1, tc.name, tc.ctype, tc.body)
			if up.Material.Status != domain.MaterialPending || !strings.HasPrefix(up.Upload.Key, "materials/") || up.Material.Kind != tc.kind {
				t.Fatalf("pending material %+v, upload key %q", up.Material, up.Upload.Key)
			}
			if d := time.Until(up.Upload.ExpiresAt); d <= 0 || d > 16*time.Minute {
				t.Fatalf("upload expires in %s", d)
			}
			// Not visible before the confirm.
			if _, err := w.svc.Download(ctx, w.learnerA1, up.Material.ID, false); codeOf(err) != domain.CodeNotFound {
				t.Fatalf("download of a pending material by a learner: %v", err)
			}
			if _, err := w.svc.Download(ctx, w.teacherA1, up.Material.ID, false); keyOf(err) != "material_not_ready" {
				t.Fatalf("download of a pending material by its uploader: %v", err)
			}
			if st := post(t, up.Upload, tc.body); st != http.StatusNoContent && st != http.StatusOK && st != http.StatusCreated {
				t.Fatalf("upload answered %d", st)
			}
			m, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID)
			if err != nil || m.Status != domain.MaterialReady || m.Size != int64(len(tc.body)) || m.ConfirmedAt == nil {
				t.Fatalf("confirm: %+v, %v", m, err)
			}
			if again, err := w.svc.Confirm(ctx, w.teacherA1, m.ID); err != nil || again.Status != domain.MaterialReady {
				t.Fatalf("second confirm: %+v, %v", again, err)
			}
			d, err := w.svc.Download(ctx, w.managerA1, m.ID, true)
			if err != nil || !d.Inline || d.Size != int64(len(tc.body)) || d.ContentType != tc.ctype || d.FileName != tc.name {
				t.Fatalf("download: %+v, %v", d, err)
			}
			resp, got := get(t, d.URL, nil)
			cd := resp.Header.Get("Content-Disposition")
			if resp.StatusCode != 200 || !bytes.Equal(got, tc.body) || resp.Header.Get("Content-Type") != tc.ctype ||
				!strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, "filename*=utf-8''") || !strings.Contains(cd, `filename="`) {
				t.Fatalf("GET: %d, %d bytes, type %q, disposition %q", resp.StatusCode, len(got), resp.Header.Get("Content-Type"), cd)
			}
			resp, got = get(t, d.URL, map[string]string{"Range": "bytes=0-9"})
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, tc.body[:10]) ||
				resp.Header.Get("Content-Range") != "bytes 0-9/"+strconv.Itoa(len(tc.body)) {
				t.Fatalf("range GET: %d, %q, Content-Range %q", resp.StatusCode, got, resp.Header.Get("Content-Range"))
			}
			att, err := w.svc.Download(ctx, w.managerA1, m.ID, false)
			if err != nil || att.Inline {
				t.Fatalf("download as attachment: %+v, %v", att, err)
			}
			if resp, _ := get(t, att.URL, nil); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("attachment disposition %q", resp.Header.Get("Content-Disposition"))
			}
			list, err := w.svc.List(ctx, w.managerA1, w.courseA1)
			if err != nil || len(list) == 0 || list[0].ID != m.ID {
				t.Fatalf("list: %+v, %v", list, err)
			}
		})
	}
}

// A program renamed .pdf is refused at confirm: its object and its row are
// deleted.
func TestRenamedExecutableIsRefusedAndDeleted(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 2000)...)
	for _, tc := range []struct{ name, ctype string }{
		{"bai-tap.pdf", "application/pdf"},
		{"anh.png", "image/png"},
		{"bai-tap.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	} {
		up := w.request(w.teacherA1, w.courseA1, tc.name, tc.ctype, exe)
		if st := post(t, up.Upload, exe); st/100 != 2 {
			t.Fatalf("upload answered %d", st)
		}
		_, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID)
		if codeOf(err) != domain.CodeInvalid || keyOf(err) != "material_content_mismatch" {
			t.Fatalf("confirm of an executable named %s: %v", tc.name, err)
		}
		if _, err := w.objects.Stat(ctx, up.Upload.Key); codeOf(err) != domain.CodeNotFound {
			t.Fatalf("the refused object is still stored: %v", err)
		}
		if n := w.ID(`SELECT count(*) FROM materials WHERE id = $1`, up.Material.ID); n != 0 {
			t.Fatal("the refused material's row is still stored")
		}
	}
}

// The policy itself refuses a file larger than announced (and another
// content type); the material stays pending and its confirm says the file
// is not there. A size below the announced one is refused too.
func TestPolicyRefusesAnotherSize(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	body := pdf(500)
	up := w.request(w.teacherA1, w.courseA1, "tai-lieu.pdf", "application/pdf", body)
	if st := post(t, up.Upload, pdf(5000)); st/100 == 2 {
		t.Fatalf("an oversized upload answered %d", st)
	}
	if st := post(t, up.Upload, body[:len(body)-1]); st/100 == 2 {
		t.Fatalf("an undersized upload answered %d", st)
	}
	if _, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID); keyOf(err) != "material_not_uploaded" {
		t.Fatalf("confirm without a file: %v", err)
	}
	// The row stays, so that the right file can still be uploaded.
	if st := post(t, up.Upload, body); st/100 != 2 {
		t.Fatalf("the announced file answered %d", st)
	}
	if m, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID); err != nil || m.Status != domain.MaterialReady {
		t.Fatalf("confirm: %+v, %v", m, err)
	}
}

// An upload policy that has expired is refused by the store.
func TestExpiredUploadURLFails(t *testing.T) {
	w := newWorld(t)
	w.svc.UploadExpiry = time.Second
	body := pdf(100)
	up := w.request(w.teacherA1, w.courseA1, "het-han.pdf", "application/pdf", body)
	time.Sleep(2100 * time.Millisecond)
	if st := post(t, up.Upload, body); st != http.StatusForbidden {
		t.Fatalf("an expired policy answered %d, want 403", st)
	}
}

// HTML, SVG, scripts and unknown types are not on the allow-list; and a
// download of a type not safe inline is always an attachment.
func TestScriptTypesAreNeverAccepted(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, ct := range []string{"text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript", "application/xml",
		"application/octet-stream", "application/x-msdownload", "", "application/pdf; x=1\n"} {
		_, err := w.svc.RequestUpload(ctx, w.teacherA1, w.courseA1, materials.UploadRequest{FileName: "trang.html", ContentType: ct, Size: 100})
		if codeOf(err) != domain.CodeInvalid || !hasField(err, "content_type", "material_type_not_allowed") {
			t.Errorf("content type %q: %v", ct, err)
		}
		if materials.SafeInline(ct) {
			t.Errorf("%q is safe inline", ct)
		}
	}
	if _, err := w.svc.RequestUpload(ctx, w.teacherA1, w.courseA1, materials.UploadRequest{FileName: "anh.svg", ContentType: "application/pdf", Size: 100}); !hasField(err, "file_name", "material_extension_mismatch") {
		t.Errorf("a .svg name as a PDF: %v", err)
	}
	// A row of a type that may not show inline (as a DOCX is) downloads
	// as an attachment even when inline is asked for.
	docx := zipHead("word/document.xml")
	m := w.upload(w.teacherA1, w.courseA1, "Giáo án.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx)
	d, err := w.svc.Download(ctx, w.teacherA1, m.ID, true)
	if err != nil || d.Inline {
		t.Fatalf("download of a DOCX asked inline: %+v, %v", d, err)
	}
	if resp, _ := get(t, d.URL, nil); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("DOCX disposition %q", resp.Header.Get("Content-Disposition"))
	}
}

func hasField(err error, field, code string) bool {
	if err == nil {
		return false
	}
	for _, f := range domain.AsError(err).Fields {
		if f.Field == field && f.Code == code {
			return true
		}
	}
	return false
}

// zipHead is the start of an OOXML zip: [Content_Types].xml then the part.
func zipHead(part string) []byte {
	var b []byte
	for _, name := range []string{"[Content_Types].xml", part} {
		b = append(b, "PK\x03\x04"...)
		b = append(b, make([]byte, 22)...)
		b = append(b, byte(len(name)), 0, 0, 0)
		b = append(b, name...)
		b = append(b, bytes.Repeat([]byte("x"), 200)...)
	}
	return b
}

// Path parts, control characters and NUL are cleaned out of names; the
// name is NFC and bounded; the stored name is the cleaned one.
func TestFileNamesAreCleaned(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":               "passwd",
		`..\..\Windows\system32\cmd.pdf`: "cmd.pdf",
		"bài\x00 1\r\n\t.pdf":            "bài 1.pdf",
		"Ba\u0300i 1.pdf":                "Bài 1.pdf",
		"\u202egnp.exe.pdf":              "gnp.exe.pdf",
		"...hidden.pdf":                  "hidden.pdf",
		`a"b<c>d|e?.pdf`:                 "abcde.pdf",
		"/":                              "",
		strings.Repeat("Tài liệu ", 40) + ".docx": strings.TrimRight(string([]rune(strings.Repeat("Tài liệu ", 40))[:195]), " ") + ".docx",
	} {
		if got := domain.CleanFileName(in, domain.MaxMaterialNameLen); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
	w := newWorld(t)
	ctx := context.Background()
	up := w.request(w.teacherA1, w.courseA1, "../../etc/passwd\x01.pdf", "application/pdf", pdf(10))
	if up.Material.DisplayName != "passwd.pdf" {
		t.Fatalf("stored name %q", up.Material.DisplayName)
	}
	for _, name := range []string{"../../", "\x00\x01", " . ", ""} {
		_, err := w.svc.RequestUpload(ctx, w.teacherA1, w.courseA1, materials.UploadRequest{FileName: name, ContentType: "application/pdf", Size: 10})
		if !hasField(err, "file_name", "file_name_required") {
			t.Errorf("name %q: %v", name, err)
		}
	}
	m := w.upload(w.teacherA1, w.courseA1, "Bài\u0300 2/../\"x\".pdf", "application/pdf", pdf(10))
	d, err := w.svc.Download(ctx, w.teacherA1, m.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := get(t, d.URL, nil)
	if cd := resp.Header.Get("Content-Disposition"); strings.ContainsAny(cd, "/\\\r\n\x00") || !strings.Contains(cd, `filename="x.pdf"`) {
		t.Fatalf("disposition %q", cd)
	}
}

// Per-kind limits and the owner's quota are checked before anything is
// uploaded; another owner's quota is its own.
func TestLimitsAndQuota(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.svc.Limits = materials.Limits{MaxVideoBytes: 3000, MaxOtherBytes: 1000, QuotaBytes: 2500}
	req := func(pr domain.Principal, course int64, name, ct string, size int64) error {
		_, err := w.svc.RequestUpload(ctx, pr, course, materials.UploadRequest{FileName: name, ContentType: ct, Size: size})
		return err
	}
	if err := req(w.teacherA1, w.courseA1, "a.pdf", "application/pdf", 1001); codeOf(err) != domain.CodeTooLarge || keyOf(err) != "material_too_large" ||
		!strings.Contains(domain.AsError(err).Message, "1000 byte") {
		t.Fatalf("a PDF over the limit: %v", err)
	}
	if err := req(w.teacherA1, w.courseA1, "v.mp4", "video/mp4", 2001); err != nil {
		t.Fatalf("a video within its limit: %v", err)
	}
	if err := req(w.teacherA1, w.courseA1, "v.mp4", "video/mp4", 3001); keyOf(err) != "material_too_large" {
		t.Fatalf("a video over its limit: %v", err)
	}
	// 2001 pending + 1000 > 2500: refused, with the figures.
	err := req(w.teacherA1, w.courseA1, "b.pdf", "application/pdf", 1000)
	if codeOf(err) != domain.CodeTooLarge || keyOf(err) != "storage_quota_exceeded" || domain.AsError(err).Params["used"] != int64(2001) {
		t.Fatalf("over quota: %v", err)
	}
	if err := req(w.teacherA1, w.courseA1, "c.pdf", "application/pdf", 499); err != nil {
		t.Fatalf("within quota: %v", err)
	}
	if err := req(w.managerB1, w.courseB1, "d.pdf", "application/pdf", 1000); err != nil {
		t.Fatalf("another centre's quota: %v", err)
	}
	u, err := w.svc.Usage(ctx, w.managerA1, domain.StorageOwner{CentreID: w.CentreA1})
	if err != nil || u.Used != 2500 || u.Quota != 2500 {
		t.Fatalf("usage: %+v, %v", u, err)
	}
	if _, err := w.svc.Usage(ctx, w.managerA1, domain.StorageOwner{}); codeOf(err) != domain.CodeInvalid {
		t.Fatalf("usage without an owner: %v", err)
	}
}

// Only the uploader confirms an upload: not another editor, not a reader,
// and a stranger does not learn that it exists.
func TestConfirmByAnotherUserIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	body := pdf(100)
	up := w.request(w.teacherA1, w.courseA1, "cua-giao-vien.pdf", "application/pdf", body)
	if st := post(t, up.Upload, body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	for _, c := range []struct {
		name string
		pr   domain.Principal
		code domain.Code
	}{
		{"manager of the centre", w.managerA1, domain.CodeForbidden},
		{"administrator", w.admin, domain.CodeForbidden},
		{"commune officer", w.officerA1, domain.CodeForbidden},
		{"learner", w.learnerA1, domain.CodeForbidden},
		{"manager elsewhere", w.managerB1, domain.CodeNotFound},
	} {
		if _, err := w.svc.Confirm(ctx, c.pr, up.Material.ID); codeOf(err) != c.code {
			t.Errorf("confirm by the %s: %v, want %s", c.name, err, c.code)
		}
	}
	if m, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID); err != nil || m.Status != domain.MaterialReady {
		t.Fatalf("confirm by the uploader: %+v, %v", m, err)
	}
}

// The cleanup removes pending materials past their expiry with their
// objects, and objects under materials/ without a row once an hour old;
// ready materials and fresh objects stay.
func TestCleanupRemovesExpiredUploadsAndOrphans(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ready := w.upload(w.teacherA1, w.courseA1, "giu-lai.pdf", "application/pdf", pdf(50))
	body := pdf(60)
	stale := w.request(w.teacherA1, w.courseA1, "bo-do.pdf", "application/pdf", body)
	if st := post(t, stale.Upload, body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	w.ID(`UPDATE materials SET expires_at = now() - interval '1 minute' WHERE id = $1`, stale.Material.ID)
	never := w.request(w.teacherA1, w.courseA1, "chua-tai.pdf", "application/pdf", body) // expired, never uploaded
	w.ID(`UPDATE materials SET expires_at = now() - interval '1 minute' WHERE id = $1`, never.Material.ID)
	fresh := w.request(w.teacherA1, w.courseA1, "dang-tai.pdf", "application/pdf", body) // still in time
	// An object whose row is gone (a failed delete): an orphan.
	orphan := w.request(w.teacherA1, w.courseA1, "mo-coi.pdf", "application/pdf", body)
	if st := post(t, orphan.Upload, body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	w.ID(`DELETE FROM materials WHERE id = $1`, orphan.Material.ID)

	// Now: the orphan is too young to go.
	rows, objs, err := w.svc.Cleanup(ctx)
	if err != nil || rows != 2 || objs != 0 {
		t.Fatalf("cleanup: %d rows, %d objects, %v; want 2, 0", rows, objs, err)
	}
	if _, err := w.objects.Stat(ctx, stale.Upload.Key); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("the expired upload's object: %v", err)
	}
	if _, err := w.objects.Stat(ctx, orphan.Upload.Key); err != nil {
		t.Fatalf("a young orphan was removed: %v", err)
	}
	// Two hours on.
	later := *w.svc
	later.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	rows, objs, err = later.Cleanup(ctx)
	if err != nil || rows != 1 || objs != 1 {
		t.Fatalf("cleanup later: %d rows, %d objects, %v; want 1 (the pending one, now expired), 1", rows, objs, err)
	}
	if _, err := w.objects.Stat(ctx, orphan.Upload.Key); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("the orphan is still stored: %v", err)
	}
	if _, err := w.objects.Stat(ctx, ready.ObjectKey); err != nil {
		t.Fatalf("a ready material's object was removed: %v", err)
	}
	left := w.ID(`SELECT count(*) FROM materials WHERE id IN ($1, $2, $3, $4)`, ready.ID, stale.Material.ID, never.Material.ID, fresh.Material.ID)
	if left != 1 {
		t.Fatalf("%d of the four rows are left, want the ready one", left)
	}
}

// A material used by a published lesson of another course (a course copied
// from the library keeps the library's files) downloads for whoever reads
// that course; a material only a draft uses does not, for learners.
func TestDownloadFollowsTheLessonsThatUseAMaterial(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	lib := w.upload(w.officerA, w.libraryA, "thu-vien.pdf", "application/pdf", pdf(20))
	w.publishWith(w.courseA1, lib.ID)                       // centre A1's copy uses the library's file
	w.gate.Courses[w.libraryA] = w.gate.Courses[w.courseB1] // the library now reads as foreign to A1's people
	for _, c := range []struct {
		name string
		pr   domain.Principal
		ok   bool
	}{
		{"learner of the copy's centre", w.learnerA1, true},
		{"teacher of the copy's centre", w.teacherA1, true},
		{"manager elsewhere", w.managerB1, true}, // reads the (now foreign) library's drafts
		{"commune officer", w.officerA1, true},
	} {
		if _, err := w.svc.Download(ctx, c.pr, lib.ID, false); (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
	draftOnly := w.upload(w.managerB1, w.courseB1, "ban-nhap.pdf", "application/pdf", pdf(20))
	v := w.ID(`INSERT INTO course_versions (course_id, title, category_code, created_by) VALUES ($1, 'Bản nháp', 'digital_skills', $2) RETURNING id`, w.courseA1, w.admin.PersonID)
	m := w.ID(`INSERT INTO course_modules (version_id, position, title) VALUES ($1, 1, 'Phần 1') RETURNING id`, v)
	w.ID(`INSERT INTO lessons (module_id, version_id, position, kind, title, material_id) VALUES ($1, $2, 1, 'document', 'Bài 1', $3)`, m, v, draftOnly.ID)
	if _, err := w.svc.Download(ctx, w.learnerA1, draftOnly.ID, false); codeOf(err) != domain.CodeNotFound {
		t.Errorf("learner, a file only a draft uses: %v", err)
	}
	if _, err := w.svc.Download(ctx, w.teacherA1, draftOnly.ID, false); err != nil {
		t.Errorf("teacher, a file their draft uses: %v", err)
	}
}
