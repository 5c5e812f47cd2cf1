package api

import (
	"net/url"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// rejectBadBytes refuses, with 422 and the parameter named, a query or path
// parameter holding bytes PostgreSQL cannot store as text (NUL, invalid
// UTF-8), before any handler can pass it on. JSON strings are checked by
// decode, CSV cells by the import parser.
func (s *Server) rejectBadBytes(c *fiber.Ctx) error {
	var f domain.Fields
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		if !domain.ValidText(string(k)) || !domain.ValidText(string(v)) {
			f = append(f, domain.InvalidBytes(string(k)))
		}
	})
	// The one header the API reads as text: refused here, before the
	// contract checks the body, as a query or path would be.
	if key := c.Request().Header.Peek(HeaderIdempotencyKey); len(key) > 0 && !domain.ValidText(string(key)) {
		f = append(f, domain.InvalidBytes(HeaderIdempotencyKey))
	}
	path := c.Path()
	if strings.IndexByte(path, '%') < 0 && domain.ValidText(path) {
		// Nothing to unescape: no segment can hold what the path does not.
		if err := f.Err(); err != nil {
			return err
		}
		return c.Next()
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		v, err := url.PathUnescape(seg)
		if err != nil || domain.ValidText(v) {
			continue
		}
		f = append(f, domain.InvalidBytes(s.pathParamName(segs, i)))
	}
	if err := f.Err(); err != nil {
		return err
	}
	return c.Next()
}

// routeShapes are the registered routes split into segments, built on the
// first request (every route is registered by then).
type routeShapes struct {
	once   sync.Once
	shapes [][]string
}

// pathParamName names the parameter at segment i of a request path by the
// registered route of the same shape; "path" when no route matches.
func (s *Server) pathParamName(segs []string, i int) string {
	s.routeShapes.once.Do(func() {
		seen := map[string]bool{}
		for _, r := range s.app.GetRoutes(true) {
			if !seen[r.Path] && strings.Contains(r.Path, "/:") {
				seen[r.Path] = true
				s.routeShapes.shapes = append(s.routeShapes.shapes, strings.Split(r.Path, "/"))
			}
		}
	})
	for _, shape := range s.routeShapes.shapes {
		if len(shape) != len(segs) || !strings.HasPrefix(shape[i], ":") {
			continue
		}
		match := true
		for j, part := range shape {
			if j != i && !strings.HasPrefix(part, ":") && part != segs[j] {
				match = false
				break
			}
		}
		if match {
			return strings.TrimSuffix(strings.TrimPrefix(shape[i], ":"), "?")
		}
	}
	return "path"
}
