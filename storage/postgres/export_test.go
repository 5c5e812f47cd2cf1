package postgres

import (
	"context"
	"time"
)

// Translate exposes translate to the external tests.
var Translate = translate

// PurgeRequestRecordsAt exposes the request-records purge at an instant.
func (db *DB) PurgeRequestRecordsAt(ctx context.Context, now time.Time) (int64, error) {
	return db.purgeRequestRecords(ctx, now)
}
