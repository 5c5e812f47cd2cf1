package domain

import (
	"context"
	"regexp"
	"time"
)

// ObjectStore keeps files (course materials, submissions, certificates)
// outside the database. Files never pass through the API: a browser uploads
// straight to the store with a presigned POST policy and downloads with a
// presigned URL; the server only signs, inspects and deletes.
//
// Error codes every method may return: CodeUnavailable when the store does
// not answer (with a Vietnamese message saying that files are unreachable
// for now), CodeInvalid for a malformed key, prefix or policy (field codes
// object_key, object_prefix, content_type, size_range), CodeNotFound for a
// key that does not exist (Stat, ReadHead, PresignDownload). Delete of a
// missing key succeeds.
type ObjectStore interface {
	// PresignUpload signs a POST policy for one new object under
	// p.Prefix, with a key the server generates: the store refuses a file
	// of another content type or a size outside [MinSize, MaxSize].
	PresignUpload(ctx context.Context, p UploadPolicy) (PresignedUpload, error)
	// PresignDownload signs a GET of key whose answer names the file
	// d.Filename (Content-Disposition) and carries d.ContentType if set.
	PresignDownload(ctx context.Context, key string, d DownloadOptions) (string, error)
	// Stat describes key.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// ReadHead reads at most the first n bytes of key (to check magic
	// bytes before a file becomes visible).
	ReadHead(ctx context.Context, key string, n int) ([]byte, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns at most limit objects whose key starts with prefix, in
	// key order (to find orphaned uploads).
	List(ctx context.Context, prefix string, limit int) ([]ObjectInfo, error)
	// ListAfter is List from the first key after after ("" = the start),
	// to walk a prefix in batches.
	ListAfter(ctx context.Context, prefix, after string, limit int) ([]ObjectInfo, error)
}

// UploadPolicy is what a presigned upload allows.
type UploadPolicy struct {
	Prefix      string        // where the generated key goes, e.g. "materials/12" (a trailing slash is ignored)
	ContentType string        // the only content type accepted
	MinSize     int64         // bytes, at least 1
	MaxSize     int64         // bytes
	Expires     time.Duration // how long the policy is valid; 0 = 15 minutes
}

// PresignedUpload is what a browser needs to upload: POST a multipart form
// to URL with Fields, then the file as the last field named "file".
type PresignedUpload struct {
	URL       string            `json:"url"`
	Fields    map[string]string `json:"fields"`
	Key       string            `json:"key"`
	ExpiresAt time.Time         `json:"expires_at"`
}

// DownloadOptions shape a presigned download's answer.
type DownloadOptions struct {
	Filename    string        // shown to the user when saving; may be Vietnamese
	Inline      bool          // display in the browser instead of saving
	ContentType string        // overrides the stored content type when set
	Expires     time.Duration // 0 = 15 minutes
	// Known says the caller knows the object exists (a ready material's):
	// the store signs without asking MinIO, so signing stays local.
	Known bool
}

// ObjectInfo describes one stored object.
type ObjectInfo struct {
	Key          string
	Size         int64
	ContentType  string
	ETag         string
	LastModified time.Time
}

// DefaultPresignExpiry is how long presigned requests stay valid by default.
const DefaultPresignExpiry = 15 * time.Minute

// MaxPresignExpiry is the longest validity a presigned request may have.
const MaxPresignExpiry = 24 * time.Hour

var (
	objectKeyRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$`)
	objectPrefixRe = regexp.MustCompile(`^([a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*/?)?$`)
	contentTypeRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$`)
)

// CheckObjectKey refuses keys that the server would not have generated:
// lower-case ASCII segments separated by single slashes, at most 512 bytes.
func CheckObjectKey(key string) error {
	if len(key) > 512 || !objectKeyRe.MatchString(key) {
		return Invalid(FieldOf("key", "object_key", nil))
	}
	return nil
}

// CheckObjectPrefix refuses prefixes outside the key alphabet ("" is all;
// a trailing slash keeps "a/1" from matching "a/12/…").
func CheckObjectPrefix(prefix string) error {
	if len(prefix) > 256 || !objectPrefixRe.MatchString(prefix) {
		return Invalid(FieldOf("prefix", "object_prefix", nil))
	}
	return nil
}

// Check validates the policy and fills in its default expiry.
func (p *UploadPolicy) Check() error {
	var f Fields
	if p.Prefix == "" || CheckObjectPrefix(p.Prefix) != nil {
		f.AddOf("prefix", "object_prefix", nil)
	}
	if !contentTypeRe.MatchString(p.ContentType) {
		f.AddOf("content_type", "content_type", nil)
	}
	if p.MinSize < 1 || p.MaxSize < p.MinSize {
		f.AddOf("size", "size_range", nil)
	}
	if p.Expires == 0 {
		p.Expires = DefaultPresignExpiry
	}
	if p.Expires < 0 || p.Expires > MaxPresignExpiry {
		f.AddOf("expires", "presign_expiry", nil)
	}
	if len(f) > 0 {
		return Invalid(f...)
	}
	return nil
}

// ErrObjectsUnavailable is the error every object operation returns while
// the object store does not answer.
func ErrObjectsUnavailable(op string, cause error) *Error {
	return &Error{Code: CodeUnavailable, Op: op, Err: cause,
		Key: "objects_unavailable", Message: Message("objects_unavailable", nil)}
}
