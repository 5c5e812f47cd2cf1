package main

import (
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDevelopmentDefaults(t *testing.T) {
	c, err := loadConfig(envOf(nil))
	if err != nil {
		t.Fatalf("development defaults refused: %v", err)
	}
	// No key is configured, and none comes from the source: serve generates
	// one in JWTKeyFile (signing_key_test.go).
	if c.Production || c.Addr != ":8080" || c.Tokens.TTL != 15*time.Minute || len(c.Tokens.Keys) != 0 || c.JWTKeyFile != defaultJWTKeyFile {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestConfigProductionRefusesDefaultsAndNamesThem(t *testing.T) {
	_, err := loadConfig(envOf(map[string]string{"DENSACH_ENV": "production", "MINIO_SECRET_KEY": defaultMinioSecret, "MINIO_ACCESS_KEY": "minioadmin"}))
	if err == nil {
		t.Fatal("production started with default secrets")
	}
	for _, name := range []string{"DATABASE_URL is missing", "MINIO_ENDPOINT is missing", "MINIO_ACCESS_KEY is a development default", "MINIO_SECRET_KEY is a development default", "JWT_SIGNING_KEYS is missing"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not say %q:\n%v", name, err)
		}
	}
}

func TestConfigProductionAcceptsRealSecrets(t *testing.T) {
	c, err := loadConfig(envOf(map[string]string{
		"DENSACH_ENV": "production", "DATABASE_URL": "postgres://app@db/densach", "MINIO_ENDPOINT": "s3.internal:9000",
		"MINIO_ACCESS_KEY": "k-prod", "MINIO_SECRET_KEY": "a-long-production-secret",
		"JWT_SIGNING_KEYS": "2026-11:0123456789abcdef0123456789abcdef,2026-10:fedcba9876543210fedcba9876543210",
	}))
	if err != nil {
		t.Fatalf("production refused real secrets: %v", err)
	}
	if !c.Production || c.DrainDelay != 5*time.Second || len(c.Tokens.Keys) != 2 || c.Tokens.Keys[0].ID != "2026-11" {
		t.Fatalf("unexpected production config: %+v", c)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"long access tokens": {"ACCESS_TOKEN_TTL": "1h"},
		"short JWT secret":   {"JWT_SIGNING_KEYS": "k1:short"},
		"unknown mode":       {"DENSACH_ENV": "staging"},
		"bad duration":       {"REQUEST_TIMEOUT": "soon"},
	} {
		if _, err := loadConfig(envOf(env)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestConfigMaterials(t *testing.T) {
	c, err := loadConfig(envOf(nil))
	if err != nil || c.Materials.MaxVideoBytes != 1<<30 || c.Materials.MaxOtherBytes != 50<<20 || c.Materials.QuotaBytes != 20<<30 || c.Objects.PublicEndpoint != "" {
		t.Fatalf("material defaults: %+v, %v", c.Materials, err)
	}
	c, err = loadConfig(envOf(map[string]string{"MATERIAL_MAX_VIDEO_BYTES": "1000", "MATERIAL_MAX_OTHER_BYTES": "10", "CENTRE_STORAGE_QUOTA_BYTES": "5000",
		"MINIO_PUBLIC_ENDPOINT": "https://tep.densach.vn"}))
	if err != nil || c.Materials.MaxVideoBytes != 1000 || c.Materials.MaxOtherBytes != 10 || c.Materials.QuotaBytes != 5000 || c.Objects.PublicEndpoint != "https://tep.densach.vn" {
		t.Fatalf("material settings: %+v %q, %v", c.Materials, c.Objects.PublicEndpoint, err)
	}
	for name, env := range map[string]map[string]string{
		"size not a number":      {"MATERIAL_MAX_VIDEO_BYTES": "1GB"},
		"zero quota":             {"CENTRE_STORAGE_QUOTA_BYTES": "0"},
		"public endpoint path":   {"MINIO_PUBLIC_ENDPOINT": "https://tep.densach.vn/minio"},
		"public endpoint scheme": {"MINIO_PUBLIC_ENDPOINT": "ftp://tep.densach.vn"},
		"public endpoint host":   {"MINIO_PUBLIC_ENDPOINT": "https://tep.densach.vn;script-src"},
		"endpoint with scheme":   {"MINIO_ENDPOINT": "http://s3.internal:9000"},
	} {
		if _, err := loadConfig(envOf(env)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestConfigPublicURL: the site's address for links given out (calendar
// feeds) is an http(s) origin with an optional path, kept without its
// trailing slash; anything else is refused.
func TestConfigPublicURL(t *testing.T) {
	for in, want := range map[string]string{"": "", "https://densach.example.vn/": "https://densach.example.vn",
		"http://127.0.0.1:8080": "http://127.0.0.1:8080", "https://laichau.gov.vn/densach": "https://laichau.gov.vn/densach"} {
		c, err := loadConfig(envOf(map[string]string{"PUBLIC_URL": in}))
		if err != nil || c.PublicURL != want {
			t.Errorf("PUBLIC_URL=%q: %q %v, want %q", in, c.PublicURL, err, want)
		}
	}
	for _, bad := range []string{"densach.example.vn", "ftp://x.vn", "https://", "https://x.vn/?a=1", "javascript:alert(1)"} {
		if _, err := loadConfig(envOf(map[string]string{"PUBLIC_URL": bad})); err == nil || !strings.Contains(err.Error(), "PUBLIC_URL") {
			t.Errorf("PUBLIC_URL=%q accepted (%v)", bad, err)
		}
	}
}
