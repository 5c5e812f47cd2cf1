package domain

import (
	"context"
	"time"
)

// Actor is who performs a write, recorded in the audit log.
type Actor struct {
	PersonID  int64
	RequestID string
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	ActorID   int64
	Action    string
	Entity    string
	EntityID  int64
	Changes   map[string]any
	RequestID string
}

// UnitStore keeps the geography and organisation: administrative units,
// centres and association branches. Lookups return CodeNotFound for unknown
// ids; writes return CodeConflict for taken codes or names and CodeInvalid
// for references to unknown units.
type UnitStore interface {
	ListUnits(ctx context.Context, f UnitFilter) ([]Unit, error)
	GetUnit(ctx context.Context, id int64) (Unit, error)
	// UnitArea locates a unit: a province by itself, a commune-level unit
	// with its province, if it is current on the day today (Vietnam's civil
	// date, see Today). Other kinds (historical) and units that ended before
	// today have no area: CodeInvalid.
	UnitArea(ctx context.Context, id int64, today time.Time) (Area, error)
	CreateUnit(ctx context.Context, by Actor, u *Unit, predecessorIDs []int64) error
	ListCentres(ctx context.Context, f PlaceFilter) ([]Centre, error)
	GetCentre(ctx context.Context, id int64) (Centre, error)
	// CentreArea locates a centre: its commune, province and itself.
	CentreArea(ctx context.Context, id int64) (Area, error)
	CreateCentre(ctx context.Context, by Actor, c *Centre) error
	// CentreContacts lists the active managers of each centre (name and
	// phone), sorted the Vietnamese way.
	CentreContacts(ctx context.Context, centreIDs []int64) (map[int64][]CentreContact, error)
	ListBranches(ctx context.Context, f PlaceFilter) ([]Branch, error)
	CreateBranch(ctx context.Context, by Actor, b *Branch) error
	// LinkSuccessions records that the predecessors (units that exist) were
	// succeeded by successorID on effectiveOn, closing each current
	// predecessor the day before; links already recorded are kept, so a
	// repeated call changes nothing. It reports how many links it added.
	LinkSuccessions(ctx context.Context, by Actor, successorID int64, predecessorIDs []int64, effectiveOn time.Time) (int, error)
}

// AuditStore reads the append-only audit log (every store writes it inside
// its own transactions).
type AuditStore interface {
	// ListAudit reads the audit log of one entity, newest first; entityID 0
	// reads the whole entity kind.
	ListAudit(ctx context.Context, entity string, entityID int64, limit int) ([]AuditEntry, error)
}

// SummaryStore counts what a home page shows, inside the caller's scope.
type SummaryStore interface {
	// Summary counts units, centres and branches in area and the people
	// (with accounts and roles) in people.
	Summary(ctx context.Context, area, people Filter) (Summary, error)
}

// PlaceFilter selects centres or branches by unit or province; zero selects all.
type PlaceFilter struct {
	UnitID     int64
	ProvinceID int64
}
