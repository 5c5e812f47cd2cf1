package people

import (
	"context"

	"densach/domain"
)

// Me returns the caller as they see themselves.
func (s *Service) Me(ctx context.Context, pr domain.Principal) (View, error) {
	p, err := s.People.GetPerson(ctx, pr.PersonID)
	if err != nil {
		return View{}, err
	}
	return ViewOf(pr, p), nil
}

// Get returns one person the caller may read; CodeNotFound otherwise.
func (s *Service) Get(ctx context.Context, pr domain.Principal, id int64) (View, error) {
	p, err := s.readable(ctx, pr, id)
	if err != nil {
		return View{}, err
	}
	return ViewOf(pr, p), nil
}

// Page is one page of the people list as the caller sees it.
type Page struct {
	Items []View
	// Total is the number of people in the whole list when the query asked
	// for it (Counted).
	Total   int
	Counted bool
	// Next is the position of the next page, nil on the last one.
	Next *domain.PeopleCursor
}

// List returns one page of the people the caller may read, with the
// position of the next page and, when q.Count, the total. The query must be
// normalised.
func (s *Service) List(ctx context.Context, pr domain.Principal, q domain.PeopleQuery) (Page, error) {
	page, err := s.People.ListPeople(ctx, pr.PeopleFilter(domain.ActRead), pr.PeopleFilter(domain.ActManage), q)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: make([]View, len(page.Items)), Total: page.Total, Counted: page.Counted, Next: page.Next}
	for i, p := range page.Items {
		out.Items[i] = ViewOf(pr, p)
	}
	return out, nil
}

// Create stores a new person, with an account when password is not empty,
// in a commune the caller manages.
func (s *Service) Create(ctx context.Context, pr domain.Principal, c domain.PersonChanges, password string) (View, error) {
	manage := pr.PeopleFilter(domain.ActManage)
	if manage.Empty() {
		return View{}, domain.Fail(domain.CodeForbidden, "person_create_forbidden", nil)
	}
	var p domain.Person
	var f domain.Fields
	if _, err := c.Apply(&p, s.now()); err != nil {
		f = append(f, domain.AsError(err).Fields...)
	}
	if password != "" {
		f.AddErr("password", domain.ValidatePassword("password", password))
	}
	if err := f.Err(); err != nil {
		return View{}, err
	}
	area, err := s.communeArea(ctx, p.CommuneID)
	if err != nil {
		return View{}, err
	}
	if !manage.Matches(area) {
		return View{}, domain.Fail(domain.CodeForbidden, "commune_not_managed", nil)
	}
	p.ProvinceID = area.ProvinceID
	var hash string
	if password != "" {
		if hash, err = s.hash(ctx, password); err != nil {
			return View{}, err
		}
	}
	if err := s.People.CreatePerson(ctx, domain.ActorOf(ctx, pr), &p, hash); err != nil {
		return View{}, s.writeErr(ctx, pr, err)
	}
	return ViewOf(pr, p), nil
}

// Update applies the changes to a person whose profile the caller may edit
// (domain.Principal.CanEditProfile). A move to
// another commune needs the caller to manage the new commune too.
func (s *Service) Update(ctx context.Context, pr domain.Principal, id int64, c domain.PersonChanges) (View, error) {
	before, err := s.readable(ctx, pr, id)
	if err != nil {
		return View{}, err
	}
	if !pr.CanEditProfile(before) {
		return View{}, errNotCovered
	}
	p := before
	changed, err := c.Apply(&p, s.now())
	if err != nil {
		return View{}, err
	}
	if p.CommuneID != before.CommuneID {
		area, err := s.communeArea(ctx, p.CommuneID)
		if err != nil {
			return View{}, err
		}
		// Only the new commune counts: a manager who manages a teacher
		// through the centre may not move them into a foreign commune.
		if !pr.PeopleFilter(domain.ActManage).Matches(area) {
			return View{}, domain.Fail(domain.CodeForbidden, "new_commune_not_managed", nil)
		}
		p.ProvinceID = area.ProvinceID
	}
	if err := s.People.UpdatePerson(ctx, domain.ActorOf(ctx, pr), before, &p, changed); err != nil {
		return View{}, s.writeErr(ctx, pr, err)
	}
	return ViewOf(pr, p), nil
}

// SetAccount creates the person's account or resets its password, signing
// them out everywhere. Only a caller who covers the person may: whoever sets
// a password can sign in as its owner.
func (s *Service) SetAccount(ctx context.Context, pr domain.Principal, id int64, password string) error {
	target, err := s.covered(ctx, pr, id)
	if err != nil {
		return err
	}
	if err := domain.ValidatePassword("password", password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	_, err = s.People.SetPassword(ctx, domain.ActorOf(ctx, pr), target.ID, hash)
	return err
}
