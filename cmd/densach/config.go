package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"densach/api"
	"densach/domain/materials"
	"densach/storage/objects"
)

// Development defaults. They work out of the box on a developer machine and
// are refused in production.
const (
	defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/densach?sslmode=disable"
	defaultMinioKey    = "densach-dev-access"
	defaultMinioSecret = "densach-dev-secret-change-me"
	// defaultJWTKeyFile is where development keeps the signing key it
	// generates when JWT_SIGNING_KEYS is not set: the private data folder,
	// never the source, so that no two servers share a key anyone can read.
	defaultJWTKeyFile = ".data/jwt-signing-key"
)

// config is everything the binary reads from the environment.
type config struct {
	Production  bool
	Addr        string
	DatabaseURL string
	Objects     objects.Config
	// Materials are the size limits and quota of course materials.
	Materials materials.Limits
	// VideoThreshold is the share of a video really played that completes
	// its lesson (PROGRESS_VIDEO_THRESHOLD, default 0.9).
	VideoThreshold float64
	Tokens         api.TokenConfig
	// JWTKeyFile holds the generated development signing key; used only when
	// JWT_SIGNING_KEYS is not set (and never in production).
	JWTKeyFile     string
	RefreshTTL     time.Duration
	AllowedOrigins []string
	TrustedProxies []string
	// PublicURL is the site's address as users reach it (PUBLIC_URL), for
	// links given out of the site (calendar feeds); "" = the request's.
	PublicURL      string
	RequestTimeout time.Duration
	DrainDelay     time.Duration
	// ShutdownTimeout bounds in-flight requests after the drain.
	ShutdownTimeout time.Duration
	// SlowQuery is the slow-query log's threshold (0 = off).
	SlowQuery    time.Duration
	LogLevel     string
	JobWorkers   bool // run background job workers on this instance
	JobsPollOnly bool // fetch jobs by polling (a pooler in transaction mode)
}

// loadConfig reads the environment. In production it refuses defaults and
// missing secrets, naming each one.
func loadConfig(getenv func(string) string) (config, error) {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	mode := env("DENSACH_ENV", "development")
	if mode != "development" && mode != "production" {
		return config{}, fmt.Errorf("DENSACH_ENV must be development or production, not %q", mode)
	}
	c := config{
		Production:  mode == "production",
		Addr:        env("ADDR", ":8080"),
		DatabaseURL: env("DATABASE_URL", defaultDatabaseURL),
		Objects: objects.Config{
			Endpoint:  env("MINIO_ENDPOINT", "127.0.0.1:19000"),
			AccessKey: env("MINIO_ACCESS_KEY", defaultMinioKey),
			SecretKey: env("MINIO_SECRET_KEY", defaultMinioSecret),
			Bucket:    env("MINIO_BUCKET", "densach"),
			UseSSL:    env("MINIO_USE_SSL", "false") == "true",
			// Where browsers reach MinIO, when not at MINIO_ENDPOINT.
			PublicEndpoint: env("MINIO_PUBLIC_ENDPOINT", ""),
		},
		LogLevel: env("LOG_LEVEL", "info"),
	}
	var errs []string
	dur := func(name, def string) time.Duration {
		d, err := time.ParseDuration(env(name, def))
		if err != nil || d < 0 {
			errs = append(errs, fmt.Sprintf("%s must be a duration such as %s", name, def))
		}
		return d
	}
	flag := func(name, def string) bool {
		v := env(name, def)
		if v != "true" && v != "false" {
			errs = append(errs, name+" must be true or false")
		}
		return v == "true"
	}
	size := func(name string, def int64) int64 {
		v := env(name, strconv.FormatInt(def, 10))
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Sprintf("%s must be a number of bytes such as %d", name, def))
		}
		return n
	}
	c.Materials = materials.Limits{
		MaxVideoBytes: size("MATERIAL_MAX_VIDEO_BYTES", materials.DefaultMaxVideoBytes),
		MaxOtherBytes: size("MATERIAL_MAX_OTHER_BYTES", materials.DefaultMaxOtherBytes),
		QuotaBytes:    size("CENTRE_STORAGE_QUOTA_BYTES", materials.DefaultQuotaBytes),
	}
	c.VideoThreshold, _ = strconv.ParseFloat(env("PROGRESS_VIDEO_THRESHOLD", "0.9"), 64)
	if !(c.VideoThreshold > 0 && c.VideoThreshold <= 1) {
		errs = append(errs, "PROGRESS_VIDEO_THRESHOLD must be a share between 0 and 1 such as 0.9")
	}
	// Where browsers reach MinIO (MINIO_PUBLIC_ENDPOINT, else
	// MINIO_ENDPOINT): the pages' Content-Security-Policy names it.
	if _, err := c.Objects.BrowserOrigin(); err != nil {
		errs = append(errs, strings.TrimPrefix(err.Error(), "objects: "))
	}
	c.Tokens = api.TokenConfig{Issuer: env("JWT_ISSUER", "densach"), Audience: env("JWT_AUDIENCE", "densach-api"), TTL: dur("ACCESS_TOKEN_TTL", "15m")}
	if c.Tokens.TTL > 15*time.Minute {
		errs = append(errs, "ACCESS_TOKEN_TTL must be at most 15m")
	}
	c.RefreshTTL = dur("REFRESH_TOKEN_TTL", "720h")
	c.RequestTimeout = dur("REQUEST_TIMEOUT", "15s")
	drain := "0s"
	if c.Production {
		drain = "5s"
	}
	c.DrainDelay = dur("SHUTDOWN_DRAIN", drain)
	c.ShutdownTimeout = dur("SHUTDOWN_TIMEOUT", "5s")
	c.SlowQuery = dur("SLOW_QUERY_THRESHOLD", "200ms")
	c.JWTKeyFile = env("JWT_KEY_FILE", defaultJWTKeyFile)
	if raw := env("JWT_SIGNING_KEYS", ""); raw != "" {
		keys, err := parseKeys(raw)
		if err != nil {
			errs = append(errs, err.Error())
		}
		c.Tokens.Keys = keys
	}
	c.JobWorkers, c.JobsPollOnly = flag("JOBS_WORKERS", "true"), flag("JOBS_POLL_ONLY", "false")
	if o := env("CORS_ALLOWED_ORIGINS", ""); o != "" {
		for _, origin := range strings.Split(o, ",") {
			c.AllowedOrigins = append(c.AllowedOrigins, strings.TrimSpace(origin))
		}
	}
	if u := strings.TrimRight(env("PUBLIC_URL", ""), "/"); u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" || pu.RawQuery != "" || pu.Fragment != "" {
			return c, fmt.Errorf("PUBLIC_URL must be http(s)://host[:port][/path], not %q", u)
		}
		c.PublicURL = u
	}
	if o := env("TRUSTED_PROXIES", ""); o != "" {
		for _, p := range strings.Split(o, ",") {
			c.TrustedProxies = append(c.TrustedProxies, strings.TrimSpace(p))
		}
	}
	if c.Production {
		for _, chk := range []struct{ name, value, def string }{
			{"DATABASE_URL", getenv("DATABASE_URL"), ""},
			{"MINIO_ENDPOINT", getenv("MINIO_ENDPOINT"), ""},
			{"MINIO_ACCESS_KEY", getenv("MINIO_ACCESS_KEY"), defaultMinioKey},
			{"MINIO_SECRET_KEY", getenv("MINIO_SECRET_KEY"), defaultMinioSecret},
			{"JWT_SIGNING_KEYS", getenv("JWT_SIGNING_KEYS"), ""},
		} {
			v := strings.TrimSpace(chk.value)
			switch {
			case v == "":
				errs = append(errs, chk.name+" is missing (required in production)")
			case v == chk.def || v == "minioadmin":
				errs = append(errs, chk.name+" is a development default (refused in production)")
			}
		}
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration:\n  - %s", strings.Join(errs, "\n  - "))
	}
	return c, nil
}

// parseKeys reads "kid:secret,kid:secret"; the first key signs.
func parseKeys(s string) ([]api.SigningKey, error) {
	var keys []api.SigningKey
	for _, part := range strings.Split(s, ",") {
		kid, secret, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || kid == "" || len(secret) < 32 {
			return nil, fmt.Errorf("JWT_SIGNING_KEYS must be kid:secret pairs separated by commas, each secret at least 32 characters")
		}
		keys = append(keys, api.SigningKey{ID: kid, Secret: []byte(secret)})
	}
	return keys, nil
}

// printConfigHelp documents every variable for `densach help`.
func printConfigHelp() {
	fmt.Fprint(os.Stdout, `Environment:
  DENSACH_ENV          development (default) or production; production refuses default or missing secrets
  ADDR                 listen address (default :8080)
  DATABASE_URL         PostgreSQL URL (default `+defaultDatabaseURL+`)
  MINIO_ENDPOINT       host:port of MinIO/S3 (default 127.0.0.1:19000)
  MINIO_ACCESS_KEY     access key (development default refused in production)
  MINIO_SECRET_KEY     secret key (development default refused in production)
  MINIO_BUCKET         bucket, created when missing (default densach)
  MINIO_USE_SSL        true to use HTTPS (default false)
  MINIO_PUBLIC_ENDPOINT where browsers reach MinIO when not at MINIO_ENDPOINT: host[:port] or http(s)://host[:port];
                       presigned upload and download links are signed for it, and the pages'
                       Content-Security-Policy lets them reach it (default MINIO_ENDPOINT)
  MATERIAL_MAX_VIDEO_BYTES   largest video a course may hold, in bytes (default 1073741824, 1 GiB)
  MATERIAL_MAX_OTHER_BYTES   largest file of any other kind, in bytes (default 52428800, 50 MiB)
  CENTRE_STORAGE_QUOTA_BYTES what the materials of one centre (or one province library) may take, in bytes
                       (default 21474836480, 20 GiB)
  JWT_SIGNING_KEYS     kid:secret[,kid:secret…]; the first signs, all verify (rotation); required in production
  JWT_KEY_FILE         development only, when JWT_SIGNING_KEYS is unset: file holding a random signing key,
                       generated on first start with mode 0600 (default `+defaultJWTKeyFile+`)
  JWT_ISSUER           token issuer (default densach)
  JWT_AUDIENCE         token audience (default densach-api)
  ACCESS_TOKEN_TTL     access token lifetime, at most 15m (default 15m)
  REFRESH_TOKEN_TTL    refresh token lifetime (default 720h)
  CORS_ALLOWED_ORIGINS comma-separated origins allowed to call the API from another site (default none)
  PUBLIC_URL           the site's address as users reach it, e.g. https://densach.example.vn; calendar feed links
                       are given on it (default: the address of the request that makes the link)
  TRUSTED_PROXIES      comma-separated addresses or CIDRs of load balancers whose X-Forwarded-For is believed (default none)
  REQUEST_TIMEOUT      per-request deadline passed to storage (default 15s)
  SHUTDOWN_DRAIN       how long readiness fails before shutdown starts (default 5s in production)
  SHUTDOWN_TIMEOUT     after the drain, how long requests in flight may still run before every connection is
                       closed; idle, silent and slow-header connections are closed at once (default 5s)
  SLOW_QUERY_THRESHOLD SQL statements slower than this are logged as warnings, without their values; 0 turns it off (default 200ms)
  LOG_LEVEL            debug, info, warn or error (default info)
  JOBS_WORKERS         false to run no background job workers on this instance (default true)
  JOBS_POLL_ONLY       true to fetch jobs by polling, behind a pooler in transaction mode (default false)
`)
}
