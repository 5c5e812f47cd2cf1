package api

import (
	"testing"
	"time"

	"densach/domain"
)

// The verified-token cache must never outlive a token: a cached token is
// refused once the clock passes its expiry, exactly as an uncached one is.
func TestVerifiedTokenCacheHonoursExpiry(t *testing.T) {
	tk := testTokens(t)
	now := time.Now()
	tk.now = func() time.Time { return now }
	p := domain.Principal{AccountID: 7, PersonID: 9, Grants: []domain.Grant{{ID: 1, Role: domain.RoleTeacher, Kind: domain.ScopeCentre, CentreID: 3}}}
	raw, err := tk.Issue(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second call is answered from the cache
		got, err := tk.Verify(raw)
		if err != nil || got.PersonID != 9 || len(got.Grants) != 1 || got.Grants[0].CentreID != 3 {
			t.Fatalf("verify #%d: %+v, %v", i+1, got, err)
		}
	}
	if _, ok := tk.verified[raw]; !ok {
		t.Fatal("a verified token was not cached")
	}
	now = now.Add(tk.TTL() + time.Minute)
	if _, err := tk.Verify(raw); domain.ErrorCode(err) != domain.CodeUnauthorized {
		t.Fatalf("an expired cached token = %v, want unauthorized", err)
	}
}
