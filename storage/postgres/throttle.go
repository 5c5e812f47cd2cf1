package postgres

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// throttleRow is one counter of login_throttle; window_start holds the
// time the domain's rule measures from (a window's start or the last
// attempt), given by the domain's clock.
type throttleRow struct {
	Key         string
	Failures    int
	WindowStart time.Time
}

// ThrottleAttempt locks the counters of keys and stores what decide makes
// of them, in one transaction. Missing counters are first inserted empty,
// so that even the first attempts on a key wait for each other; keys are
// locked in one order, so that two attempts cannot deadlock. Instances
// sharing the database share the counters.
func (a *Auth) ThrottleAttempt(ctx context.Context, keys []string, decide func(map[string]domain.ThrottleCounter) map[string]domain.ThrottleCounter) error {
	const op = "postgres.ThrottleAttempt"
	keys = slices.Sorted(slices.Values(keys))
	keys = slices.Compact(keys)
	return a.db.tx(ctx, op, func(tx *gorm.DB) error {
		for _, k := range keys {
			// An empty counter dates from 1970, so that the periodic
			// purge (jobs_purge.go) removes it if nothing ever counts in it.
			if err := tx.Exec(`INSERT INTO login_throttle (key, failures, window_start) VALUES (?, 0, 'epoch')
				ON CONFLICT (key) DO NOTHING`, k).Error; err != nil {
				return err
			}
		}
		var rows []throttleRow
		if err := tx.Raw(`SELECT key, failures, window_start FROM login_throttle WHERE key IN ? ORDER BY key FOR UPDATE`, keys).Scan(&rows).Error; err != nil {
			return err
		}
		cur := make(map[string]domain.ThrottleCounter, len(keys))
		for _, r := range rows {
			if r.Failures > 0 {
				cur[r.Key] = domain.ThrottleCounter{Attempts: r.Failures, At: r.WindowStart}
			}
		}
		for k, c := range decide(cur) {
			if !slices.Contains(keys, k) {
				continue // only locked keys are written
			}
			var err error
			if c.Attempts <= 0 {
				err = tx.Exec(`DELETE FROM login_throttle WHERE key = ?`, k).Error
			} else {
				err = tx.Exec(`UPDATE login_throttle SET failures = ?, window_start = ? WHERE key = ?`, c.Attempts, c.At, k).Error
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ThrottleSuccess resets the counters of clear and takes one attempt back
// from those of giveBack.
func (a *Auth) ThrottleSuccess(ctx context.Context, clear, giveBack []string) error {
	const op = "postgres.ThrottleSuccess"
	db := a.db
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
