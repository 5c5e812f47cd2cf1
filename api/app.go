package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/frontend"
)

// asset is one file of the built web app, compressed once at start.
type asset struct {
	body, gz []byte
	ctype    string
	etag     string
}

// mountApp serves the web app: hashed assets cached for a year, index.html
// and the service worker never cached, and client-side routes falling back
// to index.html. Without a build it serves a page that says how to build.
func (s *Server) mountApp() {
	dist, ok := frontend.App()
	if !ok {
		s.app.Get("/*", func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderCacheControl, "no-cache")
			c.Type("html", "utf-8")
			return c.Status(fiber.StatusServiceUnavailable).SendString(notBuiltPage)
		})
		return
	}
	assets := map[string]*asset{}
	_ = fs.WalkDir(dist, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dist, p)
		if err != nil {
			return err
		}
		a := &asset{body: b, ctype: mime.TypeByExtension(path.Ext(p))}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if strings.HasSuffix(p, ".webmanifest") {
			a.ctype = "application/manifest+json"
		}
		sum := sha256.Sum256(b)
		a.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
		if compressible(a.ctype) && len(b) > 512 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(b)
			_ = zw.Close()
			a.gz = buf.Bytes()
		}
		assets["/"+p] = a
		return nil
	})
	index := assets["/index.html"]
	s.app.Get("/*", func(c *fiber.Ctx) error {
		p := c.Path()
		a, found := assets[p]
		switch {
		case found && strings.HasPrefix(p, "/assets/"):
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		case found:
			c.Set(fiber.HeaderCacheControl, "no-cache")
		case path.Ext(p) != "":
			return fiber.ErrNotFound
		default:
			a = index
			c.Set(fiber.HeaderCacheControl, "no-cache")
		}
		c.Set(fiber.HeaderETag, a.etag)
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		if c.Get(fiber.HeaderIfNoneMatch) == a.etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		c.Set(fiber.HeaderContentType, a.ctype)
		if a.gz != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(a.gz)
		}
		return c.Send(a.body)
	})
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") || strings.Contains(ctype, "json") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "manifest")
}

const notBuiltPage = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Đèn Sách</title>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em">
<h1>Đèn Sách</h1><p>Ứng dụng web chưa được build. Hãy chạy <code>make run</code> (hoặc <code>make build</code>) để build rồi khởi động lại máy chủ.</p>
<p lang="en">The web app has not been built. Run <code>make run</code> (or <code>make build</code>) and restart the server.</p>
<p>API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p></body></html>`
