package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"densach/api"
)

// devKeyID names the generated development key in tokens' kid header.
const devKeyID = "dev-local"

// signingKeys returns the configured signing keys or, in development only,
// the key kept in cfg.JWTKeyFile, generating it on first use. No key is ever
// written in the source: a key anyone can read would let anyone forge a
// token for any role. Production without JWT_SIGNING_KEYS is refused (also
// by loadConfig; checked again here so that no path signs with a default).
func signingKeys(cfg config) ([]api.SigningKey, error) {
	if len(cfg.Tokens.Keys) > 0 {
		return cfg.Tokens.Keys, nil
	}
	if cfg.Production {
		return nil, errors.New("JWT_SIGNING_KEYS is missing (required in production)")
	}
	secret, err := readOrCreateKeyFile(cfg.JWTKeyFile)
	if err != nil {
		return nil, fmt.Errorf("JWT_KEY_FILE (%s): %w", cfg.JWTKeyFile, err)
	}
	return []api.SigningKey{{ID: devKeyID, Secret: secret}}, nil
}

// readOrCreateKeyFile reads the secret in path, or writes a fresh random one
// (256 bits, base64url) with mode 0600 when the file does not exist. A file
// that others may read is refused rather than trusted.
func readOrCreateKeyFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		secret := base64.RawURLEncoding.EncodeToString(b[:])
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return readOrCreateKeyFile(path) // another process made it first
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.WriteString(secret + "\n"); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		return []byte(secret), nil
	}
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("mode %04o lets other users read the signing key; chmod 600 it", st.Mode().Perm())
	}
	secret := strings.TrimSpace(string(raw))
	if len(secret) < 32 {
		return nil, errors.New("the key in the file is shorter than 32 characters; delete the file to generate a new one")
	}
	return []byte(secret), nil
}
