package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountMe registers GET /me.
func (s *Server) mountMe(r fiber.Router) {
	r.Get("/me", s.getMe)
}

// mountPeople registers the people administration API.
func (s *Server) mountPeople(r fiber.Router) {
	r.Get("/people", s.listPeople)
	r.Post("/people", s.createPerson)
	r.Post("/people/import", s.importPeople)
	r.Get("/people/:id", s.getPerson)
	r.Patch("/people/:id", s.patchPerson)
	r.Post("/people/:id/roles", s.grantRole)
	r.Delete("/people/:id/roles/:grant_id", s.revokeRole)
	r.Post("/people/:id/account", s.setAccount)
}

var errPersonNotFound = domain.Errorf(domain.CodeNotFound, "Không tìm thấy người này.")

// readablePerson loads a person the caller may see. Unknown and unreadable
// people get the same answer, so ids cannot be probed.
func (s *Server) readablePerson(c *fiber.Ctx) (domain.Person, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.Person{}, err
	}
	p, err := s.People.GetPerson(c.UserContext(), id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.Person{}, errPersonNotFound
	}
	if err != nil {
		return domain.Person{}, err
	}
	if !principal(c).PeopleFilter(domain.ActRead).Matches(p.Area()) {
		return domain.Person{}, errPersonNotFound
	}
	return p, nil
}

// managedPerson loads a person the caller manages: 404 when they cannot
// see them, 403 when they can see but not manage them.
func (s *Server) managedPerson(c *fiber.Ctx) (domain.Person, error) {
	p, err := s.readablePerson(c)
	if err != nil {
		return p, err
	}
	if !principal(c).PeopleFilter(domain.ActManage).Matches(p.Area()) {
		return p, domain.Errorf(domain.CodeForbidden, "Bạn chỉ được xem, không được sửa thông tin người này.")
	}
	return p, nil
}

// communeArea locates the commune a person lives in: a current
// commune-level unit, else a field error on commune_id.
func (s *Server) communeArea(c *fiber.Ctx, id int64) (domain.Area, error) {
	area, err := s.Units.UnitArea(c.UserContext(), id)
	if code := domain.ErrorCode(err); code == domain.CodeNotFound || code == domain.CodeInvalid || (err == nil && area.CommuneID == 0) {
		return domain.Area{}, domain.Invalid(domain.Field("commune_id", "commune_unknown", "Không có xã/phường/đặc khu hiện hành nào như vậy."))
	}
	return area, err
}

// masked reports whether the caller sees p's personal data masked: they
// read but do not manage p, and p is not themselves.
func masked(pr domain.Principal, p domain.Person) bool {
	return p.ID != pr.PersonID && !pr.PeopleFilter(domain.ActManage).Matches(p.Area())
}

func (s *Server) getMe(c *fiber.Ctx) error {
	p, err := s.People.GetPerson(c.UserContext(), principal(c).PersonID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"person": personOut(p, false), "roles": grantsOut(p.Grants)})
}

// intQuery reads an optional integer query parameter.
func intQuery(c *fiber.Ctx, name string) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, domain.Invalid(domain.Field(name, "int_invalid", "Tham số "+name+" phải là một số nguyên."))
	}
	return n, nil
}

// boolQuery reads an optional true/false query parameter strictly: unlike
// Fiber's QueryBool, a typo is an error rather than false.
func boolQuery(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, domain.Invalid(domain.Field(name, "bool_invalid", "Tham số "+name+" là true hoặc false."))
}

func (s *Server) listPeople(c *fiber.Ctx) error {
	var q domain.PeopleQuery
	var f domain.Fields
	var err error
	q.Search = strings.TrimSpace(c.Query("q"))
	if len([]rune(q.Search)) > 100 {
		f.Add("q", "text_too_long", "Từ khóa tìm kiếm không được dài quá 100 ký tự.")
	}
	q.CommuneID, err = queryID(c, "commune_id")
	f.AddErr("commune_id", err)
	q.CentreID, err = queryID(c, "centre_id")
	f.AddErr("centre_id", err)
	if r := domain.Role(c.Query("role")); r != "" {
		if !r.Valid() {
			f.Add("role", "role_invalid", "Vai trò không hợp lệ.")
		}
		q.Role = r
	}
	q.StaffOnly, err = boolQuery(c, "staff")
	f.AddErr("staff", err)
	q.Page, err = intQuery(c, "page")
	f.AddErr("page", err)
	q.PageSize, err = intQuery(c, "page_size")
	f.AddErr("page_size", err)
	if err := f.Err(); err != nil {
		return err
	}
	q.Normalize()
	pr := principal(c)
	people, total, err := s.People.ListPeople(c.UserContext(), pr.PeopleFilter(domain.ActRead), pr.PeopleFilter(domain.ActManage), q)
	if err != nil {
		return err
	}
	items := make([]personJSON, len(people))
	for i, p := range people {
		items[i] = personOut(p, masked(pr, p))
	}
	return c.JSON(fiber.Map{"items": items, "total": total, "page": q.Page, "page_size": q.PageSize})
}

func (s *Server) getPerson(c *fiber.Ctx) error {
	p, err := s.readablePerson(c)
	if err != nil {
		return err
	}
	return c.JSON(personOut(p, masked(principal(c), p)))
}

func (s *Server) createPerson(c *fiber.Ctx) error {
	pr := principal(c)
	manage := pr.PeopleFilter(domain.ActManage)
	if manage.Empty() {
		return domain.Errorf(domain.CodeForbidden, "Bạn không có quyền thêm người.")
	}
	var in personCreate
	if err := decode(c, &in); err != nil {
		return err
	}
	var p domain.Person
	var f domain.Fields
	if _, err := in.changes().Apply(&p); err != nil {
		f = append(f, domain.AsError(err).Fields...)
	}
	password := in.Password.V
	if in.Password.Set && password != "" {
		f.AddErr("password", domain.ValidatePassword("password", password))
	}
	if err := f.Err(); err != nil {
		return err
	}
	area, err := s.communeArea(c, p.CommuneID)
	if err != nil {
		return err
	}
	if !manage.Matches(area) {
		return domain.Errorf(domain.CodeForbidden, "Bạn không quản lý xã/phường này.")
	}
	p.ProvinceID = area.ProvinceID
	var hash string
	if password != "" {
		if hash, err = domain.HashPassword(c.UserContext(), password); err != nil {
			return err
		}
	}
	if err := s.People.CreatePerson(c.UserContext(), actor(c), &p, hash); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(personOut(p, false))
}

func (s *Server) patchPerson(c *fiber.Ctx) error {
	before, err := s.managedPerson(c)
	if err != nil {
		return err
	}
	var in personPatch
	if err := decode(c, &in); err != nil {
		return err
	}
	p := before
	changed, err := in.changes().Apply(&p)
	if err != nil {
		return err
	}
	if p.CommuneID != before.CommuneID {
		area, err := s.communeArea(c, p.CommuneID)
		if err != nil {
			return err
		}
		// Only the new commune counts: a manager who manages a teacher
		// through the centre may not move them into a foreign commune.
		if !principal(c).PeopleFilter(domain.ActManage).Matches(area) {
			return domain.Errorf(domain.CodeForbidden, "Bạn không quản lý xã/phường mới này.")
		}
		p.ProvinceID = area.ProvinceID
	}
	if err := s.People.UpdatePerson(c.UserContext(), actor(c), before, &p, changed); err != nil {
		return err
	}
	return c.JSON(personOut(p, masked(principal(c), p)))
}

func (s *Server) setAccount(c *fiber.Ctx) error {
	target, err := s.managedPerson(c)
	if err != nil {
		return err
	}
	pr := principal(c)
	for _, g := range target.Grants {
		if g.Role == domain.RoleAdmin && !pr.IsAdmin() {
			return domain.Errorf(domain.CodeForbidden, "Chỉ quản trị hệ thống được đặt mật khẩu cho một quản trị viên.")
		}
	}
	var in passwordBody
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := domain.ValidatePassword("password", in.Password); err != nil {
		return err
	}
	hash, err := domain.HashPassword(c.UserContext(), in.Password)
	if err != nil {
		return err
	}
	if _, err := s.People.SetPassword(c.UserContext(), actor(c), target.ID, hash); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
