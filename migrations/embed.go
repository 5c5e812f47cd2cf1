// Package migrations holds the numbered SQL migrations, embedded so that the
// binary and the tests apply exactly the same files.
package migrations

import "embed"

// FS holds every migration file (goose format: -- +goose Up / Down).
//
//go:embed *.sql
var FS embed.FS
