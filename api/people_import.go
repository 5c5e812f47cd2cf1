package api

import (
	"io"
	"mime"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/people"
)

// csvTypes are the content types browsers and spreadsheets send a CSV file
// with (Windows often labels .csv as an Excel type).
var csvTypes = map[string]bool{"text/csv": true, "application/csv": true, "text/plain": true,
	"application/vnd.ms-excel": true, "application/octet-stream": true}

var (
	errImportTooLarge = domain.Fail(domain.CodeTooLarge, "import_too_large", domain.Params{"max_mb": domain.MaxImportBytes >> 20})
	errImportType     = domain.Fail(domain.CodeInvalid, "import_content_type", nil)
)

// importBody reads the CSV from the raw body or the multipart field "file".
func importBody(c *fiber.Ctx) ([]byte, error) {
	return uploadBody(c, csvTypes, errImportType)
}

// uploadBody reads a file of up to MaxImportBytes from the multipart field
// "file" or from the raw body when its content type is one of types;
// another content type answers wrongType.
func uploadBody(c *fiber.Ctx, types map[string]bool, wrongType error) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	switch {
	case ct == fiber.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, domain.Invalid(domain.FieldOf("file", "file_required", nil))
		}
		if fh.Size > domain.MaxImportBytes {
			return nil, errImportTooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return nil, domain.Wrap("api.importBody", domain.CodeInternal, err)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, domain.MaxImportBytes+1))
		if err != nil {
			return nil, domain.Wrap("api.importBody", domain.CodeInternal, err)
		}
		if len(data) > domain.MaxImportBytes {
			return nil, errImportTooLarge
		}
		return data, nil
	case types[ct]:
		if len(requestBody(c)) > domain.MaxImportBytes {
			return nil, errImportTooLarge
		}
		return requestBody(c), nil
	}
	return nil, wrongType
}

// importPeople applies a CSV of people: valid rows in one transaction, a
// row error for each of the others. Re-sending the same file changes
// nothing, since rows match the people they created by CCCD, phone or name.
func (s *Server) importPeople(c *fiber.Ctx) error {
	dryRun, err := boolQuery(c, "dry_run")
	if err != nil {
		return err
	}
	commune, err := intQuery(c, "commune_id")
	if err != nil {
		return err
	}
	centre, err := intQuery(c, "enrol_centre_id")
	if err != nil {
		return err
	}
	data, err := importBody(c)
	if err != nil {
		return err
	}
	rep, err := s.PeopleService.Import(c.UserContext(), principal(c), data, people.ImportOptions{DryRun: dryRun, CommuneID: int64(commune), EnrolCentreID: int64(centre)})
	if err != nil {
		return err
	}
	out := importJSON{DryRun: rep.DryRun, TotalRows: rep.TotalRows, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Failed: rep.Failed, Enrolled: rep.Enrolled, Errors: make([]rowErrorJSON, 0, len(rep.Errors)), Warnings: make([]importWarningJSON, 0, len(rep.Warnings))}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Row: e.Row, Field: e.Field, Code: e.Code, Message: e.Message, Params: e.Params})
	}
	out.Updates = make([]rowUpdateJSON, 0, len(rep.Updates))
	for _, u := range rep.Updates {
		ju := rowUpdateJSON{Row: u.Row, PersonID: u.PersonID, Name: u.Name, MatchedBy: u.MatchedBy, OtherName: u.OtherName, Changes: make([]fieldChangeJSON, 0, len(u.Changes))}
		for _, c := range u.Changes {
			ju.Changes = append(ju.Changes, fieldChangeJSON{Field: c.Field, Old: c.Old, New: c.New})
		}
		out.Updates = append(out.Updates, ju)
	}
	for _, w := range rep.Warnings {
		out.Warnings = append(out.Warnings, importWarningJSON{Code: w.Code, Message: w.Message, Params: w.Params})
	}
	return c.JSON(out)
}
