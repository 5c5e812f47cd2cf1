package api

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"densach/storage/postgres"
)

// The speed target (bench/README.md): an authenticated read through the full
// middleware chain costs at most 1.5× a bare Fiber handler doing the same
// indexed query without middleware, measured in the same run, whether the
// token is in the verified-token cache (hit) or not (miss). Both sides are
// driven the same way, in process through app.Handler() with a reused
// fasthttp.RequestCtx, so neither pays for a socket the other does not.

// benchRead holds the two sides of the comparison over one fixture database.
type benchRead struct {
	tokens           *Tokens
	auth, bare       fasthttp.RequestHandler
	authReq, bareReq fasthttp.Request
	ctx              fasthttp.RequestCtx
}

// newBenchRead builds the real server (every middleware, a real access
// token, real PostgreSQL) and a bare fiber.New() app whose one handler
// calls the same storage method, GetCentre, and answers the same JSON.
func newBenchRead(b *testing.B) *benchRead {
	b.Helper()
	e := newTestEnv(b)
	path := "/api/v1/centres/" + strconv.FormatInt(e.w.CentreA1, 10)

	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/api/v1/centres/:id", func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("id"), 10, 64)
		if err != nil {
			return fiber.ErrNotFound
		}
		x, err := postgres.NewUnits(e.db).GetCentre(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(centreJSON{ID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName, Address: x.Address})
	})

	r := &benchRead{tokens: e.tokens, auth: e.srv.App().Handler(), bare: bare.Handler()}
	for _, req := range []*fasthttp.Request{&r.authReq, &r.bareReq} {
		req.Header.SetMethod(fiber.MethodGet)
		req.SetRequestURI(path)
		req.Header.Set(fiber.HeaderAccept, fiber.MIMEApplicationJSON)
	}
	// An officer of a province: a token with one scoped grant, the common case.
	r.authReq.Header.Set(fiber.HeaderAuthorization, "Bearer "+e.token(e.w.OfficerA))
	// Both sides must answer the same body before anything is timed.
	r.serve(b, r.auth, &r.authReq)
	authBody := string(r.ctx.Response.Body())
	r.serve(b, r.bare, &r.bareReq)
	if bareBody := string(r.ctx.Response.Body()); authBody != bareBody {
		b.Fatalf("the two sides answer differently:\nauth %s\nbare %s", authBody, bareBody)
	}
	return r
}

// serve runs one request through h and fails unless it answers 200.
func (r *benchRead) serve(b *testing.B, h fasthttp.RequestHandler, req *fasthttp.Request) {
	// What fasthttp's server does between two requests on a connection:
	// the user values hold Fiber's user context, which must not leak from
	// one request (or one side) to the next.
	r.ctx.ResetUserValues()
	r.ctx.Response.Reset()
	r.ctx.Init(req, nil, nil)
	h(&r.ctx)
	if code := r.ctx.Response.StatusCode(); code != fiber.StatusOK {
		b.Fatalf("GET %s: status %d: %s", req.URI(), code, r.ctx.Response.Body())
	}
}

// forget empties the verified-token cache, so that the next request pays
// the full JWT check (signature, JSON decoding of header and claims).
func (r *benchRead) forget() {
	r.tokens.mu.Lock()
	clear(r.tokens.verified)
	r.tokens.mu.Unlock()
}

// BenchmarkAuthenticatedRead is GET /api/v1/centres/:id through the real
// server: request tracking, recover, request id, security headers, access
// log, CORS, deadline, no-store, bearer token check (answered from the
// verified-token cache after the first request), then getCentre's one
// primary-key query. getCentre has no scope check: any signed-in caller
// may read a centre.
func BenchmarkAuthenticatedRead(b *testing.B) {
	r := newBenchRead(b)
	b.ReportAllocs()
	for b.Loop() {
		r.serve(b, r.auth, &r.authReq)
	}
}

// BenchmarkAuthenticatedReadMiss is the same request with the token cache
// emptied before each one: the first request of every token (every 15
// minutes per signed-in user, and after a restart) pays the full JWT check.
func BenchmarkAuthenticatedReadMiss(b *testing.B) {
	r := newBenchRead(b)
	b.ReportAllocs()
	for b.Loop() {
		r.forget()
		r.serve(b, r.auth, &r.authReq)
	}
}

// BenchmarkBareHandler is the baseline: the same query and answer from a
// bare Fiber handler with no middleware.
func BenchmarkBareHandler(b *testing.B) {
	r := newBenchRead(b)
	b.ReportAllocs()
	for b.Loop() {
		r.serve(b, r.bare, &r.bareReq)
	}
}

// BenchmarkReadRatio alternates the two sides request by request, so that
// drift on a shared machine affects both alike, and reports the figure the
// target bounds: ratio, the median authenticated request over the median
// bare one (medians, because a loaded machine adds long stalls to single
// requests of either side). mean-ratio is the ratio of the means. The
// authenticated side hits the verified-token cache.
func BenchmarkReadRatio(b *testing.B) { benchRatio(b, false) }

// BenchmarkReadRatioMiss is BenchmarkReadRatio with the token cache emptied
// before every authenticated request (the cache's miss path).
func BenchmarkReadRatioMiss(b *testing.B) { benchRatio(b, true) }

func benchRatio(b *testing.B, miss bool) {
	r := newBenchRead(b)
	var auth, bare []time.Duration
	for b.Loop() {
		// Swap the order every other round, so that neither side always
		// finds the connection and caches warmed by the other.
		first, second := &auth, &bare
		h1, h2, q1, q2 := r.auth, r.bare, &r.authReq, &r.bareReq
		if len(auth)%2 == 1 {
			first, second = &bare, &auth
			h1, h2, q1, q2 = r.bare, r.auth, &r.bareReq, &r.authReq
		}
		if miss {
			r.forget() // untimed: the cache is emptied before either side runs
		}
		t0 := time.Now()
		r.serve(b, h1, q1)
		t1 := time.Now()
		r.serve(b, h2, q2)
		*first = append(*first, t1.Sub(t0))
		*second = append(*second, time.Since(t1))
	}
	authMed, bareMed := median(auth), median(bare)
	b.ReportMetric(float64(authMed.Nanoseconds()), "auth-p50-ns")
	b.ReportMetric(float64(bareMed.Nanoseconds()), "bare-p50-ns")
	b.ReportMetric(float64(authMed)/float64(bareMed), "ratio")
	b.ReportMetric(float64(sum(auth))/float64(sum(bare)), "mean-ratio")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}
