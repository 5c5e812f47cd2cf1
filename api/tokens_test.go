package api

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"densach/domain"
)

// testSecret is the secret of key k1 in testTokens.
var testSecret = []byte("test-secret-0123456789-0123456789-abcdef")

// validClaims are the claims testTokens would issue for p now.
func validClaims(p domain.Principal) accessClaims {
	now := time.Now()
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "densach-test",
			Subject:   strconv.FormatInt(p.AccountID, 10),
			Audience:  jwt.ClaimStrings{"densach-test-api"},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)),
		},
		Type:     tokenTypeAccess,
		PersonID: p.PersonID,
	}
	for _, g := range p.Grants {
		c.Grants = append(c.Grants, grantClaim{ID: g.ID, Role: string(g.Role), Kind: string(g.Kind), Unit: g.UnitID, Centre: g.CentreID, Commune: g.CommuneID, Province: g.ProvinceID})
	}
	return c
}

// signJWT signs claims with method and key under kid ("" leaves it out).
func signJWT(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// handMadeJWT builds a token from a raw header and payload, signed with
// HMAC-SHA256 under secret whatever the header claims: the algorithm
// confusion attack, where an RS256 header meets the HMAC secret.
func handMadeJWT(header, payload string, secret []byte) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + enc.EncodeToString(m.Sum(nil))
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTokensRefused sends each bad token to a route behind requireAuth and
// expects 401 in the one error shape.
func TestTokensRefused(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.ManagerA1
	valid := e.token(p)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(mod func(c *accessClaims)) accessClaims {
		c := validClaims(p)
		mod(&c)
		return c
	}
	hs256 := func(c jwt.Claims) string { return signJWT(t, jwt.SigningMethodHS256, testSecret, "k1", c) }
	parts := strings.Split(valid, ".")
	admin := validClaims(p)
	admin.Grants = []grantClaim{{Role: "admin", Kind: "system"}}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(mustJSON(t, admin))) + "." + parts[2]
	refresh, _, _ := domain.NewRefreshToken()

	cases := []struct {
		name, header string
	}{
		{"alg none", "Bearer " + signJWT(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", validClaims(p))},
		{"alg none, no signature part", "Bearer " + strings.Join(strings.Split(signJWT(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", validClaims(p)), ".")[:2], ".")},
		{"HS512 with the right secret", "Bearer " + signJWT(t, jwt.SigningMethodHS512, testSecret, "k1", validClaims(p))},
		{"HS384 with the right secret", "Bearer " + signJWT(t, jwt.SigningMethodHS384, testSecret, "k1", validClaims(p))},
		{"RS256 header, HMAC with the secret", "Bearer " + handMadeJWT(`{"alg":"RS256","kid":"k1","typ":"JWT"}`, mustJSON(t, validClaims(p)), testSecret)},
		{"RS256 signed with an RSA key", "Bearer " + signJWT(t, jwt.SigningMethodRS256, rsaKey, "k1", validClaims(p))},
		{"wrong key", "Bearer " + signJWT(t, jwt.SigningMethodHS256, []byte("another-secret-0123456789-0123456789-x"), "k1", validClaims(p))},
		{"unknown kid", "Bearer " + signJWT(t, jwt.SigningMethodHS256, testSecret, "k9", validClaims(p))},
		{"no kid", "Bearer " + signJWT(t, jwt.SigningMethodHS256, testSecret, "", validClaims(p))},
		{"expired", "Bearer " + hs256(with(func(c *accessClaims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-45 * time.Minute))
		}))},
		{"missing exp", "Bearer " + hs256(with(func(c *accessClaims) { c.ExpiresAt = nil }))},
		{"missing iat", "Bearer " + hs256(with(func(c *accessClaims) { c.IssuedAt = nil }))},
		{"iat in the future", "Bearer " + hs256(with(func(c *accessClaims) { c.IssuedAt = jwt.NewNumericDate(time.Now().Add(time.Hour)) }))},
		{"not yet valid", "Bearer " + hs256(with(func(c *accessClaims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(time.Hour)) }))},
		{"wrong aud", "Bearer " + hs256(with(func(c *accessClaims) { c.Audience = jwt.ClaimStrings{"another-api"} }))},
		{"missing aud", "Bearer " + hs256(with(func(c *accessClaims) { c.Audience = nil }))},
		{"wrong iss", "Bearer " + hs256(with(func(c *accessClaims) { c.Issuer = "someone-else" }))},
		{"missing iss", "Bearer " + hs256(with(func(c *accessClaims) { c.Issuer = "" }))},
		{"token_type refresh", "Bearer " + hs256(with(func(c *accessClaims) { c.Type = "refresh" }))},
		{"token_type missing", "Bearer " + hs256(with(func(c *accessClaims) { c.Type = "" }))},
		{"subject not a number", "Bearer " + hs256(with(func(c *accessClaims) { c.Subject = "admin" }))},
		{"person missing", "Bearer " + hs256(with(func(c *accessClaims) { c.PersonID = 0 }))},
		{"refresh token as bearer", "Bearer " + refresh},
		{"tampered payload (grants)", "Bearer " + tampered},
		{"signature stripped", "Bearer " + parts[0] + "." + parts[1] + "."},
		{"oversized header, 6 KB", "Bearer " + valid + strings.Repeat("A", 6<<10)},
		{"garbage", "Bearer not-a-jwt"},
		{"garbage, three dots", "Bearer a.b.c"},
		{"garbage, binary", "Bearer \x01\x02\x03"},
		{"empty bearer", "Bearer "},
		{"other scheme", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:admin"))},
		{"no header", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/units", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, body := authDo(t, e, req)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401; body %v", resp.StatusCode, body)
			}
			if body["code"] != "unauthorized" || body["message"] == "" || body["request_id"] == "" {
				t.Fatalf("body %v is not the error shape", body)
			}
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		for _, tok := range []string{valid, hs256(validClaims(p))} {
			if st, body := e.call(http.MethodGet, "/api/v1/units", tok, nil); st != http.StatusOK {
				t.Fatalf("status %d, want 200; body %v", st, body)
			}
		}
	})
}

// TestTokensOversizedHeader sends a 20 KB Authorization header over a real
// connection: it exceeds the server's read buffer, so the framework refuses
// it before any handler runs, and the answer must still be 401 in the one
// error shape (app.Test cannot show this: it reports the read error).
func TestTokensOversizedHeader(t *testing.T) {
	e := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = e.srv.App().Shutdown() })
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	huge := "Bearer " + e.token(e.w.Admin) + strings.Repeat("A", 20<<10)
	if _, err := fmt.Fprintf(conn, "GET /api/v1/units HTTP/1.1\r\nHost: densach.test\r\nAuthorization: %s\r\n\r\n", huge); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusUnauthorized || body["code"] != "unauthorized" || body["message"] == "" {
		t.Fatalf("status %d, body %v; want 401 in the error shape", resp.StatusCode, body)
	}
}

// TestTokensKeyRotation: a token signed with an older key verifies while
// the key is still listed, and is refused once it is removed.
func TestTokensKeyRotation(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.TeacherA1
	oldToken := e.token(p) // signed with k1
	newKey := SigningKey{ID: "k2", Secret: []byte("rotated-secret-0123456789-0123456789-xyz")}
	rotated, err := NewTokens(TokenConfig{Issuer: "densach-test", Audience: "densach-test-api", TTL: 15 * time.Minute,
		Keys: []SigningKey{newKey, {ID: "k1", Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Tokens = rotated
	newToken, err := rotated.Issue(p)
	if err != nil {
		t.Fatal(err)
	}
	if h, _, _ := jwt.NewParser().ParseUnverified(newToken, &accessClaims{}); h == nil || h.Header["kid"] != "k2" {
		t.Fatal("the rotated service does not sign with the first key")
	}
	for name, tok := range map[string]string{"old key": oldToken, "new key": newToken} {
		if st, body := e.call(http.MethodGet, "/api/v1/units", tok, nil); st != http.StatusOK {
			t.Fatalf("%s while both keys are listed: %d %v", name, st, body)
		}
	}
	retired, err := NewTokens(TokenConfig{Issuer: "densach-test", Audience: "densach-test-api", TTL: 15 * time.Minute, Keys: []SigningKey{newKey}})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Tokens = retired
	if st, _ := e.call(http.MethodGet, "/api/v1/units", oldToken, nil); st != http.StatusUnauthorized {
		t.Fatalf("old key after removal: %d, want 401", st)
	}
	if st, _ := e.call(http.MethodGet, "/api/v1/units", newToken, nil); st != http.StatusOK {
		t.Fatalf("new key after removal: %d, want 200", st)
	}
}

// FuzzTokensVerify feeds arbitrary strings to the verifier: it must never
// panic, and whatever it accepts must carry exactly the principal that was
// signed (a mutation may only survive where the encoding ignores bits).
func FuzzTokensVerify(f *testing.F) {
	tk := testTokens(f)
	p := domain.Principal{AccountID: 7, PersonID: 9, Grants: []domain.Grant{{ID: 3, PersonID: 9, Role: domain.RoleManager, Kind: domain.ScopeCentre, CentreID: 4, CommuneID: 5, ProvinceID: 6}}}
	valid, err := tk.Issue(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add("")
	f.Add("a.b.c")
	f.Add(strings.Repeat("A", 5000))
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")
	want := mustJSON(f, p)
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := tk.Verify(raw)
		if err != nil {
			if domain.ErrorCode(err) != domain.CodeUnauthorized {
				t.Fatalf("error %v is not unauthorized", err)
			}
			return
		}
		if s := mustJSON(t, got); s != want {
			t.Fatalf("accepted %q as %s", raw, s)
		}
	})
}
