package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/units"
)

// mountUnits registers the geography: units, centres and branches. Every
// signed-in person reads them (they are public facts and fill forms); only
// administrators add units, and officers add centres and branches in their
// area.
func (s *Server) mountUnits(r router) {
	r.Get("/units", s.listUnits)
	r.Get("/units/:id", s.getUnit)
	r.Post("/units", s.createUnit)
	r.Post("/units/import", s.importUnits)
	r.Get("/centres", s.listCentres)
	r.Get("/centres/mine", s.myCentres) // before /centres/:id
	r.Get("/centres/:id", s.getCentre)
	r.Post("/centres", s.createCentre)
	r.Get("/branches", s.listBranches)
	r.Post("/branches", s.createBranch)
}

type unitJSON struct {
	ID           int64   `json:"id"`
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Kind         string  `json:"kind"`
	ParentID     *int64  `json:"parent_id"`
	ValidFrom    string  `json:"valid_from"`
	ValidTo      *string `json:"valid_to"`
	SuccessorIDs []int64 `json:"successor_ids"`
}

func toUnitJSON(u domain.Unit) unitJSON {
	j := unitJSON{ID: u.ID, Code: u.Code, Name: u.Name, Kind: string(u.Kind), ParentID: u.ParentID, ValidFrom: u.ValidFrom.Format(time.DateOnly), SuccessorIDs: u.SuccessorIDs}
	if u.ValidTo != nil {
		s := u.ValidTo.Format(time.DateOnly)
		j.ValidTo = &s
	}
	if j.SuccessorIDs == nil {
		j.SuccessorIDs = []int64{}
	}
	return j
}

type centreJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Address  string `json:"address"`
}

type branchJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
}

func (s *Server) listUnits(c *fiber.Ctx) error {
	if _, err := parsePaging(c, false); err != nil {
		return err
	}
	var f domain.UnitFilter
	var fields domain.Fields
	var err error
	f.ParentID, err = queryID(c, "parent_id")
	fields.AddErr("parent_id", err)
	f.IncludeExpired, err = boolQuery(c, "include_expired")
	fields.AddErr("include_expired", err)
	if err := fields.Err(); err != nil {
		return err
	}
	f.Kind = domain.UnitKind(c.Query("kind"))
	units, err := s.Geography.List(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	items := make([]unitJSON, len(units))
	for i, u := range units {
		items[i] = toUnitJSON(u)
	}
	return c.JSON(fiber.Map{"items": items})
}

func (s *Server) getUnit(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.Geography.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toUnitJSON(u))
}

type createUnitRequest struct {
	Code           string  `json:"code"`
	Name           string  `json:"name"`
	Kind           string  `json:"kind"`
	ParentID       *int64  `json:"parent_id"`
	ValidFrom      string  `json:"valid_from"`
	PredecessorIDs []int64 `json:"predecessor_ids"`
}

func (s *Server) createUnit(c *fiber.Ctx) error {
	var req createUnitRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, err := s.Geography.Create(c.UserContext(), principal(c), units.NewUnit{Code: req.Code, Name: req.Name, Kind: domain.UnitKind(req.Kind),
		ParentID: req.ParentID, ValidFrom: req.ValidFrom, PredecessorIDs: req.PredecessorIDs})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toUnitJSON(u))
}

func toCentreJSON(x domain.Centre) centreJSON {
	return centreJSON{ID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName, Address: x.Address}
}

func (s *Server) listCentres(c *fiber.Ctx) error {
	f, err := placeFilter(c)
	if err != nil {
		return err
	}
	centres, err := s.Geography.ListCentres(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	items := make([]centreJSON, len(centres))
	for i, x := range centres {
		items[i] = toCentreJSON(x)
	}
	return c.JSON(fiber.Map{"items": items})
}

func placeFilter(c *fiber.Ctx) (domain.PlaceFilter, error) {
	// Centres and branches are listed whole; paging parameters are still
	// checked as on every list.
	if _, err := parsePaging(c, false); err != nil {
		return domain.PlaceFilter{}, err
	}
	unit, err := queryID(c, "unit_id")
	if err != nil {
		return domain.PlaceFilter{}, err
	}
	prov, err := queryID(c, "province_id")
	return domain.PlaceFilter{UnitID: unit, ProvinceID: prov}, err
}

func (s *Server) getCentre(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	x, err := s.Geography.GetCentre(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toCentreJSON(x))
}

type createCentreRequest struct {
	UnitID  int64  `json:"unit_id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

func (s *Server) createCentre(c *fiber.Ctx) error {
	var req createCentreRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	x, err := s.Geography.CreateCentre(c.UserContext(), principal(c), units.NewPlace{UnitID: req.UnitID, Name: req.Name, Address: req.Address})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCentreJSON(x))
}

func (s *Server) listBranches(c *fiber.Ctx) error {
	f, err := placeFilter(c)
	if err != nil {
		return err
	}
	bs, err := s.Geography.ListBranches(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	items := make([]branchJSON, len(bs))
	for i, b := range bs {
		items[i] = branchJSON{ID: b.ID, Name: b.Name, UnitID: b.UnitID, UnitName: b.UnitName}
	}
	return c.JSON(fiber.Map{"items": items})
}

type createBranchRequest struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
}

func (s *Server) createBranch(c *fiber.Ctx) error {
	var req createBranchRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	b, err := s.Geography.CreateBranch(c.UserContext(), principal(c), units.NewPlace{UnitID: req.UnitID, Name: req.Name})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(branchJSON{ID: b.ID, Name: b.Name, UnitID: b.UnitID, UnitName: b.UnitName})
}

// actor names the caller for the audit log.
func actor(c *fiber.Ctx) domain.Actor {
	return domain.Actor{PersonID: principal(c).PersonID, RequestID: requestID(c)}
}

// listTypes are the content types an official list comes with: CSV as
// browsers label it, or an XLSX workbook.
var listTypes = map[string]bool{"text/csv": true, "application/csv": true, "text/plain": true, "application/vnd.ms-excel": true,
	"application/octet-stream": true, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": true}

var errListType = domain.Fail(domain.CodeInvalid, "list_content_type", nil)

type unitsImportJSON struct {
	DryRun      bool     `json:"dry_run"`
	Created     int      `json:"created"`
	Unchanged   int      `json:"unchanged"`
	Linked      int      `json:"linked"`
	Unconfirmed int      `json:"unconfirmed"`
	Conflicts   []string `json:"conflicts"`
}

// importUnits loads an official list of units (administrators only), or
// with dry_run says what loading it would do.
func (s *Server) importUnits(c *fiber.Ctx) error {
	dryRun, err := boolQuery(c, "dry_run")
	if err != nil {
		return err
	}
	if err := s.Geography.CanImport(principal(c)); err != nil { // refused before the file is read
		return err
	}
	data, err := uploadBody(c, listTypes, errListType)
	if err != nil {
		return err
	}
	res, err := s.Geography.ImportFile(c.UserContext(), principal(c), data, dryRun)
	if err != nil {
		return err
	}
	out := unitsImportJSON{DryRun: dryRun, Created: res.Created, Unchanged: res.Unchanged, Linked: res.Linked, Unconfirmed: res.Unconfirmed, Conflicts: res.Conflicts}
	if out.Conflicts == nil {
		out.Conflicts = []string{}
	}
	return c.JSON(out)
}

type contactJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

type myCentreJSON struct {
	centreJSON
	Roles    []string      `json:"roles"`
	Contacts []contactJSON `json:"contacts"`
}

// myCentres answers the centres the caller belongs to, with their address
// and contacts, for the home pages.
func (s *Server) myCentres(c *fiber.Ctx) error {
	mine, err := s.Geography.MyCentres(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	items := make([]myCentreJSON, len(mine))
	for i, m := range mine {
		j := myCentreJSON{centreJSON: toCentreJSON(m.Centre), Roles: make([]string, len(m.Roles)), Contacts: make([]contactJSON, len(m.Contacts))}
		for k, r := range m.Roles {
			j.Roles[k] = string(r)
		}
		for k, x := range m.Contacts {
			j.Contacts[k] = contactJSON{Name: x.Name, Phone: x.Phone}
		}
		items[i] = j
	}
	return c.JSON(fiber.Map{"items": items})
}
