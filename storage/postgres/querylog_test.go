package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// The slow-query log writes statements over the threshold with their SQL
// and never their values (phone numbers, CCCD, names), and nothing under it.
func TestSlowQueryLog(t *testing.T) {
	url := pgtest.NewDatabase(t)
	for _, tc := range []struct {
		name      string
		threshold time.Duration
		want      bool
	}{
		{"every statement is slow", time.Nanosecond, true},
		{"no statement is slow", time.Hour, false},
		{"turned off", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			db, err := postgres.Open(url, postgres.WithSlowQueryLog(slog.New(slog.NewJSONHandler(&buf, nil)), tc.threshold))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			const phone = "0987654321"
			_, err = db.AccountByLogin(context.Background(), domain.Login{Kind: domain.LoginPhone, Value: phone})
			if domain.ErrorCode(err) != domain.CodeNotFound {
				t.Fatalf("AccountByLogin = %v, want not found", err)
			}
			out := buf.String()
			if strings.Contains(out, phone) {
				t.Fatalf("the log holds a statement's value: %s", out)
			}
			if !tc.want {
				if out != "" {
					t.Fatalf("logged under the threshold: %s", out)
				}
				return
			}
			var line struct {
				Msg, SQL string
				Level    string
			}
			if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &line); err != nil {
				t.Fatalf("log line %q: %v", out, err)
			}
			if line.Msg != "slow query" || line.Level != "WARN" || !strings.Contains(line.SQL, "FROM accounts") {
				t.Fatalf("slow-query line = %+v", line)
			}
			// A failed statement is the error path's to log (once per run of
			// identical failures), not one slow-query line per request.
			buf.Reset()
			cancelled, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := db.AccountByLogin(cancelled, domain.Login{Kind: domain.LoginPhone, Value: phone}); err == nil {
				t.Fatal("a query with a cancelled context succeeded")
			}
			if buf.Len() != 0 {
				t.Fatalf("a failed statement was logged: %s", buf.String())
			}
		})
	}
}
