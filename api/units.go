package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountUnits registers the geography: units, centres and branches. Every
// signed-in person reads them (they are public facts and fill forms); only
// administrators add units, and officers add centres and branches in their
// area.
func (s *Server) mountUnits(r fiber.Router) {
	r.Get("/units", s.listUnits)
	r.Get("/units/:id", s.getUnit)
	r.Post("/units", s.createUnit)
	r.Get("/centres", s.listCentres)
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
	parent, err := queryID(c, "parent_id")
	if err != nil {
		return err
	}
	kind := domain.UnitKind(c.Query("kind"))
	if kind != "" && !kind.Valid() {
		return domain.Invalid(domain.Field("kind", "kind_invalid", "Loại đơn vị không hợp lệ."))
	}
	units, err := s.Units.ListUnits(c.UserContext(), domain.UnitFilter{Kind: kind, ParentID: parent, IncludeExpired: c.QueryBool("include_expired")})
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
	u, err := s.Units.GetUnit(c.UserContext(), id)
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
	p := principal(c)
	if !p.IsAdmin() {
		return forbidden()
	}
	var req createUnitRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, err := req.unit()
	if err != nil {
		return err
	}
	if err := s.Units.CreateUnit(c.UserContext(), actor(c), &u, req.PredecessorIDs); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toUnitJSON(u))
}

func (r createUnitRequest) unit() (domain.Unit, error) {
	var f domain.Fields
	u := domain.Unit{Kind: domain.UnitKind(r.Kind), ParentID: r.ParentID}
	var err error
	if u.Code, err = domain.NormalizeText(r.Code, 20); err != nil || u.Code == "" {
		f.Add("code", "code_required", "Cần nhập mã đơn vị (tối đa 20 ký tự).")
	}
	if u.Name, err = domain.NormalizeText(r.Name, 200); err != nil || u.Name == "" {
		f.Add("name", "name_required", "Cần nhập tên đơn vị (tối đa 200 ký tự).")
	}
	if !u.Kind.Valid() {
		f.Add("kind", "kind_invalid", "Loại đơn vị không hợp lệ.")
	} else if (u.Kind == domain.UnitProvince) != (r.ParentID == nil) {
		f.Add("parent_id", "parent_invalid", "Tỉnh không có đơn vị cấp trên; xã/phường phải thuộc một tỉnh.")
	}
	if u.ValidFrom, err = time.Parse(time.DateOnly, r.ValidFrom); err != nil {
		f.Add("valid_from", "date_invalid", "Ngày hiệu lực cần có dạng năm-tháng-ngày (ví dụ 2025-07-01).")
	}
	if len(r.PredecessorIDs) > 50 {
		f.Add("predecessor_ids", "too_many", "Tối đa 50 đơn vị tiền thân.")
	}
	return u, f.Err()
}

func (s *Server) listCentres(c *fiber.Ctx) error {
	f, err := placeFilter(c)
	if err != nil {
		return err
	}
	centres, err := s.Units.ListCentres(c.UserContext(), f)
	if err != nil {
		return err
	}
	items := make([]centreJSON, len(centres))
	for i, x := range centres {
		items[i] = centreJSON{ID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName, Address: x.Address}
	}
	return c.JSON(fiber.Map{"items": items})
}

func placeFilter(c *fiber.Ctx) (domain.PlaceFilter, error) {
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
	x, err := s.Units.GetCentre(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(centreJSON{ID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName, Address: x.Address})
}

type createCentreRequest struct {
	UnitID  int64  `json:"unit_id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

// placeInArea validates a centre or branch's name and unit and checks that
// the caller manages that unit's area.
func (s *Server) placeInArea(c *fiber.Ctx, unitID int64, name, address string) (string, string, error) {
	var f domain.Fields
	name, err := domain.NormalizeText(name, 200)
	if err != nil || name == "" {
		f.Add("name", "name_required", "Cần nhập tên (tối đa 200 ký tự).")
	}
	address, err = domain.NormalizeText(address, 300)
	f.AddErr("address", err)
	if unitID <= 0 {
		f.Add("unit_id", "unit_required", "Cần chọn xã/phường.")
	}
	if err := f.Err(); err != nil {
		return "", "", err
	}
	area, err := s.Units.UnitArea(c.UserContext(), unitID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return "", "", domain.Invalid(domain.Field("unit_id", "unit_unknown", "Không có xã/phường này."))
	}
	if err != nil {
		return "", "", err
	}
	if area.CommuneID == 0 {
		return "", "", domain.Invalid(domain.Field("unit_id", "unit_kind", "Trung tâm và chi hội thuộc một xã/phường/đặc khu."))
	}
	if p := principal(c); !canAddPlaces(p) || !p.AreaFilter().Matches(area) {
		return "", "", forbidden()
	}
	return name, address, nil
}

// canAddPlaces: administrators and officers add centres and branches;
// managers manage their own centre but do not create new ones.
func canAddPlaces(p domain.Principal) bool { return p.IsAdmin() || p.Has(domain.RoleOfficer) }

func (s *Server) createCentre(c *fiber.Ctx) error {
	var req createCentreRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	name, address, err := s.placeInArea(c, req.UnitID, req.Name, req.Address)
	if err != nil {
		return err
	}
	x := domain.Centre{UnitID: req.UnitID, Name: name, Address: address}
	if err := s.Units.CreateCentre(c.UserContext(), actor(c), &x); err != nil {
		return err
	}
	x, err = s.Units.GetCentre(c.UserContext(), x.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(centreJSON{ID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName, Address: x.Address})
}

func (s *Server) listBranches(c *fiber.Ctx) error {
	f, err := placeFilter(c)
	if err != nil {
		return err
	}
	bs, err := s.Units.ListBranches(c.UserContext(), f)
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
	name, _, err := s.placeInArea(c, req.UnitID, req.Name, "")
	if err != nil {
		return err
	}
	b := domain.Branch{UnitID: req.UnitID, Name: name}
	if err := s.Units.CreateBranch(c.UserContext(), actor(c), &b); err != nil {
		return err
	}
	u, err := s.Units.GetUnit(c.UserContext(), b.UnitID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(branchJSON{ID: b.ID, Name: b.Name, UnitID: b.UnitID, UnitName: u.Name})
}

// actor names the caller for the audit log.
func actor(c *fiber.Ctx) domain.Actor {
	return domain.Actor{PersonID: principal(c).PersonID, RequestID: requestID(c)}
}

func forbidden() error {
	return domain.Errorf(domain.CodeForbidden, "Bạn không có quyền thực hiện thao tác này.")
}
