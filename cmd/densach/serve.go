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
	"densach/domain/people"
	"densach/domain/summary"
	"densach/domain/units"
	"densach/storage/objects"
	"densach/storage/postgres"
)

// openDB opens the pool and checks that PostgreSQL answers, so that commands
// fail early with a clear message.
func openDB(ctx context.Context, cfg config) (*postgres.DB, error) {
	db, err := postgres.Open(cfg.DatabaseURL)
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
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := objects.Open(cfg.Objects)
	if err != nil {
		return err
	}
	bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = store.EnsureBucket(bctx)
	cancel()
	if err != nil {
		return fmt.Errorf("MinIO at MINIO_ENDPOINT (%s) is not reachable: %w", cfg.Objects.Endpoint, err)
	}
	if cfg.Tokens.Keys, err = signingKeys(cfg); err != nil {
		return err
	}
	tokens, err := api.NewTokens(cfg.Tokens)
	if err != nil {
		return err
	}
	geo := postgres.NewUnits(db)
	queue, jobsSvc, err := startJobs(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	srv := api.New(api.Config{
		Development:    !cfg.Production,
		AllowedOrigins: cfg.AllowedOrigins,
		TrustedProxies: cfg.TrustedProxies,
		RequestTimeout: cfg.RequestTimeout,
		DrainDelay:     cfg.DrainDelay,
		RefreshTTL:     cfg.RefreshTTL,
	}, api.Deps{Log: log, DB: db, Objects: store, Tokens: tokens, Units: geo, People: db,
		Auth:          &auth.Service{Store: postgres.NewAuth(db), RefreshTTL: cfg.RefreshTTL, Log: log},
		PeopleService: &people.Service{People: db, Units: geo, Disclosures: db},
		Geography:     &units.Service{Units: geo}, Audit: &audit.Service{Audit: postgres.NewAudit(db)},
		Summary: &summary.Service{Store: postgres.NewSummary(db)}, Jobs: jobsSvc})

	errc := make(chan error, 1)
	go func() { errc <- srv.Listen(cfg.Addr) }()
	log.Info("serving", "addr", cfg.Addr, "production", cfg.Production)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: readiness fails, in-flight requests finish")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.DrainDelay+30*time.Second)
	defer cancel()
	defer stopJobs(sctx, queue, log)()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
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
	db, err := openDB(ctx, cfg)
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
