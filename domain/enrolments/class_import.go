package enrolments

import (
	"context"
	"slices"

	"densach/domain"
	"densach/domain/people"
)

// PeopleImporter finds or creates the people of a CSV file, as the people
// import does (people.Service.Import): same encodings, same row errors,
// people matched by CCCD or phone (or name, birth year and commune), the
// others created, all made learners of the centre asked for.
type PeopleImporter interface {
	Import(ctx context.Context, pr domain.Principal, data []byte, opts people.ImportOptions) (people.ImportReport, error)
}

// ClassImport is what an import into a class did, or would do on a dry run.
type ClassImport struct {
	DryRun     bool
	TotalRows  int
	Created    int // people created
	Found      int // rows matching an existing person
	Enrolled   int // enrolled active
	Waitlisted int // put on the waitlist
	Already    int // already enrolled (live): left as they were
	Failed     int
	Errors     []domain.RowError
	Warnings   []domain.ImportWarning
}

// ImportIntoClass enrols the people of a CSV file into a class: a manager
// of the class's centre or an administrator, while the class is planned,
// open or running. The people are found or created by the people import
// (rows without a commune code go to the centre's commune; every person
// becomes a learner of the centre), then enrolled in file order, active
// while seats are left, then waitlisted. Those already enrolled stay as
// they are, so importing the same file again enrols nobody twice.
func (s *Service) ImportIntoClass(ctx context.Context, p domain.Principal, classID int64, data []byte, dryRun bool) (ClassImport, error) {
	c, err := s.classRef(ctx, p, classID)
	if err != nil {
		return ClassImport{}, err
	}
	if classRank(p, c) < 2 {
		return ClassImport{}, errForbidden
	}
	if !slices.Contains(staffStatuses, c.Status) {
		return ClassImport{}, errClassClosed
	}
	rep, err := s.Importer.Import(ctx, p, data, people.ImportOptions{DryRun: dryRun, CommuneID: c.CommuneID, EnrolCentreID: c.CentreID})
	if err != nil {
		return ClassImport{}, err
	}
	out := ClassImport{DryRun: dryRun, TotalRows: rep.TotalRows, Created: rep.Created, Found: rep.Updated + rep.Unchanged,
		Failed: rep.Failed, Errors: rep.Errors, Warnings: rep.Warnings}
	ids := make([]int64, 0, len(rep.Persons))
	for _, ip := range rep.Persons {
		ids = append(ids, ip.PersonID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	res, err := s.Store.EnrolManyInClass(ctx, c.ID, ids, p.PersonID, SourceImport, staffStatuses, s.now(), dryRun)
	if err != nil {
		return ClassImport{}, err
	}
	for _, r := range res {
		switch {
		case r.Already:
			out.Already++
		case r.Status == StatusWaitlisted:
			out.Waitlisted++
		default:
			out.Enrolled++
		}
	}
	return out, nil
}
