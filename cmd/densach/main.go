// Command densach is Đèn Sách's one binary: the server and its
// administration commands. Wiring is explicit here: read the configuration,
// open PostgreSQL and MinIO, hand them to the API.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

var stdout io.Writer = os.Stdout

const usage = `Đèn Sách — learning-management system for community learning centres

Usage:
  densach serve                       run the web app and API
  densach migrate up|down|status      manage the database schema
  densach seed demo                   load the Lai Châu demo data (idempotent) and print demo accounts
  densach user create --login LOGIN --role admin   create an account; password read from standard input
  densach units import FILE|--builtin load an official list of units (CSV/XLSX; --builtin: Lai Châu), idempotent
  densach help                        this text and the environment variables
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "densach:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Print(usage)
		printConfigHelp()
		return nil
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		return migrate(ctx, cfg, log, args[1:])
	case "seed":
		if len(args) < 2 || args[1] != "demo" {
			return errors.New("usage: densach seed demo")
		}
		return seedDemo(ctx, cfg, log)
	case "units":
		if len(args) < 2 || args[1] != "import" {
			return errors.New("usage: densach units import FILE.csv|FILE.xlsx|--builtin")
		}
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		return runUnitsImport(ctx, db, args[2:], stdout)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: densach user create --login LOGIN --role admin")
		}
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		return runUserCreate(ctx, db, args[2:], os.Stdin, os.Stdout)
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
