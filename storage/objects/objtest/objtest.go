// Package objtest gives tests a fresh bucket on the MinIO named by the
// environment (MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY,
// MINIO_USE_SSL), removed with its objects when the test ends.
package objtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"densach/storage/objects"
)

// Required reports whether a missing service must fail the run instead of
// skipping the test: under CI and under `make test`.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("DENSACH_REQUIRE_SERVICES") != ""
}

// Config returns the environment's MinIO settings with a fresh bucket name
// that no bucket has yet. Without MinIO the test fails when Required and
// is skipped otherwise, saying why.
func Config(t testing.TB) objects.Config {
	t.Helper()
	cfg := objects.Config{
		Endpoint:  os.Getenv("MINIO_ENDPOINT"),
		AccessKey: os.Getenv("MINIO_ACCESS_KEY"),
		SecretKey: os.Getenv("MINIO_SECRET_KEY"),
		UseSSL:    os.Getenv("MINIO_USE_SSL") == "true",
	}
	if cfg.Endpoint == "" {
		missing(t, "MINIO_ENDPOINT is not set (`source .data/services.env` after `make services`)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	cfg.Bucket = "densach-test-" + hex.EncodeToString(b[:])
	c := client(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ListBuckets(ctx); err != nil {
		missing(t, "MinIO at MINIO_ENDPOINT ("+cfg.Endpoint+") does not answer: "+err.Error())
	}
	t.Cleanup(func() { removeBucket(c, cfg.Bucket) })
	return cfg
}

// Store opens a store on a fresh bucket that already exists.
func Store(t testing.TB) *objects.Store {
	t.Helper()
	s, err := objects.Open(Config(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("objtest: create bucket: %v", err)
	}
	return s
}

// Client is a plain minio-go client on cfg, for checks behind the store's back.
func Client(t testing.TB, cfg objects.Config) *minio.Client {
	t.Helper()
	return client(t, cfg)
}

func client(t testing.TB, cfg objects.Config) *minio.Client {
	t.Helper()
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.UseSSL})
	if err != nil {
		t.Fatalf("objtest: client: %v", err)
	}
	return c
}

func missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatalf("objtest: MinIO is required under CI and `make test`: %s", why)
	}
	t.Skipf("objtest: %s; run the tests through `make test`, which starts MinIO", why)
}

// removeBucket deletes the bucket and everything in it, if it exists.
func removeBucket(c *minio.Client, bucket string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if ok, err := c.BucketExists(ctx, bucket); err != nil || !ok {
		return
	}
	for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err == nil {
			_ = c.RemoveObject(ctx, bucket, o.Key, minio.RemoveObjectOptions{})
		}
	}
	_ = c.RemoveBucket(ctx, bucket)
}
