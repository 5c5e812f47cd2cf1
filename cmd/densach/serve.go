package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"densach/api"
	"densach/domain/attendance"
	"densach/domain/audit"
	"densach/domain/auth"
	"densach/domain/catalogue"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/domain/feeds"
	"densach/domain/jobs"
	"densach/domain/materials"
	"densach/domain/people"
	"densach/domain/quizzes"
	"densach/domain/summary"
	"densach/domain/units"
	"densach/storage/objects"
	"densach/storage/postgres"
	"densach/storage/registers"
	"densach/storage/sheets"
)

// openDB opens the pool and checks that PostgreSQL answers, so that commands
// fail early with a clear message.
func openDB(ctx context.Context, cfg config, opts ...postgres.Option) (*postgres.DB, error) {
	db, err := postgres.Open(cfg.DatabaseURL, opts...)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("PostgreSQL at DATABASE_URL does not answer (run `make run`, which starts one): %w", err)
	}
	return db, nil
}

// serve wires storage into the API and serves until SIGTERM, then drains.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	db, err := openDB(ctx, cfg, postgres.WithSlowQueryLog(log, cfg.SlowQuery))
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := objects.Open(cfg.Objects)
	if err != nil {
		return err
	}
	// MinIO down is not a reason to refuse to start: everything that does
	// not need files is served, object operations answer 503, and the
	// store creates the bucket as soon as MinIO answers again.
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	err = store.Ping(pctx)
	cancel()
	if err != nil {
		log.Warn("MinIO at MINIO_ENDPOINT does not answer: serving without files until it does", "endpoint", cfg.Objects.Endpoint, "error", err.Error())
	}
	go store.Watch(ctx)
	if cfg.Tokens.Keys, err = signingKeys(cfg); err != nil {
		return err
	}
	tokens, err := api.NewTokens(cfg.Tokens)
	if err != nil {
		return err
	}
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db), Objects: store}
	materialsSvc := materialsService(cfg, db, store, coursesSvc)
	inside, err := internalStore(cfg, store)
	if err != nil {
		return err
	}
	attendanceSvc := attendanceService(db)
	mj := materialJobs{cleanup: cleanupMaterials(materialsSvc), deriveOnline: attendanceSvc.DeriveOnlinePending}
	if !cfg.Production { // the demo's files: `densach seed demo` enqueues the job
		mj.seedDemo = seedDemoMaterials(db, coursesSvc, inside, log.With("component", "jobs"))
	}
	queue, jobsSvc, err := startJobs(ctx, cfg, db, mj, log)
	if err != nil {
		return err
	}
	objectsOrigin, err := cfg.Objects.BrowserOrigin()
	if err != nil {
		return err
	}
	srv := api.New(api.Config{
		Development:       !cfg.Production,
		ObjectStoreOrigin: objectsOrigin,
		AllowedOrigins:    cfg.AllowedOrigins,
		TrustedProxies:    cfg.TrustedProxies,
		PublicURL:         cfg.PublicURL,
		RequestTimeout:    cfg.RequestTimeout,
		DrainDelay:        cfg.DrainDelay,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		RefreshTTL:        cfg.RefreshTTL,
	}, apiDeps(cfg, db, store, tokens, log, services{courses: coursesSvc, materials: materialsSvc, jobs: jobsSvc, attendance: attendanceSvc}))

	errc := make(chan error, 1)
	go func() { errc <- srv.Listen(cfg.Addr) }()
	log.Info("serving", "addr", cfg.Addr, "production", cfg.Production)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: readiness fails, then in-flight requests finish", "drain", cfg.DrainDelay.String(), "bound", cfg.ShutdownTimeout.String())
	// The workers stop while the server drains, within the same bound.
	jctx, jcancel := context.WithTimeout(context.Background(), cfg.DrainDelay+cfg.ShutdownTimeout)
	defer jcancel()
	defer stopJobs(jctx, queue, log)()
	if err := srv.Shutdown(context.Background()); errors.Is(err, context.DeadlineExceeded) {
		log.Warn("stopped with requests cut off at SHUTDOWN_TIMEOUT")
		return nil
	} else if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// services are the use cases serve builds before the API because other
// parts (the job workers) use them too.
type services struct {
	courses    *courses.Service
	materials  *materials.Service
	jobs       *jobs.Service
	attendance *attendance.Service
}

// attendanceService is the attendance use cases, with the marks from the
// online-learning data (the progress use case and the periodic job feed
// them).
func attendanceService(db *postgres.DB) *attendance.Service {
	return &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db),
		Headings: postgres.NewAttendance(db), Render: registers.Renderer{}, Checkins: postgres.NewCheckins(db), Online: postgres.NewOnline(db)}
}

// apiDeps wires every use case the handlers call; a field left out would
// make its endpoints fail (TestAPIDepsAreAllWired).
func apiDeps(cfg config, db *postgres.DB, store *objects.Store, tokens *api.Tokens, log *slog.Logger, svc services) api.Deps {
	geo, peopleStore := postgres.NewUnits(db), postgres.NewPeople(db)
	peopleSvc := &people.Service{People: peopleStore, Units: geo, Disclosures: db}
	// A CSV enrolment into a class finds or creates its people through the
	// people import.
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: svc.courses, People: peopleStore, Importer: peopleSvc,
		Threshold: cfg.VideoThreshold}
	att := svc.attendance
	if att == nil {
		att = attendanceService(db)
	}
	// A progress batch of a class enrolment during an online session feeds
	// its online attendance.
	enrol.Online = attendance.OnlineRecorder{Service: att, Log: log}
	return api.Deps{Log: log, DB: db, Objects: store, Tokens: tokens, Units: geo, People: peopleStore, Idempotency: db,
		Auth:          &auth.Service{Store: postgres.NewAuth(db), RefreshTTL: cfg.RefreshTTL, Log: log},
		PeopleService: peopleSvc,
		Geography:     &units.Service{Units: geo, Workbook: sheets.FirstSheet}, Audit: &audit.Service{Audit: postgres.NewAudit(db)},
		Courses: svc.courses, Materials: svc.materials,
		// Passing a quiz completes its lesson in the learner's progress.
		Quizzes: &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: svc.courses, Completer: enrol},
		Summary: &summary.Service{Store: postgres.NewSummary(db)}, Jobs: svc.jobs,
		Catalogue:  catalogueFor(db, store),
		Enrolments: enrol,
		Classes:    classesService(db, svc.courses),
		Feeds:      &feeds.Service{Store: postgres.NewFeeds(db), Classes: postgres.NewClasses(db)},
		Attendance: att}
}

// migrate runs `densach migrate up|down|status`.
func migrate(ctx context.Context, cfg config, log *slog.Logger, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: densach migrate up|down|status")
	}
	db, err := openDB(ctx, cfg, postgres.WithSlowQueryLog(log, cfg.SlowQuery))
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "up":
		return postgres.MigrateUp(ctx, db.SQL(), log)
	case "down":
		return postgres.MigrateDown(ctx, db.SQL(), log)
	case "status":
		return postgres.MigrateStatus(ctx, db.SQL(), stdout)
	}
	return errors.New("usage: densach migrate up|down|status")
}

// catalogueFor is the catalogue use case; it signs cover images' links.
func catalogueFor(db *postgres.DB, store *objects.Store) *catalogue.Service {
	c := catalogue.New(postgres.NewCatalogue(db))
	c.Objects = store
	return c
}
