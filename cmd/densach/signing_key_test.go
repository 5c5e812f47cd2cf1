package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"densach/api"
	"densach/domain"
)

// formerSourceKey is the development key the source carried until it was
// removed; anyone could read it, so a token signed with it is a forgery.
var formerSourceKey = api.SigningKey{ID: "dev-1", Secret: []byte("densach-development-signing-key-not-for-production")}

func TestSigningKeyDevelopmentGeneratesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "jwt-signing-key")
	cfg, err := loadConfig(envOf(map[string]string{"JWT_KEY_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	first, err := signingKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("key file not written: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", st.Mode().Perm())
	}
	again, err := signingKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || len(first[0].Secret) < 32 || string(again[0].Secret) != string(first[0].Secret) {
		t.Fatalf("the key is not kept between starts: %q then %q", first, again)
	}
	other, err := signingKeys(config{JWTKeyFile: filepath.Join(t.TempDir(), "k")})
	if err != nil {
		t.Fatal(err)
	}
	if string(other[0].Secret) == string(first[0].Secret) {
		t.Fatal("two data folders got the same key: it is not random")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := signingKeys(cfg); err == nil || !strings.Contains(err.Error(), "JWT_KEY_FILE") {
		t.Fatalf("a key file others can read was used: %v", err)
	}
}

func TestSigningKeyRefusesTokenSignedWithFormerSourceKey(t *testing.T) {
	cfg, err := loadConfig(envOf(map[string]string{"JWT_KEY_FILE": filepath.Join(t.TempDir(), "k")}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Tokens.Keys, err = signingKeys(cfg); err != nil {
		t.Fatal(err)
	}
	server, err := api.NewTokens(cfg.Tokens)
	if err != nil {
		t.Fatal(err)
	}
	forger, err := api.NewTokens(api.TokenConfig{Issuer: cfg.Tokens.Issuer, Audience: cfg.Tokens.Audience, TTL: 15 * time.Minute, Keys: []api.SigningKey{formerSourceKey}})
	if err != nil {
		t.Fatal(err)
	}
	admin := domain.Principal{AccountID: 1, PersonID: 1, Grants: []domain.Grant{{ID: 1, PersonID: 1, Role: domain.RoleAdmin, Kind: domain.ScopeSystem}}}
	forged, err := forger.Issue(admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Verify(forged); domain.ErrorCode(err) != domain.CodeUnauthorized {
		t.Fatalf("a token signed with the former source key: %v, want unauthorized", err)
	}
	own, err := server.Issue(admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Verify(own); err != nil {
		t.Fatalf("the server refuses its own token: %v", err)
	}
}

func TestSigningKeyProductionWithoutKeysRefusesToStart(t *testing.T) {
	env := map[string]string{
		"DENSACH_ENV": "production", "DATABASE_URL": "postgres://app@db/densach", "MINIO_ENDPOINT": "s3.internal:9000",
		"MINIO_ACCESS_KEY": "k-prod", "MINIO_SECRET_KEY": "a-long-production-secret",
		"JWT_KEY_FILE": filepath.Join(t.TempDir(), "k"),
	}
	_, err := loadConfig(envOf(env))
	if err == nil || !strings.Contains(err.Error(), "JWT_SIGNING_KEYS is missing") {
		t.Fatalf("production without keys: %v, want JWT_SIGNING_KEYS named", err)
	}
	if _, err := signingKeys(config{Production: true, JWTKeyFile: env["JWT_KEY_FILE"]}); err == nil || !strings.Contains(err.Error(), "JWT_SIGNING_KEYS") {
		t.Fatalf("signingKeys in production without keys: %v", err)
	}
	if _, err := os.Stat(env["JWT_KEY_FILE"]); err == nil {
		t.Fatal("production generated a key file")
	}
}
