package postgres

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/utils"
)

// quotedLiteral is an SQL string literal.
var quotedLiteral = regexp.MustCompile(`'(?:[^']|'')*'`)

// slowQueryLog is GORM's logger: it writes one warning per statement slower
// than the threshold, with the SQL text but never its values (they hold
// names, phone numbers and CCCD). Failed statements are not logged here,
// even when slow (a hanging database makes every statement time out): their
// errors reach the caller, and the API logs them once per run of identical
// failures.
type slowQueryLog struct {
	log       *slog.Logger
	threshold time.Duration
}

var (
	_ logger.Interface  = slowQueryLog{}
	_ gorm.ParamsFilter = slowQueryLog{}
)

// LogMode keeps the logger as it is: the threshold is the only setting.
func (l slowQueryLog) LogMode(logger.LogLevel) logger.Interface { return l }

// Info is unused by GORM's callbacks and dropped.
func (l slowQueryLog) Info(context.Context, string, ...any) {}

// Warn is unused by GORM's callbacks and dropped.
func (l slowQueryLog) Warn(context.Context, string, ...any) {}

// Error is unused by GORM's callbacks and dropped.
func (l slowQueryLog) Error(context.Context, string, ...any) {}

// ParamsFilter drops the statement's values before GORM renders the SQL.
func (l slowQueryLog) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// Trace logs a statement that took longer than the threshold.
func (l slowQueryLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if l.threshold <= 0 || l.log == nil || (err != nil && !errors.Is(err, gorm.ErrRecordNotFound)) {
		return
	}
	elapsed := time.Since(begin)
	if elapsed < l.threshold {
		return
	}
	sql, rows := fc()
	// GORM's Scan renders the SQL with its values whatever ParamsFilter
	// says, so string literals are blanked as well.
	sql = quotedLiteral.ReplaceAllString(sql, "'?'")
	args := []any{"duration_ms", float64(elapsed.Microseconds()) / 1000, "threshold_ms", l.threshold.Milliseconds(), "rows", rows, "sql", sql, "caller", utils.FileWithLineNum()}
	l.log.WarnContext(ctx, "slow query", args...)
}
