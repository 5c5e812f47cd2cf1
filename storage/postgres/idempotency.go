package postgres

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// idempotencyRow is one row of idempotency_keys as read back.
type idempotencyRow struct {
	Fingerprint []byte
	State       string
	Status      *int
	ContentType *string
	Body        []byte
}

// ClaimIdempotencyKey implements domain.IdempotencyStore. The insert and the
// takeover of an expired or abandoned key are one atomic upsert, so of two
// concurrent requests with one key exactly one claims it. The database
// clock is the only clock.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, k domain.IdempotencyKey, fingerprint []byte, lease time.Duration) (domain.IdempotencyRecord, bool, error) {
	const op = "postgres.ClaimIdempotencyKey"
	args := map[string]any{"account": k.AccountID, "method": k.Method, "path": k.Path, "key": k.Key, "fp": fingerprint,
		"ttl": domain.IdempotencyTTL.Seconds(), "lease": lease.Seconds()}
	// A key released between the upsert and the read is claimed on the next
	// turn; three turns are plenty.
	for range 3 {
		var claimed []bool
		err := db.q(ctx).Raw(`
			INSERT INTO idempotency_keys AS k (account_id, method, path, key, fingerprint)
			VALUES (@account, @method, @path, @key, @fp)
			ON CONFLICT (account_id, method, path, key) DO UPDATE SET
				fingerprint = EXCLUDED.fingerprint, state = 'pending', created_at = now(), claimed_at = now(),
				status = NULL, content_type = NULL, body = NULL
			WHERE k.created_at < now() - make_interval(secs => @ttl)
				OR (k.state = 'pending' AND k.fingerprint = EXCLUDED.fingerprint AND k.claimed_at < now() - make_interval(secs => @lease))
			RETURNING true`, args).Scan(&claimed).Error
		if err != nil {
			return domain.IdempotencyRecord{}, false, translate(op, err)
		}
		if len(claimed) == 1 {
			return domain.IdempotencyRecord{Fingerprint: fingerprint, State: domain.IdempotencyPending}, true, nil
		}
		var row idempotencyRow
		err = db.q(ctx).Raw(`SELECT fingerprint, state, status, content_type, body FROM idempotency_keys
			WHERE account_id = @account AND method = @method AND path = @path AND key = @key`, args).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return domain.IdempotencyRecord{}, false, translate(op, err)
		}
		rec := domain.IdempotencyRecord{Fingerprint: row.Fingerprint, State: domain.IdempotencyState(row.State), Body: row.Body}
		if row.Status != nil {
			rec.Status = *row.Status
		}
		if row.ContentType != nil {
			rec.ContentType = *row.ContentType
		}
		return rec, false, nil
	}
	return domain.IdempotencyRecord{}, false, domain.Wrap(op, domain.CodeConflict, errors.New("key released three times while claiming"))
}

// CompleteIdempotencyKey implements domain.IdempotencyStore.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, k domain.IdempotencyKey, status int, contentType string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	err := db.q(ctx).Exec(`UPDATE idempotency_keys SET state = 'completed', status = ?, content_type = ?, body = ?
		WHERE account_id = ? AND method = ? AND path = ? AND key = ? AND state <> 'completed'`,
		status, contentType, body, k.AccountID, k.Method, k.Path, k.Key).Error
	return translate("postgres.CompleteIdempotencyKey", err)
}

// ReleaseIdempotencyKey implements domain.IdempotencyStore.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, k domain.IdempotencyKey, refused bool) error {
	err := db.q(ctx).Exec(`DELETE FROM idempotency_keys
		WHERE account_id = ? AND method = ? AND path = ? AND key = ? AND (state = 'pending' OR (? AND state = 'committed'))`,
		k.AccountID, k.Method, k.Path, k.Key, refused).Error
	return translate("postgres.ReleaseIdempotencyKey", err)
}

// PurgeIdempotencyKeys implements domain.IdempotencyStore.
func (db *DB) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	res := db.q(ctx).Exec(`DELETE FROM idempotency_keys WHERE created_at < ?`, before)
	return res.RowsAffected, translate("postgres.PurgeIdempotencyKeys", res.Error)
}

// markIdempotentCommit records, inside a write's own transaction, that the
// write claimed under ctx's idempotency key commits: a retry then knows the
// write happened even if its answer was never stored.
func markIdempotentCommit(ctx context.Context, tx *gorm.DB) error {
	k, ok := domain.IdempotencyKeyFrom(ctx)
	if !ok {
		return nil
	}
	return tx.Exec(`UPDATE idempotency_keys SET state = 'committed'
		WHERE account_id = ? AND method = ? AND path = ? AND key = ? AND state = 'pending'`,
		k.AccountID, k.Method, k.Path, k.Key).Error
}
