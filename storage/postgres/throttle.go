package postgres

import (
	"context"
	"math"
	"time"

	"densach/domain"
)

// throttleCount is the counter of one key after an attempt.
type throttleCount struct {
	Failures  int
	Remaining float64 // seconds left in the key's window
}

// ThrottleAttempt counts one attempt under each rule's key, with fixed
// windows that restart once expired. Each upsert is atomic, so instances
// sharing the database share the counters and parallel attempts cannot
// pass the limit together. The database clock is the only clock.
func (db *DB) ThrottleAttempt(ctx context.Context, rules ...domain.ThrottleRule) (time.Duration, error) {
	const op = "postgres.ThrottleAttempt"
	var wait time.Duration
	for _, r := range rules {
		var c throttleCount
		err := db.q(ctx).Raw(`
			INSERT INTO login_throttle AS t (key, failures, window_start) VALUES (@key, 1, now())
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN t.window_start <= now() - make_interval(secs => @win) THEN 1 ELSE t.failures + 1 END,
				window_start = CASE WHEN t.window_start <= now() - make_interval(secs => @win) THEN now() ELSE t.window_start END
			RETURNING failures, extract(epoch FROM t.window_start + make_interval(secs => @win) - now())::float8 AS remaining`,
			map[string]any{"key": r.Key, "win": r.Window.Seconds()}).Scan(&c).Error
		if err != nil {
			return 0, translate(op, err)
		}
		if c.Failures > r.Max {
			w := time.Duration(math.Ceil(max(c.Remaining, 1))) * time.Second
			wait = max(wait, w)
		}
	}
	return wait, nil
}

// ThrottleSuccess resets the counters of clear and takes one attempt back
// from those of giveBack.
func (db *DB) ThrottleSuccess(ctx context.Context, clear, giveBack []string) error {
	const op = "postgres.ThrottleSuccess"
	if len(clear) > 0 {
		if err := db.q(ctx).Exec(`DELETE FROM login_throttle WHERE key IN ?`, clear).Error; err != nil {
			return translate(op, err)
		}
	}
	if len(giveBack) > 0 {
		err := db.q(ctx).Exec(`UPDATE login_throttle SET failures = failures - 1 WHERE key IN ? AND failures > 0`, giveBack).Error
		if err != nil {
			return translate(op, err)
		}
	}
	return nil
}
