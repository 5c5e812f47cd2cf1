package objects

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"densach/domain"
)

func testConfig(t *testing.T) Config {
	t.Helper()
	cfg := Config{Endpoint: os.Getenv("MINIO_ENDPOINT"), AccessKey: os.Getenv("MINIO_ACCESS_KEY"), SecretKey: os.Getenv("MINIO_SECRET_KEY"), UseSSL: os.Getenv("MINIO_USE_SSL") == "true"}
	if cfg.Endpoint == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("MINIO_ENDPOINT is not set: run the tests through `make test`")
		}
		t.Skip("MINIO_ENDPOINT is not set: run the tests through `make test`, which starts MinIO")
	}
	cfg.Bucket = fmt.Sprintf("densach-objtest-%d", time.Now().UnixNano())
	return cfg
}

func TestEnsureBucketCreatesMissingBucketOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Open(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.client.RemoveBucket(context.Background(), s.bucket) })
	if err := s.Ping(ctx); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Ping before the bucket exists = %v, want unavailable", err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket again: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after EnsureBucket: %v", err)
	}
}

func TestPingUnreachableServerIsUnavailable(t *testing.T) {
	cfg := testConfig(t)
	cfg.Endpoint = "127.0.0.1:1"
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Ping(ctx); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Ping of an unreachable server = %v, want unavailable", err)
	}
}

func TestWrongCredentialsAreRefused(t *testing.T) {
	cfg := testConfig(t)
	cfg.SecretKey = "not-the-secret"
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.EnsureBucket(ctx); err == nil {
		t.Fatal("EnsureBucket with a wrong secret succeeded")
	}
}
