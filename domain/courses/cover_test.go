package courses_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"densach/domain"
	"densach/domain/catalogue"
	"densach/domain/courses"
	"densach/storage/postgres"
)

// signer is an object store that only signs downloads, recording what it
// was asked; every other method is left to the nil interface (never called).
type signer struct {
	domain.ObjectStore
	mu   sync.Mutex
	asks []domain.DownloadOptions
}

func (s *signer) PresignDownload(_ context.Context, key string, d domain.DownloadOptions) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asks = append(s.asks, d)
	return "https://objects.test/" + key + "?sig", nil
}

// material stores a material of the course at centre A1 and returns its id.
func (w *world) material(courseID int64, kind, contentType, status string) int64 {
	w.T.Helper()
	w.n++
	size, confirmed := "NULL", "NULL"
	if status == "ready" {
		size, confirmed = "100", "now()"
	}
	return w.ID(`INSERT INTO materials (course_id, centre_id, object_key, display_name, kind, content_type, declared_size, size, status,
		uploaded_by, expires_at, confirmed_at) VALUES ($1, $2, $3, 'tệp', $4, $5, 100, `+size+`, $6,
		(SELECT person_id FROM accounts LIMIT 1), now() + interval '1 hour', `+confirmed+`) RETURNING id`,
		courseID, w.CentreA1, "materials/"+strings.Repeat("k", w.n)+"/f", kind, contentType, status)
}

// TestCoverURL: a course's cover is an uploaded ready image of the course
// (anything else is refused); the course page, the management list and
// the catalogue carry a short-lived inline link to it for whoever reads
// the version it belongs to, signed without a request to the store; none
// without a cover, for a version without one, or for a cover that is not
// an image.
func TestCoverURL(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	objects := &signer{}
	w.svc.Objects = objects
	cat := catalogue.New(postgres.NewCatalogue(w.DB))
	cat.Objects = objects
	mgr, learner, officerB := w.signIn(kManagerA1), w.signIn(kLearnerA1), w.signIn(kOfficerB)

	d := w.course(tDraftA1)
	if d.Version.CoverURL != "" {
		t.Fatalf("a course without a cover has the link %q", d.Version.CoverURL)
	}
	png := w.material(d.ID, "image", "image/png", "ready")
	other := w.course(tLibDraftA)
	for name, id := range map[string]int64{
		"a PDF":                   w.material(d.ID, "document", "application/pdf", "ready"),
		"a pending image":         w.material(d.ID, "image", "image/jpeg", "pending"),
		"another course's image":  w.material(other.ID, "image", "image/png", "ready"),
		"a material that is none": 1 << 40,
	} {
		_, err := w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{CoverMaterialID: &id})
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Code != "course_cover_invalid" {
			t.Errorf("%s as the cover: %v", name, err)
		}
	}

	d = must(w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{CoverMaterialID: &png}))
	if d.Version.Details.CoverMaterialID != png || !strings.HasPrefix(d.Version.CoverURL, "https://objects.test/materials/") {
		t.Fatalf("after setting the cover: %d %q", d.Version.Details.CoverMaterialID, d.Version.CoverURL)
	}
	ask := objects.asks[len(objects.asks)-1]
	if !ask.Inline || ask.ContentType != "image/png" || !ask.Known || ask.Expires != domain.CoverExpiry {
		t.Fatalf("the cover is signed with %+v", ask)
	}
	// The draft's cover is the staff's; the learner reads nothing yet.
	if _, err := w.svc.Get(ctx, learner, d.ID, ""); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("a learner reads a draft course: %v", err)
	}
	must(w.svc.Publish(ctx, mgr, d.ID))

	for who, p := range map[string]domain.Principal{"manager": mgr, "learner": learner} {
		got := must(w.svc.Get(ctx, p, d.ID, courses.VersionPublished))
		if got.Version.CoverURL == "" {
			t.Errorf("the %s reads the published course without its cover link", who)
		}
		page := must(cat.Search(ctx, p, catalogue.Query{}))
		if len(page.Items) != 1 || page.Items[0].CourseID != d.ID || page.Items[0].CoverURL == "" {
			t.Errorf("the %s's catalogue: %+v", who, page.Items)
		}
	}
	list := must(w.svc.List(ctx, mgr, courses.ListFilter{}))
	for _, it := range list.Items {
		if (it.ID == d.ID) != (it.CoverURL != "") {
			t.Errorf("course %d is listed with the cover link %q", it.ID, it.CoverURL)
		}
	}
	if _, err := w.svc.Get(ctx, officerB, d.ID, ""); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("an officer of another province reads the course: %v", err)
	}
	if page := must(cat.Search(ctx, officerB, catalogue.Query{})); len(page.Items) != 0 {
		t.Fatalf("an officer of another province sees %+v", page.Items)
	}

	// Removing the cover on a new draft: the learner keeps the published
	// version's cover, the staff's draft has none.
	d = must(w.svc.OpenDraft(ctx, mgr, d.ID))
	none := int64(0)
	if got := must(w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{CoverMaterialID: &none})); got.Version.CoverURL != "" {
		t.Fatalf("the draft without a cover has the link %q", got.Version.CoverURL)
	}
	if got := must(w.svc.Get(ctx, learner, d.ID, "")); got.Version.CoverURL == "" {
		t.Fatal("the learner lost the published version's cover to the draft")
	}

	// A cover that is not an image (written around the use case) is no
	// cover: no link is ever signed for it.
	pdf := w.material(d.ID, "document", "application/pdf", "ready")
	w.ID(`UPDATE course_versions SET cover_material_id = $1 WHERE id = $2`, pdf, d.DraftVersionID)
	draft := must(w.svc.Get(ctx, mgr, d.ID, courses.VersionDraft))
	if draft.Version.CoverURL != "" {
		t.Fatalf("a PDF as the cover is signed: %q", draft.Version.CoverURL)
	}
	for _, a := range objects.asks {
		if !strings.HasPrefix(a.ContentType, "image/") {
			t.Fatalf("signed a cover of type %q", a.ContentType)
		}
	}
}
