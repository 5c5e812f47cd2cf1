// Package objects implements the domain's object store on MinIO (or any S3
// service) through minio-go.
package objects

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

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
	// PublicEndpoint is where browsers reach the store when that is not
	// Endpoint (a proxy, a public name): presigned URLs are signed for it.
	// "host[:port]" (scheme as UseSSL) or "http(s)://host[:port]"; empty:
	// Endpoint.
	PublicEndpoint string
	// ProbeInterval is how long a check of the store's state is trusted
	// before it is made again (default 3s); ProbeTimeout bounds one check
	// (default 1s).
	ProbeInterval time.Duration
	ProbeTimeout  time.Duration
}

// Store is a bucket on MinIO. It keeps the store's last known state so
// that readiness and object operations answer at once while MinIO is down,
// and it creates the bucket again when MinIO comes back without it.
type Store struct {
	client *minio.Client
	bucket string
	cfg    Config

	// publicHost and publicSecure locate PublicEndpoint; public is the
	// client that signs for it, made on first use with the bucket's region
	// (so that signing never calls the public address).
	publicHost   string
	publicSecure bool
	public       *minio.Client

	mu      sync.Mutex
	checked time.Time     // when state was last established; zero = never
	state   error         // nil while the bucket answers
	running chan struct{} // closed when the running check ends
}

var _ domain.ObjectStore = (*Store)(nil)

// Open builds the client; it does not contact the server.
func Open(cfg Config) (*Store, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseSSL,
	})
	if err != nil {
		return nil, fmt.Errorf("objects: %w", err)
	}
	if cfg.ProbeInterval <= 0 {
		cfg.ProbeInterval = 3 * time.Second
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = time.Second
	}
	s := &Store{client: c, bucket: cfg.Bucket, cfg: cfg}
	if cfg.PublicEndpoint != "" {
		if s.publicHost, s.publicSecure, err = ParsePublicEndpoint(cfg.PublicEndpoint, cfg.UseSSL); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ParsePublicEndpoint reads "host[:port]" (secure as useSSL) or
// "http(s)://host[:port]" (no path, query or credentials).
func ParsePublicEndpoint(v string, useSSL bool) (host string, secure bool, err error) {
	bad := fmt.Errorf("objects: MINIO_PUBLIC_ENDPOINT must be host[:port] or http(s)://host[:port], not %q", v)
	if !strings.Contains(v, "://") {
		v = map[bool]string{true: "https://", false: "http://"}[useSSL] + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false, bad
	}
	return u.Host, u.Scheme == "https", nil
}

// BrowserOrigin is the origin browsers reach the store at, the one
// presigned URLs are signed for: PublicEndpoint when set, else Endpoint,
// "http(s)://host[:port]" with the scheme those URLs use. The web app's
// Content-Security-Policy lets pages talk to that origin and no other.
func (c Config) BrowserOrigin() (string, error) {
	host, secure := c.Endpoint, c.UseSSL
	if c.PublicEndpoint != "" {
		var err error
		if host, secure, err = ParsePublicEndpoint(c.PublicEndpoint, c.UseSSL); err != nil {
			return "", err
		}
		if !originHost.MatchString(host) {
			return "", fmt.Errorf("objects: MINIO_PUBLIC_ENDPOINT must be host[:port] or http(s)://host[:port], not %q", c.PublicEndpoint)
		}
	} else if !originHost.MatchString(host) {
		return "", fmt.Errorf("objects: MINIO_ENDPOINT must be host[:port], not %q", c.Endpoint)
	}
	return map[bool]string{true: "https://", false: "http://"}[secure] + host, nil
}

// originHost is a host[:port] that may stand in a header as it is.
var originHost = regexp.MustCompile(`^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$`)

// signer is the client that signs presigned requests: the public one when
// PublicEndpoint is set.
func (s *Store) signer(ctx context.Context, op string) (*minio.Client, error) {
	if s.publicHost == "" {
		return s.client, nil
	}
	s.mu.Lock()
	c := s.public
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	region, err := s.client.GetBucketLocation(ctx, s.bucket)
	if err != nil {
		return nil, s.translate(op, err)
	}
	c, err = minio.New(s.publicHost, &minio.Options{
		Creds:  credentials.NewStaticV4(s.cfg.AccessKey, s.cfg.SecretKey, ""),
		Secure: s.publicSecure, Region: region,
	})
	if err != nil {
		return nil, domain.Wrap(op, domain.CodeInternal, err)
	}
	s.mu.Lock()
	s.public = c
	s.mu.Unlock()
	return c, nil
}

// EnsureBucket creates the bucket when it is missing.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return domain.ErrObjectsUnavailable("objects.EnsureBucket", err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "BucketAlreadyOwnedByYou" {
			return nil
		}
		return domain.ErrObjectsUnavailable("objects.EnsureBucket", err)
	}
	return nil
}

// Ping reports whether the bucket answers, from a check at most
// ProbeInterval old: it waits only for the very first check (at most
// ProbeTimeout); afterwards a stale state is answered at once while a new
// check runs in the background. A check creates the bucket when MinIO
// answers without it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.ready(ctx); err != nil {
		return domain.ErrObjectsUnavailable("objects.Ping", err)
	}
	return nil
}

// Watch keeps the state fresh, and so the bucket ensured, every
// ProbeInterval until ctx ends: the first request after MinIO comes back
// then finds it answering, even where no load balancer polls readiness.
func (s *Store) Watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.ProbeInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = s.ready(ctx)
		}
	}
}

// ready returns the store's state as Ping describes it.
func (s *Store) ready(ctx context.Context) error {
	s.mu.Lock()
	fresh := !s.checked.IsZero() && time.Since(s.checked) < s.cfg.ProbeInterval
	if fresh || (s.running != nil && !s.checked.IsZero()) {
		err := s.state
		s.mu.Unlock()
		return err
	}
	wait := s.running
	if wait == nil {
		wait = make(chan struct{})
		s.running = wait
		go s.check(wait)
	}
	first := s.checked.IsZero()
	err := s.state
	s.mu.Unlock()
	if !first {
		return err
	}
	select {
	case <-wait:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// check ensures the bucket within ProbeTimeout and records the outcome.
func (s *Store) check(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ProbeTimeout)
	defer cancel()
	err := s.EnsureBucket(ctx)
	s.mu.Lock()
	s.state, s.checked, s.running = err, time.Now(), nil
	s.mu.Unlock()
	close(done)
}

// fail records that an operation found the store down, so that the next
// operations answer at once instead of waiting for their own timeouts.
func (s *Store) fail(err error) {
	s.mu.Lock()
	s.state, s.checked = err, time.Now()
	s.mu.Unlock()
}

// recheck records err and makes the state stale, so that the next call
// checks (and ensures the bucket) again.
func (s *Store) recheck(err error) {
	s.mu.Lock()
	s.state = err
	s.checked = time.Time{}.Add(1) // not zero: callers do not wait for it
	s.mu.Unlock()
}

// translate turns a minio-go error into the domain's: a missing key is
// not found, a missing bucket makes the next call create it, and anything
// else (network, credentials) means the store is unavailable.
func (s *Store) translate(op string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case "NoSuchKey", "NoSuchObject":
		return &domain.Error{Code: domain.CodeNotFound, Op: op, Err: err, Key: "object_not_found", Message: domain.Message("object_not_found", nil)}
	case "NoSuchBucket":
		s.recheck(err)
		return domain.ErrObjectsUnavailable(op, err)
	case "":
		if !errors.Is(err, context.Canceled) {
			s.fail(err)
		}
	}
	return domain.ErrObjectsUnavailable(op, err)
}
