package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// HeaderIdempotencyKey names the client's key of one logical write.
const HeaderIdempotencyKey = domain.IdempotencyKeyHeader

// safeIdempotencyKey is what a key may be: visible ASCII, as a UUID or any
// other random token is.
var safeIdempotencyKey = regexp.MustCompile(`^[\x21-\x7E]{1,255}$`)

// idempotent makes signed-in non-idempotent writes (POST, PUT, PATCH,
// DELETE) that carry an Idempotency-Key safe to retry. The key, scoped by
// account, method and path, is claimed in the database before the handler
// runs, so concurrent duplicates cannot both write. A 2xx answer is stored
// and replayed to retries with the same key (header Idempotent-Replayed),
// unless it holds a secret (secretAnswer): then the key is forgotten;
// a refusal (4xx) forgets the key, and a failure (5xx) does unless the
// write committed. The same key
// with another request (query or body) is refused with 422; a key whose
// request still runs answers 409, as does one whose write committed but whose
// answer was lost (the caller reloads to see the result).
func (s *Server) idempotent(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete:
	default:
		return c.Next() // reads (most requests) do not look for the header
	}
	key := c.Get(HeaderIdempotencyKey)
	if key == "" || s.Idempotency == nil {
		return c.Next()
	}
	if !safeIdempotencyKey.MatchString(key) {
		return domain.Invalid(domain.FieldOf(HeaderIdempotencyKey, "idempotency_key_invalid", nil))
	}
	k := domain.IdempotencyKey{AccountID: principal(c).AccountID, Method: c.Method(), Path: c.Path(), Key: key}
	fp := fingerprint(c)
	lease := 2 * s.cfg.RequestTimeout
	if s.ownsKey(c) {
		// The use case claims the key, writes and stores its answer in one
		// transaction, or answers the key's record: same key, same scope,
		// same fingerprint, same answers as below.
		c.SetUserContext(domain.WithIdempotencyClaim(c.UserContext(), domain.IdempotencyClaim{Key: k, Fingerprint: fp, Lease: lease}))
		return c.Next()
	}
	rec, claimed, err := s.Idempotency.ClaimIdempotencyKey(c.UserContext(), k, fp, lease)
	if err != nil {
		return err
	}
	if !claimed {
		return replay(c, rec, fp)
	}
	c.SetUserContext(domain.WithIdempotencyKey(c.UserContext(), k))
	if err := c.Next(); err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	// The request's own deadline may be spent: the bookkeeping gets its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), 5*time.Second)
	defer cancel()
	res := c.Response()
	if status := res.StatusCode(); status < 200 || status > 299 {
		err = s.Idempotency.ReleaseIdempotencyKey(ctx, k, status >= 400 && status < 500)
	} else if c.Locals(localSecretAnswer) == true {
		// An answer no one may keep (a one-time password) is not stored:
		// the key is forgotten and a retry does the write again.
		err = s.Idempotency.ReleaseIdempotencyKey(ctx, k, true)
	} else {
		err = s.Idempotency.CompleteIdempotencyKey(ctx, k, status, string(res.Header.ContentType()), bytes.Clone(res.Body()))
	}
	if err != nil {
		// The answer stands; a retry will learn the write committed.
		s.log.Warn("idempotency key not recorded", "request_id", requestID(c), "error", err.Error())
	}
	return nil
}

// ownsIdempotencyKey declares that the operation (its operationId in the
// contract) keeps its Idempotency-Key itself: idempotent does not claim the
// key nor store the answer, it hands the use case a domain.IdempotencyClaim
// (key, fingerprint, lease). The use case must then claim the key, write
// and store its answer in ONE transaction, answer a held key with
// domain.IdempotencyHeld, and mark a replayed answer (markReplayed), so
// that the client sees exactly what idempotent would answer. Only for
// writes whose store does all of that (attendance batches); called while
// the routes are mounted.
func (s *Server) ownsIdempotencyKey(operationID string) {
	k, err := loadContract()
	if err != nil {
		panic(err)
	}
	if !k.hasOperation(operationID) {
		panic("ownsIdempotencyKey: no operation " + operationID + " in the contract")
	}
	if s.keyOwners == nil {
		s.keyOwners = map[string]bool{}
	}
	s.keyOwners[operationID] = true
}

// ownsKey reports whether the request's operation keeps its key itself.
func (s *Server) ownsKey(c *fiber.Ctx) bool {
	if len(s.keyOwners) == 0 {
		return false
	}
	k, err := loadContract()
	if err != nil {
		return false
	}
	// The route Fiber matched names the operation (":id" is "{id}"), as
	// when its contract check was bound.
	method := c.Method()
	if method == fiber.MethodHead {
		method = fiber.MethodGet
	}
	op := k.op(method, c.Route().Path)
	return op != nil && op.route.Operation != nil && s.keyOwners[op.route.Operation.OperationID]
}

// markReplayed marks the answer as a replay of the one stored under the
// request's Idempotency-Key.
func markReplayed(c *fiber.Ctx) { c.Set(headerReplayed, "true") }

// localSecretAnswer is the Locals key of secretAnswer's mark.
const localSecretAnswer = "densach.secret_answer"

// secretAnswer marks the current answer as holding a secret shown only once
// (a one-time password): idempotent does not keep it for replays.
func secretAnswer(c *fiber.Ctx) { c.Locals(localSecretAnswer, true) }

// fingerprint hashes what makes two requests the same write.
func fingerprint(c *fiber.Ctx) []byte {
	return fingerprintOf(c.Method(), c.Path(), string(c.Request().URI().QueryString()), requestBody(c))
}

// fingerprintOf hashes method, path, query and body, each closed by a NUL.
func fingerprintOf(method, path, query string, body []byte) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(method), []byte(path), []byte(query), body} {
		h.Write(part)
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// replay answers a request whose key is already held.
func replay(c *fiber.Ctx, rec domain.IdempotencyRecord, fp []byte) error {
	if err := domain.IdempotencyHeld(rec, fp); err != nil {
		return keyHeld(c, err)
	}
	c.Set(headerReplayed, "true")
	if rec.ContentType != "" {
		c.Set(fiber.HeaderContentType, rec.ContentType)
	}
	return c.Status(rec.Status).Send(rec.Body)
}

// headerReplayed marks an answer replayed under its Idempotency-Key.
const headerReplayed = "Idempotent-Replayed"

// keyHeld passes err on, with Retry-After when it is
// operation_in_progress (domain.IdempotencyHeld).
func keyHeld(c *fiber.Ctx, err error) error {
	var e *domain.Error
	if errors.As(err, &e) && e.Key == "operation_in_progress" {
		c.Set(fiber.HeaderRetryAfter, "1")
	}
	return err
}
