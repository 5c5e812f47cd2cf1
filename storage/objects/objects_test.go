package objects_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
)

// Ping creates a missing bucket: at start, and again when MinIO comes back
// without it (the bucket removed behind the store's back).
func TestPingEnsuresTheBucketAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := objtest.Config(t)
	cfg.ProbeInterval = 50 * time.Millisecond
	s, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := objtest.Client(t, cfg)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping of a store without its bucket: %v", err)
	}
	if ok, err := c.BucketExists(ctx, cfg.Bucket); err != nil || !ok {
		t.Fatalf("bucket after the first Ping: exists=%v, %v", ok, err)
	}
	if err := c.RemoveBucket(ctx, cfg.Bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, "a/b"); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Stat with the bucket gone = %v, want unavailable", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if s.Ping(ctx) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the bucket was not created again")
		}
	}
	if ok, err := c.BucketExists(ctx, cfg.Bucket); err != nil || !ok {
		t.Fatalf("bucket after MinIO came back without it: exists=%v, %v", ok, err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket of an existing bucket: %v", err)
	}
}

// Watch creates the bucket again without anyone asking for the store.
func TestWatchEnsuresTheBucket(t *testing.T) {
	cfg := objtest.Config(t)
	cfg.ProbeInterval = 50 * time.Millisecond
	s, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx)
	c := objtest.Client(t, cfg)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if ok, _ := c.BucketExists(ctx, cfg.Bucket); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("Watch did not create the bucket")
		}
	}
}

// With nothing listening, every operation answers unavailable with the
// Vietnamese message, and after the first check without waiting again.
func TestUnreachableStoreAnswersUnavailableAtOnce(t *testing.T) {
	s, err := objects.Open(objects.Config{Endpoint: "127.0.0.1:1", AccessKey: "k", SecretKey: "secret-secret", Bucket: "densach", ProbeTimeout: 500 * time.Millisecond, ProbeInterval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ops := map[string]func() error{
		"Ping":   func() error { return s.Ping(ctx) },
		"Stat":   func() error { _, err := s.Stat(ctx, "a/b"); return err },
		"Head":   func() error { _, err := s.ReadHead(ctx, "a/b", 8); return err },
		"Delete": func() error { return s.Delete(ctx, "a/b") },
		"List":   func() error { _, err := s.List(ctx, "a", 10); return err },
		"Upload": func() error {
			_, err := s.PresignUpload(ctx, domain.UploadPolicy{Prefix: "a", ContentType: "application/pdf", MinSize: 1, MaxSize: 10})
			return err
		},
		"Download": func() error { _, err := s.PresignDownload(ctx, "a/b", domain.DownloadOptions{}); return err },
	}
	_ = s.Ping(ctx) // the first check, bounded by ProbeTimeout
	for name, op := range ops {
		start := time.Now()
		err := op()
		e := domain.AsError(err)
		if e.Code != domain.CodeUnavailable || e.Message == "" {
			t.Errorf("%s = %v, want unavailable with a message", name, err)
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("%s took %s with the state known", name, d)
		}
	}
}

func TestWrongCredentialsAreRefused(t *testing.T) {
	cfg := objtest.Config(t)
	cfg.SecretKey = "not-the-secret"
	s, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.EnsureBucket(ctx); err == nil {
		t.Fatal("EnsureBucket with a wrong secret succeeded")
	}
}
