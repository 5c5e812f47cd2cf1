package postgres

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"densach/domain"
)

// constraintFields maps unique constraints to the field and message a caller
// can act on.
var constraintFields = map[string]domain.FieldError{
	"people_phone":           domain.FieldOf("phone", "phone_taken", nil),
	"people_cccd":            domain.FieldOf("cccd", "cccd_taken", nil),
	"people_email":           domain.FieldOf("email", "email_taken", nil),
	"role_grants_active":     domain.FieldOf("role", "role_exists", nil),
	"units_code_current":     domain.FieldOf("code", "code_taken", nil),
	"centres_name_unit":      domain.FieldOf("name", "centre_name_taken", nil),
	"branches_name_unit":     domain.FieldOf("name", "branch_name_taken", nil),
	"enrolments_online_live": domain.FieldOf("person_id", "enrolment_exists", nil),
	"enrolments_class_live":  domain.FieldOf("person_id", "enrolment_exists", nil),
	"venues_centre_name":     domain.FieldOf("name", "venue_name_taken", nil),
	"teacher_shares_live":    domain.FieldOf("person_id", "teacher_share_exists", nil),
	"holidays_province_day":  domain.FieldOf("day", "holiday_exists", nil),
}

// exclusionKeys maps exclusion constraints to the message of their conflict.
var exclusionKeys = map[string]string{
	"class_sessions_venue_free":   "session_conflict",
	"class_sessions_teacher_free": "session_conflict",
}

// checkFields maps the guards of migration 00010 (check violations raised by
// triggers) to the field and message a caller can act on.
var checkFields = map[string]domain.FieldError{
	"units_parent_province":   domain.FieldOf("parent_id", "parent_not_province", nil),
	"units_parent_current":    domain.FieldOf("parent_id", "parent_ended", nil),
	"places_unit_current":     domain.FieldOf("unit_id", "centre_unit_kind", nil),
	"people_commune_or_admin": domain.FieldOf("commune_id", "commune_required", nil),
}

// translate turns a driver error into a domain error, keeping the cause for
// logs only. A domain error passes through unchanged.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	// GORM's First and database/sql's Row().Scan say "no row" each their
	// own way; both are the caller's not-found.
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return &domain.Error{Code: domain.CodeNotFound, Key: "not_found", Message: domain.Message("not_found", nil), Op: op, Err: err}
	}
	if unavailable(err) {
		return &domain.Error{Code: domain.CodeUnavailable, Key: "db_unavailable", Message: domain.Message("db_unavailable", nil), Op: op, Err: err}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			e := &domain.Error{Code: domain.CodeConflict, Key: "duplicate_record", Message: domain.Message("duplicate_record", nil), Op: op, Err: err}
			if f, ok := constraintFields[pg.ConstraintName]; ok {
				e.Key, e.Message = f.Code, f.Message
				e.Fields = []domain.FieldError{f}
			}
			return e
		case "23P01":
			e := &domain.Error{Code: domain.CodeConflict, Key: "duplicate_record", Message: domain.Message("duplicate_record", nil), Op: op, Err: err}
			if key, ok := exclusionKeys[pg.ConstraintName]; ok {
				e.Key, e.Message = key, domain.Message(key, nil)
			}
			return e
		case "23503":
			return &domain.Error{Code: domain.CodeInvalid, Key: "reference_missing", Message: domain.Message("reference_missing", nil), Op: op, Err: err}
		case "23514", "22001", "22007", "22008", "22P02":
			e := &domain.Error{Code: domain.CodeInvalid, Key: "invalid", Message: domain.Message("invalid", nil), Op: op, Err: err}
			if f, ok := checkFields[pg.ConstraintName]; ok && pg.Code == "23514" {
				e.Key, e.Message = f.Code, f.Message
				e.Fields = []domain.FieldError{f}
			}
			return e
		case "40001", "40P01":
			return &domain.Error{Code: domain.CodeConflict, Key: "concurrent_change", Message: domain.Message("concurrent_change", nil), Op: op, Err: err}
		case "57P01", "57P02", "57P03", "53300":
			return &domain.Error{Code: domain.CodeUnavailable, Key: "db_unavailable", Message: domain.Message("db_unavailable", nil), Op: op, Err: err}
		}
	}
	return domain.Wrap(op, domain.CodeInternal, err)
}

// unavailable reports errors that mean "the database cannot be reached now":
// the caller should retry later, and readiness should fail.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) {
		return true
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "bad connection") || strings.Contains(msg, "connection refused")
}
