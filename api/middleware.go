package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/textproto"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"densach/domain"
	"densach/domain/auth"
)

const (
	localRequestID = "request_id"
	localPrincipal = "principal"
	// localRepeated marks a failure the error handler counted instead of
	// logging (a repeat within the interval).
	localRepeated = "repeated_failure"
	localBody     = "request_body"
)

// requestBody is the request's body as c.Body() gives it (decoded when the
// client compressed it), read once per request: with Immutable, every
// c.Body() walks the headers and copies the body, and a JSON write has
// several readers (the contract check, the idempotency fingerprint, the
// handler's decode). Its readers only read it.
func requestBody(c *fiber.Ctx) []byte {
	if b, ok := c.Locals(localBody).([]byte); ok {
		return b
	}
	b := c.Body()
	c.Locals(localBody, b)
	return b
}

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a sane incoming X-Request-ID or makes one, and echoes it.
func (s *Server) requestID(c *fiber.Ctx) error {
	// Peek, not Get: with Immutable, Get copies the header even when it is
	// absent or refused; only a kept id is copied.
	var id string
	if h := c.Request().Header.Peek(fiber.HeaderXRequestID); len(h) > 0 && safeRequestID.Match(h) {
		id = string(h)
	} else {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// recover turns a panic into a logged internal error.
func (s *Server) recover(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = domain.Wrap("panic", domain.CodeInternal, fmt.Errorf("%v", r))
		}
	}()
	return c.Next()
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	for _, kv := range s.headers {
		h.SetCanonical(kv[0], kv[1])
	}
	return c.Next()
}

// responseHeaders are securityHeaders' headers, keys already in canonical
// form, so that each response copies them without normalizing them again.
func responseHeaders(development bool, csp string) [][2][]byte {
	kv := [][2]string{
		{fiber.HeaderXContentTypeOptions, "nosniff"},
		{fiber.HeaderXFrameOptions, "DENY"},
		{fiber.HeaderReferrerPolicy, "no-referrer"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"Cross-Origin-Resource-Policy", "same-origin"},
		{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
		{fiber.HeaderContentSecurityPolicy, csp},
	}
	if !development {
		kv = append(kv, [2]string{fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains"})
	}
	out := make([][2][]byte, len(kv))
	for i, x := range kv {
		out[i] = [2][]byte{[]byte(textproto.CanonicalMIMEHeaderKey(x[0])), []byte(x[1])}
	}
	return out
}

// safeOrigin is an origin that may stand in the policy as it is.
var safeOrigin = regexp.MustCompile(`^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$`)

// contentSecurityPolicy is the policy of every response: the app's own
// origin only, plus the object store's origin (objects) for what pages
// send to and load from it — presigned uploads (XHR), videos and audio,
// cover images. An origin that is not one (a misconfiguration) is left
// out rather than widening the policy.
func contentSecurityPolicy(objects string) string {
	img, media, connect := "img-src 'self' data: blob:", "", "connect-src 'self'"
	if safeOrigin.MatchString(objects) {
		img, media, connect = img+" "+objects, "media-src 'self' "+objects+"; ", connect+" "+objects
	}
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " + img + "; " + media + connect +
		"; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
}

// noStore keeps API answers out of shared caches.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// accessLog writes one structured line per request, except for repeats of
// a failure already logged in the current interval (counted in its summary).
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	if repeated, _ := c.Locals(localRepeated).(bool); repeated {
		return nil
	}
	// Typed attributes, and the record handed to the handler directly: this
	// line runs on every request, the key-value form boxes each value and
	// converts it again, and Logger.LogAttrs also walks the stack for the
	// caller's source position, which the server's handlers do not print
	// (no AddSource) and which would always name this line anyway.
	h := s.log.Handler()
	ctx := context.Background()
	if !h.Enabled(ctx, slog.LevelInfo) {
		return nil
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("request_id", requestID(c)),
		slog.String("method", c.Method()), slog.String("path", loggedPath(c.Path())), slog.Int("status", c.Response().StatusCode()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000))
	_ = h.Handle(ctx, r)
	return nil
}

// cors allows cross-origin calls only from the configured origins.
func (s *Server) cors() fiber.Handler {
	if len(s.cfg.AllowedOrigins) == 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return cors.New(cors.Config{
		AllowOrigins:     strings.Join(s.cfg.AllowedOrigins, ","),
		AllowMethods:     "GET,POST,PUT,PATCH,DELETE",
		AllowHeaders:     "Authorization,Content-Type,X-Request-ID," + HeaderIdempotencyKey,
		AllowCredentials: true,
		MaxAge:           600,
	})
}

// deadline gives every request a context with a deadline, which handlers
// pass to storage.
func (s *Server) deadline(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(domain.WithRequestID(ctx, requestID(c)))
	return c.Next()
}

// bearer verifies the request's bearer token.
func (s *Server) bearer(c *fiber.Ctx) (domain.Principal, error) {
	// Peek, not Get: with Immutable, Get copies the whole header on every
	// request, while a token already verified is found without a copy.
	h := c.Request().Header.Peek(fiber.HeaderAuthorization)
	if len(h) > maxAuthHeader {
		return domain.Principal{}, unauthorized(fmt.Errorf("authorization header of %d bytes", len(h)))
	}
	raw, ok := bytes.CutPrefix(h, []byte("Bearer "))
	if !ok || len(raw) == 0 {
		return domain.Principal{}, domain.Fail(domain.CodeUnauthorized, "sign_in_required", nil)
	}
	if p, ok := s.Tokens.cached(raw); ok {
		return p, nil
	}
	return s.Tokens.Verify(string(raw))
}

// requireAuth checks the bearer token and stores the principal. A caller
// whose password someone else chose reaches only their profile and the
// password change until they replace it (sign-out needs no requireAuth).
func (s *Server) requireAuth(c *fiber.Ctx) error {
	p, err := s.bearer(c)
	if err != nil {
		return err
	}
	if p.MustChangePassword && !allowedBeforePasswordChange(c) {
		return auth.RequirePasswordChanged(p)
	}
	c.Locals(localPrincipal, p)
	return c.Next()
}

// allowedBeforePasswordChange reports whether the route is one that a
// sign-in with a password chosen by someone else may use.
func allowedBeforePasswordChange(c *fiber.Ctx) bool {
	switch c.Method() + " " + c.Path() {
	case "GET /api/v1/me", "POST /api/v1/auth/password":
		return true
	}
	return false
}

// principal returns the signed-in caller set by requireAuth.
func principal(c *fiber.Ctx) domain.Principal {
	p, _ := c.Locals(localPrincipal).(domain.Principal)
	return p
}
