package domain

import "context"

// PeopleStore keeps people, their role grants and their sign-in accounts.
// Scope decisions are made by the caller with Filter; the store applies a
// Filter in SQL where it lists, so that a page never holds foreign people.
type PeopleStore interface {
	// GetPerson returns one person with their active grants, commune name and
	// province. CodeNotFound when the id is unknown.
	GetPerson(ctx context.Context, id int64) (Person, error)
	// ListPeople returns one page of the people matched by read (and, for
	// searches by phone or CCCD digits, by manage too) in Vietnamese register
	// order, with the position of the next page and, when q.Count, the total
	// count. The query must be normalised.
	ListPeople(ctx context.Context, read, manage Filter, q PeopleQuery) (PeoplePage, error)
	// SimilarPeople returns (a few of) the people matched by read who live
	// in p's commune with p's name (as searched) and birth year (0 for
	// unknown), in id order: the people a new p may duplicate.
	SimilarPeople(ctx context.Context, read Filter, p Person) ([]Person, error)
	// CreatePerson stores a validated person (and an account when
	// passwordHash is not empty) and sets what the database assigns: id,
	// timestamps, commune name, has-account. CodeConflict with a field error
	// on phone, cccd or email for duplicates.
	CreatePerson(ctx context.Context, by Actor, p *Person, passwordHash string) error
	// UpdatePerson writes the changed fields of p, which was read as before,
	// and sets p's new updated_at and commune name, so that p is the stored
	// person without reading it again. CodeConflict when the person changed
	// in the meantime or a phone, CCCD or e-mail is taken (with a field
	// error); CodeNotFound when gone.
	UpdatePerson(ctx context.Context, by Actor, before Person, p *Person, changed []string) error
	// ImportPeople applies the valid rows of a parsed file: rows that match an
	// existing person by CCCD or phone update it, others create a person.
	// Rows that cannot be applied (unknown commune, a place or person the
	// guard refuses, matching two people) are reported as row errors and
	// skipped; the rows refused for the person they match are handed to
	// guard.Disclose before anything is written. With dryRun nothing is
	// written. Errors other than row errors abort the whole import.
	ImportPeople(ctx context.Context, by Actor, guard ImportGuard, file ImportFile, dryRun bool) (ImportResult, error)
	// GrantRole stores an active grant and fills in its id and names.
	// CodeConflict (field role) when the person already holds it.
	GrantRole(ctx context.Context, by Actor, g *Grant) error
	// RevokeGrant marks a grant revoked. CodeNotFound when it is not an
	// active grant of the person; CodeConflict when it is the last active
	// administrator grant.
	RevokeGrant(ctx context.Context, by Actor, personID, grantID int64) error
	// SetActive deactivates (signing the account out) or reactivates a
	// person, with an audit entry; nothing when already so. CodeNotFound
	// when unknown; CodeConflict when reactivating a merged person.
	SetActive(ctx context.Context, by Actor, personID int64, active bool) error
	// MergePeople merges fromID into keepID in one transaction: grants,
	// disclosure counts and the account (when keepID has none) move, empty
	// fields of keepID are filled from fromID, fromID is deactivated with
	// merged_into_id, and one audit entry names both. CodeNotFound when
	// either is unknown; CodeConflict when either is inactive or both have
	// an account.
	MergePeople(ctx context.Context, by Actor, keepID, fromID int64) error
	// SetPassword creates the person's account or replaces its password and
	// revokes its refresh tokens; it reports whether the account is new.
	// When by is not the person, the account is marked MustChangePassword.
	// CodeNotFound when the person is unknown.
	SetPassword(ctx context.Context, by Actor, personID int64, passwordHash string) (bool, error)
}
