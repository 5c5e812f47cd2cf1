package attendance

import (
	"context"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Authority is who may mark, as data storage can check inside the batch's
// one statement (the way a Filter becomes SQL): an administrator (All), the
// centres the caller manages, and the caller as a teacher of the session or
// of its class. markAllowed is the same rule over the facts in memory.
type Authority struct {
	All       bool
	CentreIDs []int64
	PersonID  int64
}

// BatchRequest is a batch for the store: rows already validated.
type BatchRequest struct {
	SessionID int64
	Rows      []MarkInput
	Authority Authority
	// Until: only a session starting before this instant is marked (the
	// start of tomorrow in Vietnam).
	Until  time.Time
	Source Source
	Device string
}

// The outcomes of a batch row.
const (
	OutcomeNotEnrolled = "not_enrolled"
	OutcomeConflict    = "conflict"
	OutcomeUnchanged   = "unchanged"
	OutcomeChanged     = "changed"
)

// BatchRow is one row of a batch as the store found it, with the mark as it
// stands after the statement (nil: unmarked).
type BatchRow struct {
	PersonID    int64
	EnrolmentID int64
	Outcome     string
	Mark        *Mark
}

// Applied is the facts the batch's statement found, and whether it wrote.
type Applied struct {
	Found     bool
	ClassID   int64
	CentreID  int64
	Cancelled bool
	StartsAt  time.Time
	Allowed   bool
	Applied   bool
	Rows      []BatchRow
	// Replayed: the batch's idempotency claim found its own stored answer,
	// which the other fields hold; nothing was written.
	Replayed bool
	// Held: the claim found the key held otherwise (another request, a
	// claim still running, a write without its answer); nothing was
	// written, the other fields are empty.
	Held *domain.IdempotencyRecord
}

// Store keeps marks, their history and the centres' weights.
type Store interface {
	// ApplyBatch applies a session's batch in ONE round trip and one
	// transaction, serialized with the other batches of the session: it
	// writes every changed row (version + 1, an event each) if and only if
	// the authority may mark the session, the session is not cancelled and
	// starts before Until, every row's person has a live enrolment in the
	// class and no row is a conflict (a mark whose version is not the row's
	// and whose status or note differ). Otherwise it writes nothing. Under
	// an idempotency key (domain.WithIdempotencyKey) it marks the key
	// committed in the same transaction. Under an idempotency claim
	// (domain.WithIdempotencyClaim) the same round trip and transaction
	// reads the key after locking the session (the key's path names the
	// session, so the lock serializes the requests of one key): when it is
	// held (not expired nor an abandoned claim of the same request, as
	// ClaimIdempotencyKey takes over), Replayed with the stored answer, or
	// Held, and nothing written; otherwise the batch runs and, when it is
	// applied, its answer is stored under the key. A refused batch leaves
	// the key as it was.
	ApplyBatch(ctx context.Context, r BatchRequest) (Applied, error)
	// Learners lists a class's live enrolments (active, completed) in
	// Vietnamese name order (of one person when personID is not 0).
	Learners(ctx context.Context, classID, personID int64) ([]Learner, error)
	// Marks lists the marks of a class's sessions (of one session when
	// sessionID is not 0, of one person when personID is not 0).
	Marks(ctx context.Context, classID, sessionID, personID int64) ([]Mark, error)
	// History lists the changes of a session's marks (of one person when
	// personID is not 0), oldest first.
	History(ctx context.Context, sessionID, personID int64) ([]Event, error)
	// Weights returns a centre's weights (the defaults when it has none).
	Weights(ctx context.Context, centreID int64) (Weights, error)
	SetWeights(ctx context.Context, centreID int64, w Weights, by int64) error
	// LearnerClasses lists the classes where the person has a live
	// enrolment.
	LearnerClasses(ctx context.Context, personID int64) ([]int64, error)
}

// Classes is what attendance needs of the classes store.
type Classes interface {
	CentreArea(ctx context.Context, centreID int64) (domain.Area, error)
	Class(ctx context.Context, id int64) (classes.Class, error)
	Session(ctx context.Context, id int64) (classes.Session, error)
	Sessions(ctx context.Context, f classes.SessionFilter) ([]classes.Session, error)
}
