package domain

import (
	"context"
	"time"
)

// IdempotencyTTL is how long a key's answer is kept for replay; older keys
// may be purged (PurgeIdempotencyKeys) and are claimed anew.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyKey identifies one logical write: the client's Idempotency-Key
// header, scoped by the caller's account, the method and the path.
type IdempotencyKey struct {
	AccountID int64
	Method    string
	Path      string
	Key       string
}

// IdempotencyState is where a keyed write stands.
type IdempotencyState string

// The states of a keyed write: claimed (the request runs or died before its
// write committed), committed (its transaction committed, no answer stored)
// and completed (the answer is stored for replay).
const (
	IdempotencyPending   IdempotencyState = "pending"
	IdempotencyCommitted IdempotencyState = "committed"
	IdempotencyCompleted IdempotencyState = "completed"
)

// IdempotencyRecord is what is stored under a key.
type IdempotencyRecord struct {
	Fingerprint []byte // hash of the request: method, path, query and body
	State       IdempotencyState
	Status      int
	ContentType string
	Body        []byte
}

// IdempotencyStore keeps the keys of non-idempotent writes, so that a retry
// returns the first answer instead of writing again. Errors are
// CodeUnavailable when the database does not answer, else CodeInternal.
type IdempotencyStore interface {
	// ClaimIdempotencyKey inserts k as pending and reports true; when k is
	// already held it returns its record and false. A key older than
	// IdempotencyTTL, or a pending key with the same fingerprint whose claim
	// is older than lease (its request died before committing), is claimed
	// anew.
	ClaimIdempotencyKey(ctx context.Context, k IdempotencyKey, fingerprint []byte, lease time.Duration) (IdempotencyRecord, bool, error)
	// CompleteIdempotencyKey stores the answer of k's request for replay.
	CompleteIdempotencyKey(ctx context.Context, k IdempotencyKey, status int, contentType string, body []byte) error
	// ReleaseIdempotencyKey forgets k so that a retry runs again: always when
	// the request was refused (a 4xx answer: whatever committed, such as the
	// audit of the refusal, is no write a retry must not repeat), else only
	// if its write never committed.
	ReleaseIdempotencyKey(ctx context.Context, k IdempotencyKey, refused bool) error
	// PurgeIdempotencyKeys deletes the keys created before before and
	// returns how many.
	PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error)
}

type idempotencyCtxKey struct{}

// WithIdempotencyKey marks ctx as running the write claimed under k: storage
// then records, in the write's own transaction, that it committed.
func WithIdempotencyKey(ctx context.Context, k IdempotencyKey) context.Context {
	return context.WithValue(ctx, idempotencyCtxKey{}, k)
}

// IdempotencyKeyFrom returns the key set by WithIdempotencyKey.
func IdempotencyKeyFrom(ctx context.Context) (IdempotencyKey, bool) {
	k, ok := ctx.Value(idempotencyCtxKey{}).(IdempotencyKey)
	return k, ok
}

// WithoutIdempotencyKey is ctx without the key WithIdempotencyKey set: a
// write that is not the request's own (one the system derives from it)
// must not record the request's key as committed.
func WithoutIdempotencyKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotencyCtxKey{}, nil)
}
