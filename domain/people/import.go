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
	// Warnings name what the file held but the import did not read.
	Warnings []domain.ImportWarning
}

// ImportOptions are the choices made on the import page.
type ImportOptions struct {
	// DryRun checks and counts without writing.
	DryRun bool
	// CommuneID is where rows without a commune code go; required when the
	// file has no commune column.
	CommuneID int64
	// EnrolCentreID, when set, makes every imported person a learner of
	// that centre: the caller must be able to grant that role there.
	EnrolCentreID int64
}

// Import applies a CSV file of people: valid rows in one transaction, a row
// error for each of the others. Rows matching a person the caller does not
// cover are refused, and counted against the caller's daily allowance of
// such answers; past it, the whole import is refused.
func (s *Service) Import(ctx context.Context, pr domain.Principal, data []byte, opts ImportOptions) (ImportReport, error) {
	dryRun := opts.DryRun
	manage := pr.PeopleFilter(domain.ActManage)
	if manage.Empty() {
		return ImportReport{}, domain.Fail(domain.CodeForbidden, "import_forbidden", nil)
	}
	file, err := domain.ParsePeopleCSV(data, s.now())
	if err != nil {
		return ImportReport{}, err
	}
	commune, err := s.importCommune(ctx, manage, opts.CommuneID, file.CommuneColumn)
	if err != nil {
		return ImportReport{}, err
	}
	file.PlaceRows(commune)
	guard := importGuard{s: s, pr: pr, manage: manage}
	if opts.EnrolCentreID != 0 {
		if guard.centre, err = s.enrolCentre(ctx, pr, opts.EnrolCentreID); err != nil {
			return ImportReport{}, err
		}
		file.EnrolCentreID = opts.EnrolCentreID
	}
	res, err := s.People.ImportPeople(ctx, domain.ActorOf(ctx, pr), guard, file, dryRun)
	if err != nil {
		return ImportReport{}, err
	}
	errs := append(file.Errors, res.Errors...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
	if len(errs) > domain.MaxImportErrors {
		errs = errs[:domain.MaxImportErrors]
	}
	res.Errors = errs
	return ImportReport{DryRun: dryRun, TotalRows: file.TotalRows, ImportResult: res, Warnings: file.Warnings}, nil
}

// importCommune resolves the commune chosen for the import: a current
// commune-level unit in the caller's managing scope. Without one, a file
// without a commune column is refused as a whole.
func (s *Service) importCommune(ctx context.Context, manage domain.Filter, id int64, column bool) (*domain.Area, error) {
	if id == 0 {
		if !column {
			return nil, domain.Invalid(domain.FieldOf("commune_id", "import_commune_required", nil))
		}
		return nil, nil
	}
	a, err := s.Units.UnitArea(ctx, id, domain.Today(s.now()))
	if domain.ErrorCode(err) == domain.CodeNotFound || (err == nil && a.CommuneID == 0) || domain.ErrorCode(err) == domain.CodeInvalid {
		return nil, domain.Invalid(domain.FieldOf("commune_id", "commune_unknown", nil))
	}
	if err != nil {
		return nil, err
	}
	if !manage.Matches(a) {
		return nil, domain.Invalid(domain.FieldOf("commune_id", "commune_out_of_scope", nil))
	}
	return &a, nil
}

// enrolCentre locates the centre an import enrols its people at; the
// caller must be able to make someone a learner there (a manager at their
// own centre, an officer over its area, an administrator).
func (s *Service) enrolCentre(ctx context.Context, pr domain.Principal, id int64) (domain.Area, error) {
	a, err := s.Units.CentreArea(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return a, domain.Invalid(domain.FieldOf("enrol_centre_id", "centre_unknown", nil))
	}
	if err != nil {
		return a, err
	}
	a.CentreIDs = []int64{id}
	if !pr.CanGrant(domain.RoleLearner, a, a) {
		return a, domain.Invalid(domain.FieldOf("enrol_centre_id", "enrol_centre_forbidden", nil))
	}
	return a, nil
}

// importGuard is the caller's authority, asked by storage while it plans.
type importGuard struct {
	s      *Service
	pr     domain.Principal
	manage domain.Filter
	// centre is where the import enrols learners, when it does.
	centre domain.Area
}

func (g importGuard) CanEnrol(p domain.Person) bool {
	return g.pr.CanGrant(domain.RoleLearner, g.centre, p.Area())
}

func (g importGuard) CanPlace(a domain.Area) bool    { return g.manage.Matches(a) }
func (g importGuard) CanChange(p domain.Person) bool { return g.pr.Covers(p) }
func (g importGuard) Disclose(ctx context.Context, ds []domain.Disclosure) error {
	return g.s.disclose(ctx, g.pr, ds)
}
