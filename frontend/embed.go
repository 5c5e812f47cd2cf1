// Package frontend embeds the built web app so that the one binary serves it.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:build
var files embed.FS

// App returns the built app (index.html and hashed assets) and whether a
// build is present; a fresh clone has none until `npm run build` has run.
func App() (fs.FS, bool) {
	app, err := fs.Sub(files, "build/app")
	if err != nil {
		return nil, false
	}
	if _, err := fs.Stat(app, "index.html"); err != nil {
		return nil, false
	}
	return app, true
}
