package domain

import (
	"context"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaterialKind is what a course material is, as the lessons use it.
type MaterialKind string

// The kinds of material (as in the materials table).
const (
	MaterialVideo    MaterialKind = "video"
	MaterialAudio    MaterialKind = "audio"
	MaterialDocument MaterialKind = "document"
	MaterialImage    MaterialKind = "image"
)

// MaterialStatus is where an upload stands: pending until the server has
// checked the stored object, then ready (visible).
type MaterialStatus string

// The statuses of a material.
const (
	MaterialPending MaterialStatus = "pending"
	MaterialReady   MaterialStatus = "ready"
)

// Material is one uploaded file of a course, or of a class session
// (slides, handouts). It counts against its owner's storage quota (the
// course's centre, or the province for a library course; a session's class's
// centre).
type Material struct {
	ID           int64
	CourseID     int64 // the course holding it, or 0 for a session's material
	SessionID    int64 // the class session holding it, or 0 for a course's material
	CentreID     int64 // owner: exactly one of CentreID, ProvinceID
	ProvinceID   int64
	ObjectKey    string
	DisplayName  string
	Kind         MaterialKind
	ContentType  string
	DeclaredSize int64 // what the uploader announced (the upload policy admits exactly this)
	Size         int64 // the stored object's size, once ready
	Status       MaterialStatus
	UploadedBy   int64
	CreatedAt    time.Time
	ExpiresAt    time.Time // a pending material past this is removed by the cleanup
	ConfirmedAt  *time.Time
}

// StorageOwner is whose quota a material counts against: a centre, or a
// province's library (exactly one set).
type StorageOwner struct {
	CentreID   int64
	ProvinceID int64
}

// MaterialRef is a course version whose lesson (or cover) uses a material.
type MaterialRef struct {
	CourseID  int64
	Published bool // the version is published (else the open draft)
}

// MaterialStore keeps the materials' rows. Lookups return CodeNotFound for
// unknown ids.
type MaterialStore interface {
	// CreatePendingMaterial stores m (status pending) when the owner's
	// materials (ready ones by size, pending ones by declared size) plus
	// m.DeclaredSize stay within quota bytes, checked and inserted under a
	// lock of the owner so that concurrent uploads cannot pass it together;
	// otherwise CodeTooLarge with key storage_quota_exceeded.
	CreatePendingMaterial(ctx context.Context, by Actor, m *Material, quota int64) error
	GetMaterial(ctx context.Context, id int64) (Material, error)
	// ConfirmMaterial makes a pending material ready with the stored size;
	// a material already ready is returned as it is.
	ConfirmMaterial(ctx context.Context, by Actor, id, size int64) (Material, error)
	// DeleteMaterial removes a material that no lesson or course cover
	// refers to (CodeConflict with key material_in_use otherwise).
	DeleteMaterial(ctx context.Context, by Actor, id int64) error
	// ListCourseMaterials lists a course's ready materials and the pending
	// ones uploaded by uploader (0: none), newest first.
	ListCourseMaterials(ctx context.Context, courseID, uploader int64) ([]Material, error)
	// ListSessionMaterials lists a class session's ready materials and the
	// pending ones uploaded by uploader (0: none), newest first.
	ListSessionMaterials(ctx context.Context, sessionID, uploader int64) ([]Material, error)
	// MaterialRefs lists the course versions whose lessons or cover use a
	// material (one entry per course and published-or-draft).
	MaterialRefs(ctx context.Context, id int64) ([]MaterialRef, error)
	// StorageUsed sums the owner's materials as the quota counts them.
	StorageUsed(ctx context.Context, o StorageOwner) (int64, error)
	// ExpiredMaterials returns at most limit pending materials whose
	// expires_at is before t, oldest first.
	ExpiredMaterials(ctx context.Context, t time.Time, limit int) ([]Material, error)
	// DeleteExpiredMaterial removes a material that is still pending and
	// past t, and reports whether it did.
	DeleteExpiredMaterial(ctx context.Context, id int64, t time.Time) (bool, error)
	// MaterialKeys returns which of keys a material row holds.
	MaterialKeys(ctx context.Context, keys []string) (map[string]bool, error)
}

// MaxMaterialNameLen bounds a material's display name, in characters.
const MaxMaterialNameLen = 200

// CleanFileName makes a file name someone sent safe to store and show:
// only its last path element (either slash), NFC, without control or format
// characters, NUL, quotes or characters Windows refuses in names, spaces
// collapsed, no leading dots, at most max characters (the extension kept).
// It returns "" when nothing is left.
func CleanFileName(name string, max int) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), strings.ContainsRune(`"<>:|?*`, r):
			return -1
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, norm.NFC.String(name))
	name = strings.Join(strings.Fields(name), " ")
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if max > 0 && utf8.RuneCountInString(name) > max {
		ext := path.Ext(name)
		if n := utf8.RuneCountInString(ext); n > 10 || n >= max {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(r[:max-utf8.RuneCountInString(ext)]), ". ") + ext
	}
	return name
}

// FormatBytes writes a size the way the messages show it: "50 MB",
// "1,5 GB" (binary units, a decimal comma).
func FormatBytes(n int64) string {
	units := []string{"byte", "KB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " " + units[u]
}

// CoverImage is the stored object of a course's cover, as the stores read
// it from a ready image material of the version (zero when it has none).
type CoverImage struct {
	ObjectKey   string
	ContentType string
}

// CoverExpiry is how long a cover's link stays valid: long enough for a
// list scrolled slowly (the images load lazily), short enough that a link
// given to someone who may read the course does not outlive the reason.
const CoverExpiry = time.Hour

// coverTypes are the content types a cover may have: the allow-list's images.
var coverTypes = []string{"image/jpeg", "image/png", "image/webp"}

// URL signs a GET of the cover shown inline with its image type. Signing
// is local (the material is ready, so its object exists: the store is not
// asked), so a list signs one per item without a request each. It is ""
// when there is no cover, the object is not an image, or the store cannot
// sign: the page is shown without its picture rather than refused. The
// caller must already have decided that the person reads the version the
// cover belongs to.
func (c CoverImage) URL(ctx context.Context, o ObjectStore) string {
	if o == nil || c.ObjectKey == "" || !slices.Contains(coverTypes, c.ContentType) {
		return ""
	}
	u, err := o.PresignDownload(ctx, c.ObjectKey, DownloadOptions{Inline: true, ContentType: c.ContentType, Expires: CoverExpiry, Known: true})
	if err != nil {
		return ""
	}
	return u
}
