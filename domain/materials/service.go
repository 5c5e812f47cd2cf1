// Package materials is the use case of course and class-session materials:
// files kept in the object store, uploaded by the browser straight to it
// with a presigned policy, checked by the server before they become
// visible, and downloaded with short-lived presigned links. A material is
// held by a course or by a class session, through the same path (limits,
// quota, checks, safe downloads). Whether a caller may see or edit a course
// is the courses use case's decision, asked through CourseGate; a session's,
// the classes use case's, asked through SessionGate.
package materials

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"densach/domain"
)

// CourseGate answers what a caller may do with a course; the courses use
// case implements it. A course the caller may not read answers Read false
// (or CodeNotFound).
type CourseGate interface {
	CourseAccess(ctx context.Context, p domain.Principal, courseID int64) (domain.CourseAccess, error)
}

// SessionGate answers what a caller may do with a class session's
// materials; the classes use case implements it. A session the caller may
// not see answers Read false (or CodeNotFound).
type SessionGate interface {
	SessionAccess(ctx context.Context, p domain.Principal, sessionID int64) (domain.SessionAccess, error)
}

// Limits are the configurable sizes; zero fields take the defaults.
type Limits struct {
	MaxVideoBytes int64 // one video (default 1 GiB)
	MaxOtherBytes int64 // one file of any other kind (default 50 MiB)
	QuotaBytes    int64 // everything of one centre or one province library (default 20 GiB)
}

// The default limits.
const (
	DefaultMaxVideoBytes = 1 << 30
	DefaultMaxOtherBytes = 50 << 20
	DefaultQuotaBytes    = 20 << 30
)

// Service issues uploads, confirms, downloads, lists and deletes course
// materials. Build it by field assignment in cmd/.
type Service struct {
	Store   domain.MaterialStore
	Objects domain.ObjectStore
	Gate    CourseGate
	// Sessions decides about class sessions' materials; nil: a server
	// without classes, where session materials are not found.
	Sessions SessionGate
	Units    domain.UnitStore // locates a centre for its storage usage
	Limits   Limits
	// UploadExpiry is how long an upload policy is valid (default 15 min);
	// a pending material is kept ConfirmGrace longer for a slow upload to
	// finish and be confirmed.
	UploadExpiry time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// ConfirmGrace is how long after its upload policy expires a pending
// material may still be confirmed before the cleanup removes it.
const ConfirmGrace = time.Hour

// OrphanAge is how old an object without a row must be before the cleanup
// removes it (a row is always written before its upload can start).
const OrphanAge = time.Hour

// Prefix is where every material's object lies.
const Prefix = "materials/"

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) limits() Limits {
	l := s.Limits
	if l.MaxVideoBytes <= 0 {
		l.MaxVideoBytes = DefaultMaxVideoBytes
	}
	if l.MaxOtherBytes <= 0 {
		l.MaxOtherBytes = DefaultMaxOtherBytes
	}
	if l.QuotaBytes <= 0 {
		l.QuotaBytes = DefaultQuotaBytes
	}
	return l
}

// maxSize is the largest file of a kind.
func (l Limits) maxSize(k domain.MaterialKind) int64 {
	if k == domain.MaterialVideo {
		return l.MaxVideoBytes
	}
	return l.MaxOtherBytes
}

// holder is what a material belongs to: a course or a class session
// (exactly one set).
type holder struct{ courseID, sessionID int64 }

func holderOf(m domain.Material) holder { return holder{courseID: m.CourseID, sessionID: m.SessionID} }

// prefix is where the holder's objects lie: materials/<course>/… or
// materials/sessions/<session>/….
func (h holder) prefix() string {
	if h.sessionID != 0 {
		return fmt.Sprintf("%ssessions/%d", Prefix, h.sessionID)
	}
	return fmt.Sprintf("%s%d", Prefix, h.courseID)
}

// holderAccess is what the caller may do with a holder's materials.
type holderAccess struct {
	owner domain.StorageOwner
	read  bool // sees the course or session (else: not found)
	all   bool // lists and downloads all its materials (a course: reads its drafts)
	edit  bool // uploads, confirms their own uploads, deletes
	// closed: takes no new files (a cancelled session)
	closed bool
}

// accessTo asks the course's or the session's gate.
func (s *Service) accessTo(ctx context.Context, pr domain.Principal, h holder) (holderAccess, error) {
	if h.sessionID != 0 {
		if s.Sessions == nil {
			return holderAccess{}, notFound()
		}
		a, err := s.Sessions.SessionAccess(ctx, pr, h.sessionID)
		return holderAccess{owner: domain.StorageOwner{CentreID: a.CentreID}, read: a.Read, all: a.ReadMaterials,
			edit: a.EditMaterials, closed: a.Cancelled}, err
	}
	a, err := s.Gate.CourseAccess(ctx, pr, h.courseID)
	return holderAccess{owner: domain.StorageOwner{CentreID: a.CentreID, ProvinceID: a.ProvinceID}, read: a.Read, all: a.ReadDrafts,
		edit: a.EditLessons}, err
}

// access asks the gate about a course or session and turns "may not read"
// into not found, so that its existence is not revealed.
func (s *Service) access(ctx context.Context, pr domain.Principal, h holder) (holderAccess, error) {
	a, err := s.accessTo(ctx, pr, h)
	if err != nil {
		return a, err
	}
	if !a.read {
		return a, notFound()
	}
	return a, nil
}

// editable reads a material and the caller's access to its course or
// session: not found unless the caller reads it, forbidden unless they edit
// its files (a course's lessons).
func (s *Service) editable(ctx context.Context, pr domain.Principal, id int64) (domain.Material, error) {
	m, err := s.Store.GetMaterial(ctx, id)
	if err != nil {
		return m, err
	}
	a, err := s.access(ctx, pr, holderOf(m))
	if err != nil {
		return m, err
	}
	if !a.edit {
		return m, forbidden()
	}
	return m, nil
}

// UploadRequest is what the browser announces before it uploads.
type UploadRequest struct {
	FileName    string
	ContentType string
	Size        int64
}

// Upload is a pending material and the policy to upload its file with.
type Upload struct {
	Material domain.Material
	Upload   domain.PresignedUpload
}

// RequestUpload checks the announced file (name, allowed type, size within
// the kind's limit, the owner's quota) before anything is uploaded, stores
// a pending material of the course and signs a policy that admits exactly
// that file. Whoever may edit the course's lessons may upload.
func (s *Service) RequestUpload(ctx context.Context, pr domain.Principal, courseID int64, in UploadRequest) (Upload, error) {
	return s.requestUpload(ctx, pr, holder{courseID: courseID}, in)
}

// RequestSessionUpload is RequestUpload for a class session's material
// (slides, handouts), with the same checks, limits and quota (the class's
// centre's): the centre's managers and the class's and session's teachers
// may upload; a cancelled session takes no new files.
func (s *Service) RequestSessionUpload(ctx context.Context, pr domain.Principal, sessionID int64, in UploadRequest) (Upload, error) {
	return s.requestUpload(ctx, pr, holder{sessionID: sessionID}, in)
}

func (s *Service) requestUpload(ctx context.Context, pr domain.Principal, h holder, in UploadRequest) (Upload, error) {
	a, err := s.access(ctx, pr, h)
	if err != nil {
		return Upload{}, err
	}
	if !a.edit {
		return Upload{}, forbidden()
	}
	if a.closed {
		return Upload{}, domain.Fail(domain.CodeConflict, "session_cancelled", nil)
	}
	lim := s.limits()
	var f domain.Fields
	name := domain.CleanFileName(in.FileName, domain.MaxMaterialNameLen)
	t, ok := typeOf(in.ContentType)
	switch {
	case !ok:
		f.AddOf("content_type", "material_type_not_allowed", nil)
	case name != "" && !t.hasExt(name):
		f.AddOf("file_name", "material_extension_mismatch", domain.Params{"extensions": strings.Join(t.exts, ", ")})
	}
	if name == "" || strings.TrimSuffix(name, path.Ext(name)) == "" {
		f.AddOf("file_name", "file_name_required", nil)
	}
	if in.Size <= 0 {
		f.AddOf("size", "material_size_required", nil)
	}
	if err := f.Err(); err != nil {
		return Upload{}, err
	}
	if max := lim.maxSize(t.kind); in.Size > max {
		p := domain.Params{"max": max, "limit": domain.FormatBytes(max), "size": in.Size}
		return Upload{}, &domain.Error{Code: domain.CodeTooLarge, Key: "material_too_large", Message: domain.Message("material_too_large", p), Params: p,
			Fields: []domain.FieldError{domain.FieldOf("size", "material_too_large", p)}}
	}
	expiry := s.UploadExpiry
	if expiry <= 0 {
		expiry = domain.DefaultPresignExpiry
	}
	up, err := s.Objects.PresignUpload(ctx, domain.UploadPolicy{
		Prefix: h.prefix(), ContentType: t.contentType, MinSize: in.Size, MaxSize: in.Size, Expires: expiry})
	if err != nil {
		return Upload{}, err
	}
	m := domain.Material{CourseID: h.courseID, SessionID: h.sessionID, CentreID: a.owner.CentreID, ProvinceID: a.owner.ProvinceID, ObjectKey: up.Key, DisplayName: name,
		Kind: t.kind, ContentType: t.contentType, DeclaredSize: in.Size, Status: domain.MaterialPending, UploadedBy: pr.PersonID,
		ExpiresAt: up.ExpiresAt.Add(ConfirmGrace)}
	if err := s.Store.CreatePendingMaterial(ctx, domain.ActorOf(ctx, pr), &m, lim.QuotaBytes); err != nil {
		return Upload{}, err
	}
	return Upload{Material: m, Upload: up}, nil
}

// Confirm checks an uploaded file before it becomes visible: the object
// must exist with the announced size and type, and its first bytes must be
// what its type says (a renamed executable is not a PDF). A file that fails
// is deleted with its material. Only the uploader confirms, while they may
// still edit the course's lessons (the session's files).
func (s *Service) Confirm(ctx context.Context, pr domain.Principal, id int64) (domain.Material, error) {
	m, err := s.editable(ctx, pr, id)
	if err != nil {
		return m, err
	}
	if m.UploadedBy != pr.PersonID {
		return m, domain.Fail(domain.CodeForbidden, "material_not_yours", nil)
	}
	if m.Status == domain.MaterialReady {
		return m, nil
	}
	info, err := s.Objects.Stat(ctx, m.ObjectKey)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return m, refusal(domain.FieldOf("file", "material_not_uploaded", nil))
	}
	if err != nil {
		return m, err
	}
	t, _ := typeOf(m.ContentType)
	var refuse error
	switch {
	case info.Size != m.DeclaredSize:
		refuse = refusal(domain.FieldOf("file", "material_size_mismatch", nil))
	case !strings.EqualFold(strings.TrimSpace(info.ContentType), m.ContentType):
		refuse = refusal(domain.FieldOf("file", "material_content_mismatch", nil))
	default:
		head, err := s.Objects.ReadHead(ctx, m.ObjectKey, headLen)
		if err != nil {
			return m, err
		}
		if t.magic == nil || !t.magic(head) {
			refuse = refusal(domain.FieldOf("file", "material_content_mismatch", nil))
		}
	}
	if refuse != nil {
		if err := s.discard(ctx, pr, m); err != nil {
			return m, err
		}
		return m, refuse
	}
	return s.Store.ConfirmMaterial(ctx, domain.ActorOf(ctx, pr), m.ID, info.Size)
}

// discard deletes a refused upload: the object first, so that no row ever
// points at nothing (a failed row delete leaves a pending row the cleanup
// removes).
func (s *Service) discard(ctx context.Context, pr domain.Principal, m domain.Material) error {
	if err := s.Objects.Delete(ctx, m.ObjectKey); err != nil {
		return err
	}
	return s.Store.DeleteMaterial(ctx, domain.ActorOf(ctx, pr), m.ID)
}

// Download is a short-lived link to a ready material and what to show
// before anyone follows it.
type Download struct {
	URL         string
	ExpiresAt   time.Time
	FileName    string
	Size        int64
	ContentType string
	Inline      bool
}

// DownloadExpiry is how long a download link is valid.
const DownloadExpiry = 15 * time.Minute

// Download signs a GET of a ready material. The answer carries the stored
// content type and a Content-Disposition naming the cleaned file name
// (RFC 6266): inline only when asked for and the type is safe to show
// (PDF, images, audio, video), an attachment otherwise. Staff who read the
// course's drafts download any of its materials; others those a published
// version of a course they read uses (a course copied from the library
// keeps using the library's material). A session's materials are
// downloaded by those who read its class's centre in full, its teachers and
// the learners enrolled in its class (SessionAccess.ReadMaterials).
func (s *Service) Download(ctx context.Context, pr domain.Principal, id int64, inline bool) (Download, error) {
	m, err := s.Store.GetMaterial(ctx, id)
	if err != nil {
		return Download{}, err
	}
	if ok, err := s.mayDownload(ctx, pr, m); err != nil || !ok {
		if err == nil {
			err = notFound()
		}
		return Download{}, err
	}
	if m.Status != domain.MaterialReady {
		return Download{}, domain.Fail(domain.CodeConflict, "material_not_ready", nil)
	}
	inline = inline && SafeInline(m.ContentType)
	at := s.now().Add(DownloadExpiry)
	url, err := s.Objects.PresignDownload(ctx, m.ObjectKey, domain.DownloadOptions{Filename: m.DisplayName, Inline: inline,
		ContentType: m.ContentType, Expires: DownloadExpiry})
	if err != nil {
		return Download{}, err
	}
	return Download{URL: url, ExpiresAt: at, FileName: m.DisplayName, Size: m.Size, ContentType: m.ContentType, Inline: inline}, nil
}

func (s *Service) mayDownload(ctx context.Context, pr domain.Principal, m domain.Material) (bool, error) {
	if m.SessionID != 0 {
		a, err := s.accessTo(ctx, pr, holderOf(m))
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return false, nil
		}
		return err == nil && a.read && a.all, err
	}
	own, err := s.Gate.CourseAccess(ctx, pr, m.CourseID)
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return false, err
	}
	if own.ReadDrafts {
		return true, nil
	}
	refs, err := s.Store.MaterialRefs(ctx, m.ID)
	if err != nil {
		return false, err
	}
	for _, r := range refs {
		a := own
		if r.CourseID != m.CourseID {
			if a, err = s.Gate.CourseAccess(ctx, pr, r.CourseID); domain.ErrorCode(err) == domain.CodeNotFound {
				continue
			} else if err != nil {
				return false, err
			}
		}
		if a.ReadDrafts || (a.Read && r.Published) {
			return true, nil
		}
	}
	return false, nil
}

// Delete removes a pending material, or a ready one that no lesson or
// cover uses, with its file; whoever edits the course's lessons (the
// session's files) may.
func (s *Service) Delete(ctx context.Context, pr domain.Principal, id int64) error {
	m, err := s.editable(ctx, pr, id)
	if err != nil {
		return err
	}
	// The row goes first (the store refuses one in use); an object left
	// behind by a failed delete is an orphan the cleanup removes.
	if err := s.Store.DeleteMaterial(ctx, domain.ActorOf(ctx, pr), m.ID); err != nil {
		return err
	}
	_ = s.Objects.Delete(ctx, m.ObjectKey)
	return nil
}

// List lists a course's materials for its editors and the staff who read
// its drafts: the ready ones and the caller's own pending uploads.
func (s *Service) List(ctx context.Context, pr domain.Principal, courseID int64) ([]domain.Material, error) {
	if _, err := s.listable(ctx, pr, holder{courseID: courseID}); err != nil {
		return nil, err
	}
	return s.Store.ListCourseMaterials(ctx, courseID, pr.PersonID)
}

// ListSession lists a class session's materials for those who may download
// them (staff who read the class's centre, its teachers, the learners
// enrolled in the class): the ready ones and the caller's own pending
// uploads. Editable says whether the caller may upload and delete them.
func (s *Service) ListSession(ctx context.Context, pr domain.Principal, sessionID int64) (list []domain.Material, editable bool, err error) {
	a, err := s.listable(ctx, pr, holder{sessionID: sessionID})
	if err != nil {
		return nil, false, err
	}
	list, err = s.Store.ListSessionMaterials(ctx, sessionID, pr.PersonID)
	return list, a.edit, err
}

// listable: not found unless the caller reads the holder, forbidden unless
// they see all its materials.
func (s *Service) listable(ctx context.Context, pr domain.Principal, h holder) (holderAccess, error) {
	a, err := s.access(ctx, pr, h)
	if err != nil {
		return a, err
	}
	if !a.all {
		return a, forbidden()
	}
	return a, nil
}

// Usage is an owner's storage: what its materials take and its quota.
type Usage struct {
	Owner domain.StorageOwner
	Used  int64
	Quota int64
}

// Usage reports a centre's or a province library's storage. Administrators
// see every owner; officers those of their area (a province's library: its
// province's officers); managers and teachers their centre.
func (s *Service) Usage(ctx context.Context, pr domain.Principal, o domain.StorageOwner) (Usage, error) {
	if (o.CentreID == 0) == (o.ProvinceID == 0) || o.CentreID < 0 || o.ProvinceID < 0 {
		return Usage{}, domain.Invalid(domain.FieldOf("centre_id", "storage_owner_required", nil))
	}
	var area domain.Area
	var err error
	if o.CentreID != 0 {
		area, err = s.Units.CentreArea(ctx, o.CentreID)
	} else if area, err = s.Units.UnitArea(ctx, o.ProvinceID, domain.Today(s.now())); err == nil && (area.ProvinceID != o.ProvinceID || area.CommuneID != 0) {
		return Usage{}, domain.Invalid(domain.FieldOf("province_id", "storage_owner_required", nil))
	}
	if err != nil {
		return Usage{}, err
	}
	if !pr.AreaFilter().Matches(area) && !teaches(pr, o.CentreID) {
		return Usage{}, forbidden()
	}
	used, err := s.Store.StorageUsed(ctx, o)
	if err != nil {
		return Usage{}, err
	}
	return Usage{Owner: o, Used: used, Quota: s.limits().QuotaBytes}, nil
}

func teaches(pr domain.Principal, centreID int64) bool {
	for _, g := range pr.Grants {
		if g.Role == domain.RoleTeacher && centreID != 0 && g.CentreID == centreID {
			return true
		}
	}
	return false
}

// CleanupBatch is how many rows or objects the cleanup handles at a time.
const CleanupBatch = 500

// Cleanup removes what failed uploads leave behind: pending materials past
// their expiry with their objects, and objects under materials/ that no
// row holds and that are older than OrphanAge. It reports how many rows
// and objects it removed. The periodic job runs it; it takes no principal.
func (s *Service) Cleanup(ctx context.Context) (rows, objects int64, err error) {
	now := s.now()
	for {
		expired, err := s.Store.ExpiredMaterials(ctx, now, CleanupBatch)
		if err != nil {
			return rows, objects, err
		}
		for _, m := range expired {
			if err := s.Objects.Delete(ctx, m.ObjectKey); err != nil {
				return rows, objects, err
			}
			gone, err := s.Store.DeleteExpiredMaterial(ctx, m.ID, now)
			if err != nil {
				return rows, objects, err
			}
			if gone {
				rows++
			}
		}
		if len(expired) < CleanupBatch {
			break
		}
	}
	after := ""
	for {
		list, err := s.Objects.ListAfter(ctx, Prefix, after, CleanupBatch)
		if err != nil || len(list) == 0 {
			return rows, objects, err
		}
		keys := make([]string, len(list))
		for i, o := range list {
			keys[i] = o.Key
		}
		held, err := s.Store.MaterialKeys(ctx, keys)
		if err != nil {
			return rows, objects, err
		}
		for _, o := range list {
			if held[o.Key] || now.Sub(o.LastModified) < OrphanAge {
				continue
			}
			if err := s.Objects.Delete(ctx, o.Key); err != nil {
				return rows, objects, err
			}
			objects++
		}
		if len(list) < CleanupBatch {
			return rows, objects, nil
		}
		after = list[len(list)-1].Key
	}
}

func notFound() error  { return domain.Fail(domain.CodeNotFound, "not_found", nil) }
func forbidden() error { return domain.Fail(domain.CodeForbidden, "forbidden", nil) }

// refusal refuses the material as a whole (422) for the reason fe names.
func refusal(fe domain.FieldError) error {
	return &domain.Error{Code: domain.CodeInvalid, Key: fe.Code, Message: fe.Message, Fields: []domain.FieldError{fe}}
}
