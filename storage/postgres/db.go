// Package postgres implements the domain's stores on PostgreSQL through GORM
// (pgx underneath). Every method takes the request's context, owns its
// transaction, and turns driver errors into domain error codes.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib" // also database/sql driver "pgx" for the health pool

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the connection pool shared by all stores, plus a separate small
// pool for health checks.
type DB struct {
	gorm   *gorm.DB
	sql    *sql.DB
	pool   *pgxpool.Pool
	health *sql.DB
}

// Option changes how Open sets the pool up.
type Option func(*options)

type options struct {
	log       *slog.Logger
	slowQuery time.Duration
}

// WithSlowQueryLog logs, as warnings on log, every GORM statement that takes
// at least threshold (0 turns it off). Without it nothing is logged.
func WithSlowQueryLog(log *slog.Logger, threshold time.Duration) Option {
	return func(o *options) { o.log, o.slowQuery = log, threshold }
}

// Open connects to PostgreSQL. It does not fail when the server is down:
// the pool reconnects by itself and readiness reports the outage.
func Open(url string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var gl logger.Interface = logger.Discard
	if o.log != nil && o.slowQuery > 0 {
		gl = slowQueryLog{log: o.log, threshold: o.slowQuery}
	}
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pc.MaxConns = MaxOpenConns
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.MaxConnLifetime = time.Hour
	pc.ConnConfig.Tracer = requestContext{}
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: pool: %w", err)
	}
	s := sql.OpenDB(poolConnector{stdlib.GetPoolConnector(pool)})
	// The connections are pgxpool's: database/sql keeps none idle (it
	// would hold them out of the pool) and has no limit of its own (the
	// pool's is MaxOpenConns, waited for under the request's context).
	s.SetMaxIdleConns(0)
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: s}), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 gl,
		// PostgreSQL keeps microseconds: a time GORM writes is the time it
		// answers with only when it has no more digits than that.
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		s.Close()
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// Readiness must not queue behind the API's requests: when all
	// MaxOpenConns are busy the database still answers, and a ping through
	// the API pool would wait for a free connection and report an outage.
	h, err := sql.Open("pgx", url)
	if err != nil {
		s.Close()
		pool.Close()
		return nil, fmt.Errorf("postgres: health pool: %w", err)
	}
	h.SetMaxOpenConns(2)
	h.SetMaxIdleConns(1)
	h.SetConnMaxLifetime(time.Hour)
	return &DB{gorm: g, sql: s, pool: pool, health: h}, nil
}

// MaxOpenConns is the size of the API's pool.
const MaxOpenConns = 20

// SQL returns the underlying database/sql pool (for migrations and tests).
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks that PostgreSQL answers within the context's deadline, through
// the health pool, whether or not the API's pool is busy.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.health.PingContext(ctx); err != nil {
		return translate("postgres.Ping", err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	herr := db.health.Close()
	err := db.sql.Close()
	db.pool.Close()
	if err != nil {
		return err
	}
	return herr
}

// tx runs fn in one transaction bound to ctx and translates its error. A
// write running under an idempotency key marks the key committed in the
// same transaction.
func (db *DB) tx(ctx context.Context, op string, fn func(tx *gorm.DB) error) error {
	err := db.gorm.WithContext(detach(ctx)).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return markIdempotentCommit(ctx, tx)
	})
	return translate(op, err)
}

// q returns a session bound to ctx.
func (db *DB) q(ctx context.Context) *gorm.DB { return db.gorm.WithContext(detach(ctx)) }
