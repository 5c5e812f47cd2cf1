package objects

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"densach/domain"
)

// PresignUpload signs a POST policy for a new key under p.Prefix that only
// accepts p.ContentType and a size within [p.MinSize, p.MaxSize].
func (s *Store) PresignUpload(ctx context.Context, p domain.UploadPolicy) (domain.PresignedUpload, error) {
	if err := p.Check(); err != nil {
		return domain.PresignedUpload{}, err
	}
	if err := s.ready(ctx); err != nil {
		return domain.PresignedUpload{}, domain.ErrObjectsUnavailable("objects.PresignUpload", err)
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	key := strings.TrimSuffix(p.Prefix, "/") + "/" + hex.EncodeToString(b[:])
	expires := time.Now().Add(p.Expires).UTC()
	policy := minio.NewPostPolicy()
	for _, err := range []error{
		policy.SetBucket(s.bucket),
		policy.SetKey(key),
		policy.SetExpires(expires),
		policy.SetContentType(p.ContentType),
		policy.SetContentLengthRange(p.MinSize, p.MaxSize),
	} {
		if err != nil {
			return domain.PresignedUpload{}, domain.Wrap("objects.PresignUpload", domain.CodeInternal, err)
		}
	}
	signer, err := s.signer(ctx, "objects.PresignUpload")
	if err != nil {
		return domain.PresignedUpload{}, err
	}
	u, fields, err := signer.PresignedPostPolicy(ctx, policy)
	if err != nil {
		return domain.PresignedUpload{}, s.translate("objects.PresignUpload", err)
	}
	return domain.PresignedUpload{URL: u.String(), Fields: fields, Key: key, ExpiresAt: expires}, nil
}

// PresignDownload signs a GET of an existing key whose answer carries a
// Content-Disposition naming d.Filename (RFC 6266, UTF-8 names encoded as
// RFC 5987 filename*).
func (s *Store) PresignDownload(ctx context.Context, key string, d domain.DownloadOptions) (string, error) {
	if err := domain.CheckObjectKey(key); err != nil {
		return "", err
	}
	if d.Expires == 0 {
		d.Expires = domain.DefaultPresignExpiry
	}
	if d.Expires < 0 || d.Expires > domain.MaxPresignExpiry {
		return "", domain.Invalid(domain.FieldOf("expires", "download_expiry", nil))
	}
	if !d.Known {
		if _, err := s.Stat(ctx, key); err != nil {
			return "", err
		}
	}
	params := url.Values{}
	params.Set("response-content-disposition", domain.ContentDisposition(d.Filename, path.Base(key), d.Inline))
	if d.ContentType != "" {
		params.Set("response-content-type", d.ContentType)
	}
	signer, err := s.signer(ctx, "objects.PresignDownload")
	if err != nil {
		return "", err
	}
	u, err := signer.PresignedGetObject(ctx, s.bucket, key, d.Expires, params)
	if err != nil {
		return "", s.translate("objects.PresignDownload", err)
	}
	return u.String(), nil
}

// Stat describes key.
func (s *Store) Stat(ctx context.Context, key string) (domain.ObjectInfo, error) {
	if err := domain.CheckObjectKey(key); err != nil {
		return domain.ObjectInfo{}, err
	}
	if err := s.ready(ctx); err != nil {
		return domain.ObjectInfo{}, domain.ErrObjectsUnavailable("objects.Stat", err)
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return domain.ObjectInfo{}, s.translate("objects.Stat", err)
	}
	return objectInfo(info), nil
}

// ReadHead reads at most the first n bytes of key.
func (s *Store) ReadHead(ctx context.Context, key string, n int) ([]byte, error) {
	if n <= 0 || n > 1<<20 {
		return nil, domain.Invalid(domain.FieldOf("n", "read_length", nil))
	}
	info, err := s.Stat(ctx, key)
	if err != nil || info.Size == 0 {
		return nil, err
	}
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(0, int64(n)-1); err != nil {
		return nil, domain.Wrap("objects.ReadHead", domain.CodeInternal, err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, s.translate("objects.ReadHead", err)
	}
	defer obj.Close()
	b, err := io.ReadAll(io.LimitReader(obj, int64(n)))
	if err != nil {
		return nil, s.translate("objects.ReadHead", err)
	}
	return b, nil
}

// Delete removes key; a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := domain.CheckObjectKey(key); err != nil {
		return err
	}
	if err := s.ready(ctx); err != nil {
		return domain.ErrObjectsUnavailable("objects.Delete", err)
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if domain.ErrorCode(s.translate("objects.Delete", err)) == domain.CodeNotFound {
		return nil
	}
	return s.translate("objects.Delete", err)
}

// List returns at most limit objects whose key starts with prefix, in key
// order.
func (s *Store) List(ctx context.Context, prefix string, limit int) ([]domain.ObjectInfo, error) {
	return s.ListAfter(ctx, prefix, "", limit)
}

// ListAfter returns at most limit objects whose key starts with prefix and
// comes after after, in key order.
func (s *Store) ListAfter(ctx context.Context, prefix, after string, limit int) ([]domain.ObjectInfo, error) {
	if err := domain.CheckObjectPrefix(prefix); err != nil {
		return nil, err
	}
	if after != "" {
		if err := domain.CheckObjectKey(after); err != nil {
			return nil, err
		}
	}
	if limit <= 0 || limit > 10000 {
		return nil, domain.Invalid(domain.FieldOf("limit", "list_limit", nil))
	}
	if err := s.ready(ctx); err != nil {
		return nil, domain.ErrObjectsUnavailable("objects.List", err)
	}
	lctx, cancel := context.WithCancel(ctx) // stops the lister after limit
	defer cancel()
	var out []domain.ObjectInfo
	for info := range s.client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, StartAfter: after, Recursive: true, MaxKeys: min(limit, 1000)}) {
		if info.Err != nil {
			return nil, s.translate("objects.List", info.Err)
		}
		out = append(out, objectInfo(info))
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func objectInfo(i minio.ObjectInfo) domain.ObjectInfo {
	return domain.ObjectInfo{Key: i.Key, Size: i.Size, ContentType: i.ContentType, ETag: i.ETag, LastModified: i.LastModified}
}
