// Package objects implements the domain's object store on MinIO (or any S3
// service) through minio-go.
package objects

import (
	"context"
	"fmt"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"densach/domain"
)

// Config locates the object store.
type Config struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	UseSSL    bool
}

// Store is a bucket on MinIO.
type Store struct {
	client *minio.Client
	bucket string
}

// Open builds the client; it does not contact the server.
func Open(cfg Config) (*Store, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseSSL,
	})
	if err != nil {
		return nil, fmt.Errorf("objects: %w", err)
	}
	return &Store{client: c, bucket: cfg.Bucket}, nil
}

// EnsureBucket creates the bucket when it is missing.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return domain.Wrap("objects.EnsureBucket", domain.CodeUnavailable, err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "BucketAlreadyOwnedByYou" {
			return nil
		}
		return domain.Wrap("objects.EnsureBucket", domain.CodeUnavailable, err)
	}
	return nil
}

// Ping checks that the bucket can be reached.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return domain.Wrap("objects.Ping", domain.CodeUnavailable, err)
	}
	if !ok {
		return domain.Wrap("objects.Ping", domain.CodeUnavailable, fmt.Errorf("bucket %q missing", s.bucket))
	}
	return nil
}
