package postgres_test

import (
	"database/sql"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"densach/domain"
	"densach/storage/postgres"
)

// TestTranslateNoRow: a row that is not there is the caller's not-found,
// whether GORM or database/sql reports it, wrapped or not.
func TestTranslateNoRow(t *testing.T) {
	for _, err := range []error{gorm.ErrRecordNotFound, sql.ErrNoRows, fmt.Errorf("scan: %w", sql.ErrNoRows)} {
		if got := domain.ErrorCode(postgres.Translate("test", err)); got != domain.CodeNotFound {
			t.Errorf("translate(%v) = %s, want %s", err, got, domain.CodeNotFound)
		}
	}
	if got := domain.ErrorCode(postgres.Translate("test", fmt.Errorf("boom"))); got != domain.CodeInternal {
		t.Errorf("translate(boom) = %s, want %s", got, domain.CodeInternal)
	}
}
