// Package postgres implements the domain's stores on PostgreSQL through GORM
// (pgx underneath). Every method takes the request's context, owns its
// transaction, and turns driver errors into domain error codes.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the connection pool shared by all stores.
type DB struct {
	gorm *gorm.DB
	sql  *sql.DB
}

// Open connects to PostgreSQL. It does not fail when the server is down:
// the pool reconnects by itself and readiness reports the outage.
func Open(url string) (*DB, error) {
	g, err := gorm.Open(postgres.Open(url), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	s, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("postgres: pool: %w", err)
	}
	s.SetMaxOpenConns(20)
	s.SetMaxIdleConns(10)
	s.SetConnMaxIdleTime(5 * time.Minute)
	s.SetConnMaxLifetime(time.Hour)
	return &DB{gorm: g, sql: s}, nil
}

// SQL returns the underlying database/sql pool (for migrations and tests).
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks that PostgreSQL answers within the context's deadline.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return translate("postgres.Ping", err)
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// tx runs fn in one transaction bound to ctx and translates its error.
func (db *DB) tx(ctx context.Context, op string, fn func(tx *gorm.DB) error) error {
	err := db.gorm.WithContext(ctx).Transaction(fn)
	return translate(op, err)
}

// q returns a session bound to ctx.
func (db *DB) q(ctx context.Context) *gorm.DB { return db.gorm.WithContext(ctx) }
