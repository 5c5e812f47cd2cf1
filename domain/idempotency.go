package domain

import (
	"bytes"
	"context"
	"time"
)

// IdempotencyKeyHeader names the client's key of one logical write.
const IdempotencyKeyHeader = "Idempotency-Key"

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

// WithoutIdempotencyKey is ctx without the key WithIdempotencyKey set, nor
// a claim WithIdempotencyClaim set: a write that is not the request's own
// (one the system derives from it) must not claim the request's key or
// record it as committed.
func WithoutIdempotencyKey(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, idempotencyClaimCtxKey{}, nil)
	return context.WithValue(ctx, idempotencyCtxKey{}, nil)
}

// IdempotencyClaim is a keyed write whose use case keeps its key itself
// (a route that opts out of the generic claim, api's ownsIdempotencyKey):
// storage claims the key, writes and stores the answer in ONE transaction,
// or, when the key is held, returns its record instead of writing.
type IdempotencyClaim struct {
	Key         IdempotencyKey
	Fingerprint []byte        // hash of the request, as the generic claim's
	Lease       time.Duration // a pending claim older than this is taken over
}

type idempotencyClaimCtxKey struct{}

// WithIdempotencyClaim marks ctx as running a write that claims c itself.
func WithIdempotencyClaim(ctx context.Context, c IdempotencyClaim) context.Context {
	return context.WithValue(ctx, idempotencyClaimCtxKey{}, c)
}

// IdempotencyClaimFrom returns the claim set by WithIdempotencyClaim.
func IdempotencyClaimFrom(ctx context.Context) (IdempotencyClaim, bool) {
	c, ok := ctx.Value(idempotencyClaimCtxKey{}).(IdempotencyClaim)
	return c, ok
}

// IdempotencyHeld is the refusal of a request whose key is already held,
// or nil when the key holds this request's stored answer (replay it): the
// same key with another request (fingerprint) is 422
// idempotency_key_reused; a write that committed without its answer is 409
// operation_answer_lost; a claim whose request still runs is 409
// operation_in_progress (retry after a second).
func IdempotencyHeld(rec IdempotencyRecord, fingerprint []byte) error {
	switch {
	case !bytes.Equal(rec.Fingerprint, fingerprint):
		return Invalid(FieldOf(IdempotencyKeyHeader, "idempotency_key_reused", nil))
	case rec.State == IdempotencyCompleted:
		return nil
	case rec.State == IdempotencyCommitted:
		e := Fail(CodeConflict, "operation_answer_lost", nil)
		e.Fields = []FieldError{FieldOf(IdempotencyKeyHeader, "idempotency_answer_lost", nil)}
		return e
	default:
		e := Fail(CodeConflict, "operation_in_progress", nil)
		e.Fields = []FieldError{FieldOf(IdempotencyKeyHeader, "idempotency_in_progress", nil)}
		return e
	}
}
