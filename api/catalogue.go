package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/catalogue"
)

// mountCatalogue registers the reference data of courses and the catalogue:
// every signed-in person reads the competence frameworks, the categories
// and the published courses of their scope; administrators add and change
// categories.
func (s *Server) mountCatalogue(r router) {
	r.Get("/competences", s.listCompetences)
	r.Get("/course-categories", s.listCategories)
	r.Post("/course-categories", s.createCategory)
	r.Patch("/course-categories/:code", s.updateCategory)
	r.Get("/catalogue", s.searchCatalogue)
}

type frameworkJSON struct {
	ID          int16            `json:"id"`
	Code        string           `json:"code"`
	Family      string           `json:"family"`
	Edition     int              `json:"edition"`
	Kind        string           `json:"kind"`
	NameVI      string           `json:"name_vi"`
	NameEN      string           `json:"name_en"`
	IssuedBy    string           `json:"issued_by"`
	IssuedOn    string           `json:"issued_on"`
	Areas       []areaJSON       `json:"areas"`
	Competences []competenceJSON `json:"competences"`
	Levels      []levelJSON      `json:"levels"`
}

type areaJSON struct {
	ID       int16  `json:"id"`
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Position int16  `json:"position"`
}

type competenceJSON struct {
	ID       int32  `json:"id"`
	AreaID   *int16 `json:"area_id"`
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Advanced bool   `json:"advanced"`
	Position int16  `json:"position"`
}

type levelJSON struct {
	Step   int16  `json:"step"`
	Level  int16  `json:"level"`
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

type competencesJSON struct {
	Frameworks []frameworkJSON `json:"frameworks"`
}

// referenceMaxAge is how long a browser may reuse the frameworks without
// asking again; after that it revalidates with If-None-Match (304).
const referenceMaxAge = "private, max-age=3600"

// listCompetences answers the frameworks. They change only with a
// migration, so the answer is cacheable: an ETag (a hash of the body) and
// Cache-Control private max-age; a matching If-None-Match answers 304.
func (s *Server) listCompetences(c *fiber.Ctx) error {
	fws, err := s.Catalogue.Frameworks(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := competencesJSON{Frameworks: make([]frameworkJSON, len(fws))}
	for i, f := range fws {
		j := frameworkJSON{ID: f.ID, Code: f.Code, Family: f.Family, Edition: f.Edition, Kind: string(f.Kind), NameVI: f.NameVI, NameEN: f.NameEN,
			IssuedBy: f.IssuedBy, IssuedOn: f.IssuedOn, Areas: make([]areaJSON, len(f.Areas)), Competences: make([]competenceJSON, len(f.Competences)),
			Levels: make([]levelJSON, len(f.Levels))}
		for k, a := range f.Areas {
			j.Areas[k] = areaJSON{ID: a.ID, Code: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Position: a.Position}
		}
		for k, x := range f.Competences {
			j.Competences[k] = competenceJSON{ID: x.ID, Code: x.Code, NameVI: x.NameVI, NameEN: x.NameEN, Advanced: x.Advanced, Position: x.Position}
			if x.AreaID != 0 {
				area := x.AreaID
				j.Competences[k].AreaID = &area
			}
		}
		for k, l := range f.Levels {
			j.Levels[k] = levelJSON{Step: l.Step, Level: l.Level, Code: l.Code, NameVI: l.NameVI, NameEN: l.NameEN}
		}
		out.Frameworks[i] = j
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderCacheControl, referenceMaxAge)
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

type categoryJSON struct {
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Position int16  `json:"position"`
	Active   bool   `json:"active"`
}

func toCategoryJSON(x domain.CourseCategory) categoryJSON {
	return categoryJSON{Code: x.Code, NameVI: x.NameVI, NameEN: x.NameEN, Position: x.Position, Active: x.Active}
}

type categoryCreate struct {
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Position *int16 `json:"position"`
}

type categoryPatch struct {
	NameVI   *string `json:"name_vi"`
	NameEN   *string `json:"name_en"`
	Position *int16  `json:"position"`
	Active   *bool   `json:"active"`
}

func (s *Server) listCategories(c *fiber.Ctx) error {
	list, err := s.Catalogue.ListCategories(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	items := make([]categoryJSON, len(list))
	for i, x := range list {
		items[i] = toCategoryJSON(x)
	}
	return c.JSON(fiber.Map{"items": items})
}

func (s *Server) createCategory(c *fiber.Ctx) error {
	var req categoryCreate
	if err := decode(c, &req); err != nil {
		return err
	}
	x, err := s.Catalogue.CreateCategory(c.UserContext(), principal(c), catalogue.NewCategory{Code: req.Code, NameVI: req.NameVI, NameEN: req.NameEN, Position: req.Position})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCategoryJSON(x))
}

func (s *Server) updateCategory(c *fiber.Ctx) error {
	var req categoryPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	x, err := s.Catalogue.UpdateCategory(c.UserContext(), principal(c), c.Params("code"),
		domain.CategoryChanges{NameVI: req.NameVI, NameEN: req.NameEN, Position: req.Position, Active: req.Active})
	if err != nil {
		return err
	}
	return c.JSON(toCategoryJSON(x))
}

type catalogueOwnerJSON struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type catalogueTagJSON struct {
	CompetenceID  int32  `json:"competence_id"`
	Code          string `json:"code"`
	NameVI        string `json:"name_vi"`
	FrameworkCode string `json:"framework_code"`
	FrameworkKind string `json:"framework_kind"`
	LevelStep     int16  `json:"level_step"`
}

type catalogueItemJSON struct {
	CourseID       int64              `json:"course_id"`
	VersionID      int64              `json:"version_id"`
	Title          string             `json:"title"`
	Summary        string             `json:"summary"`
	Category       string             `json:"category"`
	Mode           string             `json:"mode"`
	EstimatedHours *float64           `json:"estimated_hours"`
	Owner          catalogueOwnerJSON `json:"owner"`
	Tags           []catalogueTagJSON `json:"tags"`
	LessonCount    int                `json:"lesson_count"`
	CoverURL       *string            `json:"cover_url"`
}

type cataloguePage struct {
	Items      []catalogueItemJSON `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

func toCatalogueItemJSON(it domain.CatalogueItem) catalogueItemJSON {
	j := catalogueItemJSON{CourseID: it.CourseID, VersionID: it.VersionID, Title: it.Title, Summary: it.Summary, Category: it.Category,
		Mode: it.Mode, EstimatedHours: it.EstimatedHours, Owner: catalogueOwnerJSON{Kind: it.Owner.Kind, ID: it.Owner.ID, Name: it.Owner.Name},
		Tags: make([]catalogueTagJSON, len(it.Tags)), LessonCount: it.LessonCount, CoverURL: strOrNil(it.CoverURL)}
	for k, t := range it.Tags {
		j.Tags[k] = catalogueTagJSON{CompetenceID: t.CompetenceID, Code: t.Code, NameVI: t.NameVI, FrameworkCode: t.FrameworkCode,
			FrameworkKind: string(t.FrameworkKind), LevelStep: t.LevelStep}
	}
	return j
}

// searchCatalogue answers one page of the published courses the caller may
// see, best matches first; pages after the first by cursor only.
func (s *Server) searchCatalogue(c *fiber.Ctx) error {
	var f domain.Fields
	q := catalogue.Query{Search: c.Query("q"), Category: c.Query("category"), Mode: c.Query("mode")}
	if raw := c.Query("competence_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 32)
		if err != nil || id < 1 {
			f.AddOf("competence_id", "id_invalid", domain.Params{"name": "competence_id"})
		}
		q.CompetenceID = int32(id)
	}
	pg, err := pagingOf("", c.Query("page_size"), c.Query("cursor"), true)
	if err != nil {
		f = append(f, domain.AsError(err).Fields...)
	} else if pg.Cursor != "" {
		q.After, err = decodeCatalogueCursor(pg.Cursor)
		f.AddErr("cursor", err)
	}
	if err := f.Err(); err != nil {
		return err
	}
	q.PageSize = pg.PageSize
	page, err := s.Catalogue.Search(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	out := cataloguePage{Items: make([]catalogueItemJSON, len(page.Items))}
	for i, it := range page.Items {
		out.Items[i] = toCatalogueItemJSON(it)
	}
	if page.Next != nil {
		out.NextCursor = encodeCatalogueCursor(*page.Next)
	}
	return c.JSON(out)
}

// catalogueCursorLen is the size of a decoded cursor: bucket (2 bytes),
// score (float32 bits, 4) and course id (8).
const catalogueCursorLen = 14

// encodeCatalogueCursor makes a catalogue position opaque (base64url).
func encodeCatalogueCursor(k domain.CatalogueCursor) string {
	b := make([]byte, 0, catalogueCursorLen)
	b = binary.BigEndian.AppendUint16(b, uint16(k.Bucket))
	b = binary.BigEndian.AppendUint32(b, math.Float32bits(k.Score))
	b = binary.BigEndian.AppendUint64(b, uint64(k.CourseID))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCatalogueCursor reads a cursor made by encodeCatalogueCursor.
func decodeCatalogueCursor(s string) (*domain.CatalogueCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	invalid := domain.Invalid(domain.FieldOf("cursor", "cursor_invalid", nil))
	if err != nil || len(b) != catalogueCursorLen {
		return nil, invalid
	}
	k := domain.CatalogueCursor{Bucket: int16(binary.BigEndian.Uint16(b)), Score: math.Float32frombits(binary.BigEndian.Uint32(b[2:])),
		CourseID: int64(binary.BigEndian.Uint64(b[6:]))}
	if k.Bucket < 0 || k.Bucket > 3 || k.CourseID <= 0 || math.IsNaN(float64(k.Score)) || math.IsInf(float64(k.Score), 0) {
		return nil, invalid
	}
	return &k, nil
}
