// Package api is Đèn Sách's HTTP interface: the Fiber server, its middleware,
// one file of handlers per aggregate, the single error table and the OpenAPI
// document.
package api

import (
	"context"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/audit"
	"densach/domain/auth"
	"densach/domain/catalogue"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/domain/feeds"
	"densach/domain/jobs"
	"densach/domain/materials"
	"densach/domain/people"
	"densach/domain/quizzes"
	"densach/domain/summary"
	"densach/domain/units"
)

// Pinger is a dependency whose reachability decides readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config holds the server's settings.
type Config struct {
	Development    bool
	AllowedOrigins []string
	RequestTimeout time.Duration
	DrainDelay     time.Duration
	// ShutdownTimeout bounds how long in-flight requests may still run
	// after the drain; connections without one are closed at once.
	ShutdownTimeout time.Duration
	RefreshTTL      time.Duration
	// TrustedProxies are the load balancers whose X-Forwarded-For names the
	// client; without them the peer address is the client (login throttling
	// per address depends on it).
	TrustedProxies []string
	// ObjectStoreOrigin is where browsers reach the object store
	// ("http(s)://host[:port]", the origin presigned URLs are signed for):
	// the Content-Security-Policy lets pages upload to it (connect-src),
	// play from it (media-src) and show its images (img-src), and no
	// other. "" = none (the policy stays 'self').
	ObjectStoreOrigin string
	// PublicURL is the site's address as users reach it
	// ("https://host[/path]"), for the calendar feeds' links; "" = the
	// address of the request that makes the link.
	PublicURL string
}

// Deps are the services the handlers use, wired in cmd/.
type Deps struct {
	Log     *slog.Logger
	DB      Pinger
	Objects Pinger
	Tokens  *Tokens
	Units   domain.UnitStore
	People  domain.PeopleStore
	Auth    *auth.Service
	// PeopleService is the people use cases the people handlers call.
	PeopleService *people.Service
	// Geography is the units use case (units, centres, branches).
	Geography *units.Service
	// Audit reads the audit log.
	Audit *audit.Service
	// Courses is the courses use cases.
	Courses *courses.Service
	// Summary counts what the home pages show.
	Summary *summary.Service
	Jobs    *jobs.Service // nil: the job endpoints answer 503
	// Materials is the course materials use case; nil: its endpoints
	// answer 503 (files unavailable).
	Materials *materials.Service
	// Quizzes is the quizzes use case (bank, settings, attempts).
	Quizzes *quizzes.Service
	// Catalogue is the reference data of courses (competence frameworks,
	// categories) and the catalogue of published courses.
	Catalogue *catalogue.Service
	// Enrolments is enrolment in online courses and the learners' progress.
	Enrolments *enrolments.Service
	// Classes is venues, shared teachers, classes, sessions and holidays.
	Classes *classes.Service
	// Feeds is the calendar feeds (iCalendar subscription links).
	Feeds *feeds.Service
	// Attendance is marking sessions, registers, grids, rates and weights.
	Attendance *attendance.Service
	// Idempotency keeps Idempotency-Key answers; nil turns the header off.
	Idempotency domain.IdempotencyStore
}

// Server is the HTTP server.
type Server struct {
	cfg Config
	Deps
	log      *slog.Logger
	app      *fiber.App
	draining atomic.Bool
	conns    *connTracker
	failures *repeatLog
	// routeShapes name path parameters for rejectBadBytes.
	routeShapes routeShapes
	// headers are securityHeaders' headers.
	headers [][2][]byte
	// keyOwners are the operations (contract operationId) whose use case
	// keeps its Idempotency-Key itself (ownsIdempotencyKey).
	keyOwners map[string]bool
}

// New builds the server and registers every route.
func New(cfg Config, deps Deps) *Server {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 15 * time.Second
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 30 * 24 * time.Hour
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 5 * time.Second
	}
	s := &Server{cfg: cfg, Deps: deps, log: deps.Log, conns: newConnTracker(), headers: responseHeaders(cfg.Development, contentSecurityPolicy(cfg.ObjectStoreOrigin))}
	s.failures = newRepeatLog(s.log, repeatLogInterval)
	s.app = fiber.New(fiber.Config{
		AppName:                 "densach",
		ErrorHandler:            s.errorHandler,
		BodyLimit:               16 << 20,
		ReadBufferSize:          16 << 10,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            60 * time.Second,
		IdleTimeout:             120 * time.Second,
		DisableStartupMessage:   true,
		StrictRouting:           false,
		CaseSensitive:           true,
		Immutable:               true,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
	})
	s.app.Server().ConnState = s.conns.state
	s.routes()
	return s
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen(s.app.Config().Network, addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on an open listener until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(closableListener{ln}) }

// routes registers every route; each aggregate mounts its own.
func (s *Server) routes() {
	s.app.Use(s.trackRequest, s.recover, s.requestID, s.securityHeaders, s.accessLog, s.cors(), s.deadline)
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	v1 := s.app.Group("/api/v1", noStore, s.rejectBadBytes)
	public := router{s: s, group: v1, prefix: "/api/v1"}
	public.Get("/openapi.json", s.openAPI)
	s.mountAuth(public)
	authed := public
	authed.authed = true
	s.mountMe(authed)
	s.mountUnits(authed)
	s.mountPeople(authed)
	s.mountAudit(authed)
	s.mountCourses(authed)
	s.mountSummary(authed)
	s.mountJobs(authed)
	s.mountMaterials(authed)
	s.mountQuizzes(authed)
	s.mountCatalogue(authed)
	s.mountRosters(authed) // before mountClasses: /classes/open, not /classes/:id
	s.mountEnrolments(authed)
	s.mountClasses(authed)
	s.mountFeeds(authed)
	s.mountAttendance(authed)
	s.mountRegisters(authed)
	s.mountCheckin(authed)
	s.mountOnlineMarks(authed)
	// What no route answered is for signed-in callers only, as every
	// route after the public ones: 401 without a token, else 404.
	v1.Use(s.requireAuth, s.idempotent)
	v1.All("/*", func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	s.mountICal()
	s.mountApp()
}

// router mounts routes under /api/v1, each with its own chain, built once:
// the check of its request against its operation in the OpenAPI document,
// then, for signed-in routes, requireAuth and idempotent, then its handlers.
// So a request the contract refuses is refused before its token is looked
// at, and an idempotent write with an invalid request never claims its key.
type router struct {
	s      *Server
	group  fiber.Router
	prefix string
	authed bool // requireAuth and idempotent run before the handlers
}

func (r router) Get(path string, h ...fiber.Handler)    { r.add(fiber.MethodGet, path, h...) }
func (r router) Post(path string, h ...fiber.Handler)   { r.add(fiber.MethodPost, path, h...) }
func (r router) Put(path string, h ...fiber.Handler)    { r.add(fiber.MethodPut, path, h...) }
func (r router) Patch(path string, h ...fiber.Handler)  { r.add(fiber.MethodPatch, path, h...) }
func (r router) Delete(path string, h ...fiber.Handler) { r.add(fiber.MethodDelete, path, h...) }

// add mounts one route; a GET route answers HEAD too, as Fiber's Get does.
func (r router) add(method, path string, handlers ...fiber.Handler) {
	chain := r.chain(method, path, handlers)
	if method == fiber.MethodGet {
		r.group.Add(fiber.MethodHead, path, chain...)
	}
	r.group.Add(method, path, chain...)
}

// chain is a route's handlers behind its contract check and, when signed
// in, requireAuth and idempotent.
func (r router) chain(method, path string, handlers []fiber.Handler) []fiber.Handler {
	var chain []fiber.Handler
	if check := r.s.checkContract(method, r.prefix+path); check != nil {
		chain = append(chain, check)
	}
	if r.authed {
		chain = append(chain, r.s.requireAuth, r.s.idempotent)
	}
	return append(chain, handlers...)
}
