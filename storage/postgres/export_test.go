package postgres

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Translate exposes translate to the external tests.
var Translate = translate

// PurgeRequestRecordsAt exposes the request-records purge at an instant.
func (db *DB) PurgeRequestRecordsAt(ctx context.Context, now time.Time) (int64, error) {
	return db.purgeRequestRecords(ctx, now)
}

// Exec runs a statement as the stores do (a GORM session bound to ctx).
func Exec(db *DB, ctx context.Context, sql string, args ...any) error {
	return db.q(ctx).Exec(sql, args...).Error
}

// OpenRows starts a query as the stores do and leaves its rows open.
func OpenRows(db *DB, ctx context.Context, sql string) (*sql.Rows, error) {
	return db.q(ctx).Raw(sql).Rows()
}

// InTx runs fn's statement in a transaction as the stores do.
func InTx(db *DB, ctx context.Context, sql string) error {
	return db.tx(ctx, "test", func(tx *gorm.DB) error { return tx.Exec(sql).Error })
}
