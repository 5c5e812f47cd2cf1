package api

import (
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// peoplePage is the answer of GET /people. Total is sent only for numbered
// pages (the web app asks for page 1 and keeps its total while it moves on
// with next_cursor), so that later pages cost no full count.
type peoplePage struct {
	Items      []personJSON `json:"items"`
	Total      *int         `json:"total,omitempty"`
	Page       int          `json:"page"`
	PageSize   int          `json:"page_size"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// listPeople answers one page of the people the caller may read.
// maxSearchLen is the longest search text of the people list, in characters.
const maxSearchLen = 100

func (s *Server) listPeople(c *fiber.Ctx) error {
	var q domain.PeopleQuery
	var f domain.Fields
	var err error
	q.Search = strings.TrimSpace(c.Query("q"))
	if len([]rune(q.Search)) > maxSearchLen {
		f.AddOf("q", "text_too_long", domain.Params{"max": maxSearchLen})
	}
	q.CommuneID, err = queryID(c, "commune_id")
	f.AddErr("commune_id", err)
	q.CentreID, err = queryID(c, "centre_id")
	f.AddErr("centre_id", err)
	if r := domain.Role(c.Query("role")); r != "" {
		if !r.Valid() {
			f.AddOf("role", "role_invalid", nil)
		}
		q.Role = r
	}
	q.StaffOnly, err = boolQuery(c, "staff")
	f.AddErr("staff", err)
	q.Inactive, err = boolQuery(c, "inactive")
	f.AddErr("inactive", err)
	pg, err := parsePaging(c, true)
	if err != nil {
		f = append(f, domain.AsError(err).Fields...)
	} else if pg.Cursor != "" {
		q.After, err = decodePeopleCursor(pg.Cursor)
		f.AddErr("cursor", err)
	}
	if err := f.Err(); err != nil {
		return err
	}
	q.Page, q.PageSize, q.Count = pg.Page, pg.PageSize, q.After == nil
	page, err := s.PeopleService.List(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	out := peoplePage{Items: make([]personJSON, len(page.Items)), Page: q.Page, PageSize: q.PageSize}
	for i, v := range page.Items {
		out.Items[i] = personOut(v)
	}
	if page.Counted {
		out.Total = &page.Total
	}
	if page.Next != nil {
		out.NextCursor = encodePeopleCursor(*page.Next)
	}
	return c.JSON(out)
}

// encodePeopleCursor makes a position opaque: the id (8 bytes) and the sort
// key, base64url. Clients pass it back unchanged.
func encodePeopleCursor(k domain.PeopleCursor) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(k.ID))
	return base64.RawURLEncoding.EncodeToString(append(b, k.SortKey...))
}

// decodePeopleCursor reads a cursor made by encodePeopleCursor.
func decodePeopleCursor(s string) (*domain.PeopleCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 9 || int64(binary.BigEndian.Uint64(b)) <= 0 {
		return nil, domain.Invalid(domain.FieldOf("cursor", "cursor_invalid", nil))
	}
	return &domain.PeopleCursor{ID: int64(binary.BigEndian.Uint64(b)), SortKey: b[8:]}, nil
}
