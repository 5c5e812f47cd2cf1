package domain

import (
	"context"
	"time"
)

// ImportGuard is the caller's authority over an import, which storage asks
// row by row while it plans under its locks.
type ImportGuard interface {
	// CanPlace reports whether a person may be created in, or moved into,
	// the area.
	CanPlace(a Area) bool
	// CanChange reports whether an existing person (with their active
	// grants) may be updated by the import.
	CanChange(p Person) bool
	// CanEnrol reports whether the person, as the import leaves them, may
	// be made a learner of the file's EnrolCentreID.
	CanEnrol(p Person) bool
	// Disclose is called once, before anything is written, with the rows
	// refused because they match people the caller may not change, which
	// tells the caller that a CCCD, phone or e-mail is known. An error
	// (CodeRateLimited when the caller's daily allowance is spent) aborts
	// the import.
	Disclose(ctx context.Context, rows []Disclosure) error
}

// Disclosure is one answer that tells a caller a CCCD, phone or e-mail
// belongs to someone they may not change: an import row matching such a
// person, or a single create refused as a duplicate.
type Disclosure struct {
	Row      int    // the import line, 0 for a single create
	Field    string // cccd, phone, email or full_name
	PersonID int64  // the matched person, 0 when storage did not say
}

// DisclosureStore bounds and records disclosures.
type DisclosureStore interface {
	// RecordDisclosures counts ds against the caller's allowance for the
	// day of at and writes one audit entry per disclosure, together: when
	// the count would pass limit nothing is counted or written and the
	// error is CodeRateLimited.
	RecordDisclosures(ctx context.Context, by Actor, at time.Time, limit int, ds []Disclosure) error
}
