package people

import (
	"context"
	"sort"

	"densach/domain"
)

// ImportReport is the answer of an import or a dry run: what was (or would
// be) done, and the row errors of parsing and applying, in file order.
type ImportReport struct {
	DryRun    bool
	TotalRows int
	domain.ImportResult
}

// Import applies a CSV file of people: valid rows in one transaction, a row
// error for each of the others. Rows matching a person the caller does not
// cover are refused, and counted against the caller's daily allowance of
// such answers; past it, the whole import is refused.
func (s *Service) Import(ctx context.Context, pr domain.Principal, data []byte, dryRun bool) (ImportReport, error) {
	manage := pr.PeopleFilter(domain.ActManage)
	if manage.Empty() {
		return ImportReport{}, domain.Fail(domain.CodeForbidden, "import_forbidden", nil)
	}
	file, err := domain.ParsePeopleCSV(data, s.now())
	if err != nil {
		return ImportReport{}, err
	}
	res, err := s.People.ImportPeople(ctx, domain.ActorOf(ctx, pr), importGuard{s: s, pr: pr, manage: manage}, file, dryRun)
	if err != nil {
		return ImportReport{}, err
	}
	errs := append(file.Errors, res.Errors...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
	if len(errs) > domain.MaxImportErrors {
		errs = errs[:domain.MaxImportErrors]
	}
	res.Errors = errs
	return ImportReport{DryRun: dryRun, TotalRows: file.TotalRows, ImportResult: res}, nil
}

// importGuard is the caller's authority, asked by storage while it plans.
type importGuard struct {
	s      *Service
	pr     domain.Principal
	manage domain.Filter
}

func (g importGuard) CanPlace(a domain.Area) bool    { return g.manage.Matches(a) }
func (g importGuard) CanChange(p domain.Person) bool { return g.pr.Covers(p) }
func (g importGuard) Disclose(ctx context.Context, ds []domain.Disclosure) error {
	return g.s.disclose(ctx, g.pr, ds)
}
