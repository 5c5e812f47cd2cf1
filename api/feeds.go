package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/feeds"
)

// mountFeeds registers the caller's calendar links.
func (s *Server) mountFeeds(r router) {
	r.Get("/calendar-feeds", s.listFeeds)
	r.Post("/calendar-feeds", s.createFeed)
	r.Delete("/calendar-feeds/:id", s.revokeFeed)
}

// mountICal registers the public feeds, outside /api/v1 and its token
// check: the secret in the path is the credential.
func (s *Server) mountICal() {
	s.app.Get("/ical/:token.ics", s.icalFeed)
}

// ---- JSON shapes ----

type feedCreateJSON struct {
	Kind      string `json:"kind"`
	SubjectID int64  `json:"subject_id"`
}

type feedJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	SubjectID   int64  `json:"subject_id"`
	SubjectName string `json:"subject_name"`
	// URL holds the secret: only in the answer that makes the link.
	URL           *string    `json:"url"`
	CreatedAt     time.Time  `json:"created_at"`
	LastFetchedAt *time.Time `json:"last_fetched_at"`
}

func toFeedJSON(f feeds.Feed) feedJSON {
	return feedJSON{ID: f.ID, Kind: string(f.Kind), SubjectID: f.SubjectID, SubjectName: f.SubjectName, CreatedAt: f.CreatedAt, LastFetchedAt: f.LastFetchedAt}
}

// feedURL is where a token's feed is, on the site's public address (or the
// request's when none is configured).
func (s *Server) feedURL(c *fiber.Ctx, token string) string {
	base := s.cfg.PublicURL
	if base == "" {
		base = c.BaseURL()
	}
	return strings.TrimRight(base, "/") + "/ical/" + token + ".ics"
}

// ---- Handlers ----

func (s *Server) listFeeds(c *fiber.Ctx) error {
	list, err := s.Feeds.Mine(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toFeedJSON)})
}

func (s *Server) createFeed(c *fiber.Ctx) error {
	var req feedCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	f, err := s.Feeds.Create(c.UserContext(), principal(c), feeds.Kind(req.Kind), req.SubjectID)
	if err != nil {
		return err
	}
	out := toFeedJSON(f.Feed)
	u := s.feedURL(c, f.Token)
	out.URL = &u
	// The answer holds the link's secret: not kept for idempotent replays
	// (a retry makes another link; the token is stored nowhere).
	secretAnswer(c)
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *Server) revokeFeed(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Feeds.Revoke(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// icalFeed answers a calendar application's fetch: the feed as iCalendar,
// with an ETag (a fetch with the same If-None-Match answers 304, so a
// client polling often costs one small answer) and Last-Modified. An
// unknown, revoked or no longer authorised link answers a bare 404.
func (s *Server) icalFeed(c *fiber.Ctx) error {
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	cal, err := s.Feeds.Fetch(c.UserContext(), c.Params("token"))
	if domain.ErrorCode(err) == domain.CodeNotFound {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Type("txt", "utf-8")
		return c.Status(fiber.StatusNotFound).SendString("Not Found\n")
	}
	if err != nil {
		return err
	}
	body, modified := renderICal(cal)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	// Last-Modified is informative: only the ETag decides a 304, since a
	// session leaving the feed (another teacher named) changes the feed
	// without making any of the events it still holds newer.
	c.Set(fiber.HeaderLastModified, modified.UTC().Format(http.TimeFormat))
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	gz := len(body) > 1024 && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip")
	if gz {
		// Each encoding is its own representation, with its own tag.
		etag = strings.TrimSuffix(etag, `"`) + `-gz"`
	}
	c.Set(fiber.HeaderETag, etag)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && matchesETag(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="densach.ics"`)
	if gz {
		// A year of sessions is a lot of repetitive text, which compresses
		// several-fold: it matters on a phone's slow connection.
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(buf.Bytes())
	}
	return c.Send(body)
}

// loggedPath is a request's path as the access log writes it: a calendar
// feed's secret token is left out (logs are read by more people, and kept
// longer, than the link is meant for).
func loggedPath(p string) string {
	if strings.HasPrefix(p, "/ical/") {
		return "/ical/{token}.ics"
	}
	return p
}

// matchesETag reports whether an If-None-Match header names the tag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
