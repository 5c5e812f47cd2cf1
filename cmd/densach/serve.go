package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"densach/api"
	"densach/domain/audit"
	"densach/domain/auth"
	"densach/domain/catalogue"
	"densach/domain/courses"
	"densach/domain/people"
	"densach/domain/summary"
	"densach/domain/units"
	"densach/storage/objects"
	"densach/storage/postgres"
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
	geo := postgres.NewUnits(db)
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db), Objects: store}
	materialsSvc := materialsService(cfg, db, store, coursesSvc)
	inside, err := internalStore(cfg, store)
	if err != nil {
		return err
	}
	mj := materialJobs{cleanup: cleanupMaterials(materialsSvc)}
	if !cfg.Production { // the demo's files: `densach seed demo` enqueues the job
		mj.seedDemo = seedDemoMaterials(db, inside, log.With("component", "jobs"))
	}
	queue, jobsSvc, err := startJobs(ctx, cfg, db, mj, log)
	if err != nil {
		return err
	}
	peopleStore := postgres.NewPeople(db)
	catalogueSvc := catalogue.New(postgres.NewCatalogue(db))
	catalogueSvc.Objects = store
	srv := api.New(api.Config{
		Development:       !cfg.Production,
		AllowedOrigins:    cfg.AllowedOrigins,
		TrustedProxies:    cfg.TrustedProxies,
		RequestTimeout:    cfg.RequestTimeout,
		DrainDelay:        cfg.DrainDelay,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		RefreshTTL:        cfg.RefreshTTL,
		ObjectStoreOrigin: objectStoreOrigin(cfg.Objects),
	}, api.Deps{Log: log, DB: db, Objects: store, Tokens: tokens, Units: geo, People: peopleStore, Idempotency: db,
		Auth:          &auth.Service{Store: postgres.NewAuth(db), RefreshTTL: cfg.RefreshTTL, Log: log},
		PeopleService: &people.Service{People: peopleStore, Units: geo, Disclosures: db},
		Geography:     &units.Service{Units: geo}, Audit: &audit.Service{Audit: postgres.NewAudit(db)},
		Courses: coursesSvc, Materials: materialsSvc, Catalogue: catalogueSvc,
		Summary: &summary.Service{Store: postgres.NewSummary(db)}, Jobs: jobsSvc})

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

// objectStoreOrigin is the origin browsers reach the object store at (its
// public endpoint, else its endpoint), for the Content-Security-Policy.
func objectStoreOrigin(c objects.Config) string {
	ep := c.PublicEndpoint
	if ep == "" {
		ep = c.Endpoint
	}
	host, secure, err := objects.ParsePublicEndpoint(ep, c.UseSSL)
	if err != nil || host == "" {
		return ""
	}
	if secure {
		return "https://" + host
	}
	return "http://" + host
}
