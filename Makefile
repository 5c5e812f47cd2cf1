# Đèn Sách — the commands a new user needs: `make run` and `make test`.
# Services (PostgreSQL, MinIO) come from scripts/services.sh, which reuses what
# is running, starts what is not, and writes .data/services.env.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# Each recipe runs in one bash, so `source .data/services.env` holds for the whole recipe.
.ONESHELL:
.NOTPARALLEL:
.DEFAULT_GOAL := help

BIN       := .local/bin/densach
ENV_FILE  := .data/services.env
# Fuzz runs are bounded by executions, not by time: a time-bounded run can end
# with "context deadline exceeded" on a loaded machine and fail a correct build.
FUZZTIME  ?= 20000x
BENCH     ?= .
# Loads the service settings into the recipe's shell.
LOAD_ENV  := source $(ENV_FILE)
# A Node.js that scripts/node.sh installed (when the machine's is missing or
# older than the web app needs) comes first for every recipe.
export PATH := $(CURDIR)/.local/node/bin:$(PATH)

.PHONY: help deps services frontend build run test bench e2e stop clean

help:
	@cat <<'EOF'
	make run     install what is missing, start PostgreSQL + MinIO (built in the background the first time), build, migrate, seed demo data, serve on ADDR (:8080)
	make test    go vet, go test -race, short fuzz runs, frontend unit tests, browser end-to-end tests
	make bench   Go benchmarks (record figures in bench/README.md)
	make e2e     browser end-to-end tests only (scripts/e2e.sh)
	make build   web app + Go binary into $(BIN)
	make deps    check Go and Node.js, download Go modules and npm packages
	make services  start (or reuse) PostgreSQL and MinIO; writes $(ENV_FILE)
	make stop    stop the PostgreSQL cluster and MinIO this checkout started
	make clean   remove build outputs (keeps .data and the MinIO binary)
	EOF

deps:
	@echo "==> deps: checking tools"
	source scripts/lib.sh
	go_min="$$(sed -n 's/^go \([0-9.]*\)$$/\1/p' go.mod)"
	command -v go >/dev/null || die "missing: go — install Go $$go_min or newer from https://go.dev/dl (Debian's golang package is too old)"
	# Inside the module a Go that may switch toolchains (GOTOOLCHAIN=auto) runs $$go_min itself.
	go_have="$$(go env GOVERSION 2>/dev/null | sed 's/^go//')" || true
	if [ -z "$$go_have" ] || ! version_at_least "$$go_have" "$$go_min"; then
		die "Go $$go_min or newer is needed (go.mod says: go $$go_min); $$(command -v go) is $$(go version 2>&1 | head -n1). Install it from https://go.dev/dl, or let Go fetch it: GOTOOLCHAIN=go$$go_min+auto"
	fi
	echo "    $$(go version)"
	if [ -f frontend/package.json ]; then
		bash scripts/node.sh
		echo "    node $$(node --version) ($$(command -v node)), npm $$(npm --version)"
	fi
	echo "==> deps: go mod download"
	with_heartbeat "go mod download" "under a minute the first time, instant after" go mod download
	if [ ! -f frontend/package.json ]; then
		echo "==> deps: frontend skipped (frontend/package.json does not exist yet)"
		exit 0
	fi
	stamp=frontend/node_modules/.densach-deps-stamp
	if [ -f "$$stamp" ] && [ "$$stamp" -nt frontend/package.json ] && { [ ! -f frontend/package-lock.json ] || [ "$$stamp" -nt frontend/package-lock.json ]; }; then
		echo "==> deps: frontend/node_modules is up to date"
	elif [ -f frontend/package-lock.json ]; then
		echo "==> deps: npm ci (frontend)"
		(cd frontend && with_heartbeat "npm ci" "about 1 minute the first time" npm ci --no-audit --no-fund)
		touch "$$stamp"
	else
		echo "==> deps: npm install (frontend; no package-lock.json yet)"
		(cd frontend && with_heartbeat "npm install" "about 1 minute the first time" npm install --no-audit --no-fund)
		touch "$$stamp"
	fi

services:
	@bash scripts/services.sh

frontend: deps
	@if [ ! -f frontend/package.json ]; then
		echo "==> frontend: skipped (frontend/package.json does not exist yet)"
		exit 0
	fi
	echo "==> frontend: npm run build (output in frontend/build/app, embedded into the binary)"
	source scripts/lib.sh
	cd frontend
	with_heartbeat "npm run build" "about 30 s" npm run build

build: frontend
	@echo "==> build: go build -o $(BIN) ./cmd/densach"
	source scripts/lib.sh
	mkdir -p $(dir $(BIN))
	with_heartbeat "go build" "about 1–2 minutes the first time, seconds after" go build -o $(BIN) ./cmd/densach

# make run does not wait for a first MinIO build (about 13 minutes): it builds
# in the background and the server picks MinIO up when it starts.
run: export MINIO_BACKGROUND := 1
run: deps services build
	@$(LOAD_ENV)
	export DENSACH_ENV="$${DENSACH_ENV:-development}" ADDR="$${ADDR:-:8080}"
	echo "==> run: $(BIN) migrate up"
	$(BIN) migrate up
	echo "==> run: $(BIN) seed demo"
	$(BIN) seed demo
	echo "==> run: $(BIN) serve on $$ADDR (DENSACH_ENV=$$DENSACH_ENV); Ctrl-C stops it, \`make stop\` stops the services"
	if [ -f .data/minio-build.pid ] && kill -0 "$$(cat .data/minio-build.pid)" 2>/dev/null; then
		echo "==> run: MinIO is still building in the background (log .data/minio-build.log): sign-in and everything"
		echo "    without files works now; files work as soon as a line says MinIO is running"
	fi
	exec $(BIN) serve

test: deps services
	@$(LOAD_ENV)
	# Tests that need PostgreSQL or MinIO fail instead of skipping when it is missing.
	export DENSACH_REQUIRE_SERVICES=1
	started=$$SECONDS
	step() { printf '\n==> test: %s  [%ds]\n' "$$*" "$$((SECONDS - started))"; }
	step "go vet ./..."
	go vet ./...
	npkg="$$(go list ./... | wc -l)"
	step "go test -race -count=1 ./... ($$npkg packages, about 3–4 minutes warm; each line is one package done)"
	# Each package's result line gets its rank and the time so far; other lines
	# (failures) pass through; a heartbeat covers the silent compile phase.
	source scripts/lib.sh
	ranked() {
		local n=0 t0=$$SECONDS line
		while IFS= read -r line; do
			if [[ "$$line" =~ ^(ok|FAIL|\?)[[:space:]]+[^[:space:]] ]]; then
				n=$$((n + 1))
				printf '[%d/%d, %ds] %s\n' "$$n" "$$npkg" "$$((SECONDS - t0))" "$$line"
			else
				printf '%s\n' "$$line"
			fi
		done
	}
	gotest() { go test -race -count=1 ./... 2>&1 | ranked; }
	with_heartbeat "go test -race" "about 3–4 minutes warm" gotest
	step "fuzz targets, $(FUZZTIME) each"
	# `go test -list` prints a package's matching names, then "ok <package> <time>".
	fuzz="$$(go test -list '^Fuzz' ./... | awk '/^Fuzz/ { n[c++] = $$1; next } /^ok/ { for (i = 0; i < c; i++) print $$2, n[i]; c = 0 }')"
	if [ -z "$$fuzz" ]; then echo "    no Fuzz* targets found"; fi
	nfuzz="$$(grep -c . <<<"$$fuzz" || true)"
	i=0
	while read -r pkg name; do
		[ -n "$$name" ] || continue
		i=$$((i + 1))
		echo "    [$$i/$$nfuzz] $$pkg $$name"
		go test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "$$pkg"
	done <<<"$$fuzz"
	if [ ! -f frontend/package.json ]; then
		step "frontend unit tests and browser end-to-end tests SKIPPED: frontend/package.json does not exist yet"
	else
		step "frontend unit tests (npm test)"
		(cd frontend && CI=true npm test)
		step "browser end-to-end tests (scripts/e2e.sh)"
		bash scripts/e2e.sh
	fi
	step "all tests passed"

bench: services
	@$(LOAD_ENV)
	mkdir -p .data
	echo "==> bench: go test -run='^$$' -bench='$(BENCH)' -benchmem ./..."
	go test -run='^$$' -bench='$(BENCH)' -benchmem ./... | tee .data/bench-latest.txt
	echo "==> bench: raw output in .data/bench-latest.txt; record figures (ratios against the in-run baseline) in bench/README.md"

e2e: deps
	@bash scripts/e2e.sh

stop:
	@bash scripts/stop-services.sh

clean:
	@echo "==> clean: build outputs (.data and .local/bin/minio are kept; \`make stop\` stops services)"
	rm -rf $(BIN) frontend/build/app frontend/test-results frontend/playwright-report
	rm -f coverage.out coverage.html *.coverprofile
