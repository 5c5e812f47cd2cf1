#!/usr/bin/env bash
# Ensures PostgreSQL and MinIO are available for Đèn Sách and writes
# .data/services.env (shell `export` lines). Safe to run any number of times.
#
# PostgreSQL, first match wins:
#   1. DATABASE_URL in the environment (TEST_DATABASE_URL derived unless set);
#   2. this checkout's private cluster in .data/postgres, if one was created before;
#   3. a server answering on $PG_PROBE_HOST:$PG_PROBE_PORT (127.0.0.1:5432) as user postgres;
#   4. a new private cluster in .data/postgres on 127.0.0.1:$PG_PRIVATE_PORT (54329).
# MinIO:
#   1. MINIO_ENDPOINT (+ MINIO_ACCESS_KEY, MINIO_SECRET_KEY) in the environment;
#   2. a private server from .local/bin/minio on 127.0.0.1:$MINIO_PORT (19000),
#      built once with `go install`, data in .data/minio, random credentials in
#      .data/minio.credentials.
# MINIO_BACKGROUND=1 (set by `make run`): when MinIO is not built yet, do not
# wait for the build (about 13 minutes on a fresh machine): write services.env
# with the endpoint and credentials MinIO will have, and leave a detached job
# (this script with --minio-build, log .data/minio-build.log) to build MinIO and
# then run this script again, which starts it. The server uses it once it answers.
# Without it (`make test`, `make services`) the script waits for such a build.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APP_DB=densach
PG_PROBE_HOST="${PG_PROBE_HOST:-127.0.0.1}"
PG_PROBE_PORT="${PG_PROBE_PORT:-5432}"
PG_PRIVATE_PORT="${PG_PRIVATE_PORT:-54329}"
PGDIR="$DATA/postgres"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_BIN="${MINIO_BIN:-$ROOT/.local/bin/minio}"

MINIO_BUILD_EXPECTED="about 13 minutes on a fresh machine with 2 cores; under a minute when Go's caches are warm"

mkdir -p "$DATA"

need_pg_client() {
	command -v psql >/dev/null && command -v pg_isready >/dev/null && return 0
	apt_install postgresql-client
}

# psql_admin URL SQL runs one statement and prints the bare result.
psql_q() { psql "$1" -v ON_ERROR_STOP=1 -XtAqc "$2"; }

# ---------------------------------------------------------------- PostgreSQL

pg_bindir() {
	local d
	d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
	[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && printf '%s\n' "$d"
}

# as_pg CMD... runs a server command as the owner of the private cluster:
# the `postgres` system user when we are root (initdb and postgres refuse root).
as_pg() {
	# From /: postgres may not be allowed into the current folder.
	if is_root; then
		(cd / && runuser -u postgres -- "$@" 9>&-)
	else
		"$@" 9>&-
	fi
}

private_url() { printf 'postgres://postgres@127.0.0.1:%s/%s?sslmode=disable\n' "$PG_PRIVATE_PORT" "$1"; }

# ensure_private_cluster creates (once) and starts (when stopped) the cluster in .data/postgres.
ensure_private_cluster() {
	local bin
	bin="$(pg_bindir || true)"
	if [ -z "$bin" ]; then
		say "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
		apt_install postgresql
		bin="$(pg_bindir || true)"
		[ -n "$bin" ] || die "PostgreSQL was installed but initdb/pg_ctl are still missing under /usr/lib/postgresql/*/bin"
	fi
	need_pg_client

	if [ ! -f "$PGDIR/PG_VERSION" ]; then
		say "creating a private PostgreSQL cluster in $PGDIR (port $PG_PRIVATE_PORT, trust auth on 127.0.0.1 only)"
		if is_root; then
			getent passwd postgres >/dev/null || die "user 'postgres' is missing (it comes with Debian's postgresql package)"
			# initdb must run as postgres, who needs to reach the data directory.
			# If a parent folder (e.g. /root) is closed to it, keep the cluster in
			# /var/lib/postgresql and leave a symlink at .data/postgres.
			if [ -L "$PGDIR" ]; then rm -f "$PGDIR"; fi
			mkdir -p "$PGDIR"
			chown postgres: "$PGDIR"
			chmod 700 "$PGDIR"
			if ! runuser -u postgres -- test -w "$PGDIR"; then
				local alt
				alt="/var/lib/postgresql/densach-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
				say "user postgres cannot reach $PGDIR (a parent folder is closed); using $alt with a symlink"
				rmdir "$PGDIR"
				# A leftover from a failed initdb would make initdb refuse the folder.
				if [ -d "$alt" ] && [ ! -f "$alt/PG_VERSION" ]; then rm -rf "$alt"; fi
				mkdir -p "$alt"
				chown postgres: "$alt"
				chmod 700 "$alt"
				ln -s "$alt" "$PGDIR"
			fi
		else
			mkdir -p "$PGDIR"
			chmod 700 "$PGDIR"
		fi
		as_pg "$bin/initdb" -D "$(readlink -f "$PGDIR")" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DATA/postgres-initdb.log" 2>&1 \
			|| { cat "$DATA/postgres-initdb.log" >&2; die "initdb failed (log above)"; }
		cat >>"$PGDIR/postgresql.conf" <<EOF

# Added by scripts/services.sh: a private, loopback-only cluster for Đèn Sách.
listen_addresses = '127.0.0.1'
port = $PG_PRIVATE_PORT
unix_socket_directories = ''
max_connections = 200
EOF
		if is_root; then chown postgres: "$PGDIR/postgresql.conf"; fi
	fi

	# The real path: postgres may not be allowed through the folders above a symlink.
	local pgreal
	pgreal="$(readlink -f "$PGDIR")"
	if as_pg "$bin/pg_ctl" -D "$pgreal" status >/dev/null 2>&1; then
		say "PostgreSQL: reusing the private cluster already running from $PGDIR"
	elif pg_isready -q -h 127.0.0.1 -p "$PG_PRIVATE_PORT"; then
		die "port $PG_PRIVATE_PORT is taken by another server, not by $PGDIR; stop it or set PG_PRIVATE_PORT"
	else
		say "PostgreSQL: starting the private cluster ($PGDIR, log $PGDIR/server.log)"
		as_pg "$bin/pg_ctl" -D "$pgreal" -l "$pgreal/server.log" -w -t 60 start >/dev/null \
			|| { tail -n 30 "$pgreal/server.log" >&2 || true; die "pg_ctl start failed (log above)"; }
	fi
	TEST_DATABASE_URL="$(private_url postgres)"
	DATABASE_URL="$(private_url "$APP_DB")"
	PG_SOURCE="private cluster $PGDIR on 127.0.0.1:$PG_PRIVATE_PORT (stop with: make stop)"
}

ensure_postgres() {
	if [ -n "${DATABASE_URL:-}" ]; then
		need_pg_client
		TEST_DATABASE_URL="${TEST_DATABASE_URL:-$(url_with_db "$DATABASE_URL" postgres)}"
		PG_SOURCE="DATABASE_URL from the environment"
		say "PostgreSQL: using DATABASE_URL from the environment"
	elif [ -f "$PGDIR/PG_VERSION" ]; then
		ensure_private_cluster
	elif command -v pg_isready >/dev/null && pg_isready -q -h "$PG_PROBE_HOST" -p "$PG_PROBE_PORT" \
		&& psql_q "postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/postgres?sslmode=disable" 'select 1' >/dev/null 2>&1; then
		TEST_DATABASE_URL="postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/postgres?sslmode=disable"
		DATABASE_URL="postgres://postgres@$PG_PROBE_HOST:$PG_PROBE_PORT/$APP_DB?sslmode=disable"
		PG_SOURCE="server already running on $PG_PROBE_HOST:$PG_PROBE_PORT"
		say "PostgreSQL: using the server already running on $PG_PROBE_HOST:$PG_PROBE_PORT (user postgres)"
	else
		if command -v pg_isready >/dev/null && pg_isready -q -h "$PG_PROBE_HOST" -p "$PG_PROBE_PORT"; then
			say "PostgreSQL on $PG_PROBE_HOST:$PG_PROBE_PORT answers but refuses user postgres without a password; using a private cluster"
		else
			say "PostgreSQL: nothing answers on $PG_PROBE_HOST:$PG_PROBE_PORT; using a private cluster"
		fi
		ensure_private_cluster
	fi

	psql_q "$TEST_DATABASE_URL" 'select 1' >/dev/null \
		|| die "cannot connect to PostgreSQL with TEST_DATABASE_URL=$TEST_DATABASE_URL"
	# Create the app database when it is missing (needs rights through the admin URL).
	if ! psql_q "$DATABASE_URL" 'select 1' >/dev/null 2>&1; then
		local db
		db="$(psql_q "$DATABASE_URL" 'select 1' 2>&1 | sed -nE 's/.*database "([^"]+)" does not exist.*/\1/p' | head -n1 || true)"
		[ -n "$db" ] || die "cannot connect with DATABASE_URL=$DATABASE_URL: $(psql_q "$DATABASE_URL" 'select 1' 2>&1 | head -n3)"
		say "PostgreSQL: creating database $db"
		psql_q "$TEST_DATABASE_URL" "CREATE DATABASE \"$db\"" >/dev/null
	fi
}

# ---------------------------------------------------------------- MinIO

minio_healthy() { curl -fsS -o /dev/null --max-time 2 "http://$1/minio/health/live" 2>/dev/null; }

# our_minio_pid prints the pid of the MinIO this checkout started, if it still runs.
our_minio_pid() {
	local pid
	[ -f "$DATA/minio.pid" ] || return 1
	pid="$(cat "$DATA/minio.pid")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DATA/minio" || return 1
	printf '%s\n' "$pid"
}

random_string() { # LENGTH
	local s
	s="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1")" || true
	printf '%s\n' "$s"
}

# minio_go_install builds MinIO into $MINIO_BIN (at low priority, so that the
# rest of `make run` is not slowed down more than needed).
minio_go_install() {
	mkdir -p "$(dirname "$MINIO_BIN")"
	GOBIN="$(dirname "$MINIO_BIN")" nice -n 10 go install "github.com/minio/minio@$MINIO_VERSION" 9>&-
}

# builder_pid prints the pid of a background MinIO build (--minio-build) that
# is still compiling; the file is removed once `go install` has ended.
builder_pid() {
	local pid
	[ -f "$DATA/minio-build.pid" ] || return 1
	pid="$(cat "$DATA/minio-build.pid")"
	[[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--minio-build" || return 1
	printf '%s\n' "$pid"
}

wait_gone() { while kill -0 "$1" 2>/dev/null && [ -f "$DATA/minio-build.pid" ]; do sleep 2; done; }

# build_minio makes sure $MINIO_BIN exists: it waits for a background build
# (with a heartbeat) if one is running, else builds in the foreground. Never skips.
build_minio() {
	[ -x "$MINIO_BIN" ] && return 0
	command -v go >/dev/null || die "missing: go (needed once to build MinIO into $MINIO_BIN); install Go from https://go.dev/dl"
	local pid
	if pid="$(builder_pid)"; then
		say "MinIO: waiting for the build that \`make run\` started in the background (pid $pid, log $DATA/minio-build.log)"
		with_heartbeat "MinIO build (background, started $(date -u -r "$DATA/minio-build.pid" +%H:%M:%SZ))" "$MINIO_BUILD_EXPECTED from its start" wait_gone "$pid"
		[ -x "$MINIO_BIN" ] && return 0
		warn "the background MinIO build ended without $MINIO_BIN (last lines of $DATA/minio-build.log below); building in the foreground"
		tail -n 15 "$DATA/minio-build.log" >&2 || true
	fi
	say "MinIO: building the server once into $(dirname "$MINIO_BIN") (go install github.com/minio/minio@$MINIO_VERSION; $MINIO_BUILD_EXPECTED)"
	with_heartbeat "MinIO build" "$MINIO_BUILD_EXPECTED" minio_go_install \
		|| die "building MinIO failed (network to the Go module proxy needed)"
	[ -x "$MINIO_BIN" ] || die "go install finished but $MINIO_BIN is missing"
}

# pick_minio_port prints the API port: MINIO_PORT if given, else the one used
# last time, else 19000; moving up by two while taken (API on port, console on port+1).
pick_minio_port() {
	local port tries=0
	port="${MINIO_PORT:-$(cat "$DATA/minio.port" 2>/dev/null || echo 19000)}"
	if [ -z "${MINIO_PORT:-}" ]; then
		while port_open 127.0.0.1 "$port" || port_open 127.0.0.1 "$((port + 1))"; do
			tries=$((tries + 1))
			[ "$tries" -lt 20 ] || die "no free port pair found from 19000 upwards; set MINIO_PORT"
			say "MinIO: port $port or $((port + 1)) is taken; trying $((port + 2))"
			port=$((port + 2))
		done
	elif port_open 127.0.0.1 "$port"; then
		die "MINIO_PORT=$port is already taken by another process"
	fi
	printf '%s\n' "$port"
}

# minio_build_job is the detached background job: build, then start MinIO
# through this script. Its log is .data/minio-build.log; fd 3 is the console
# of `make run`, which gets one line at the end.
minio_build_job() {
	trap '' PIPE HUP INT
	console() { printf '==> %s\n' "$*" >&3 2>/dev/null || true; }
	echo "$$" >"$DATA/minio-build.pid"
	local start rc=0
	start="$(date +%s)"
	echo "$(date -u +%H:%M:%SZ) go install github.com/minio/minio@$MINIO_VERSION"
	minio_go_install || rc=$?
	rm -f "$DATA/minio-build.pid"
	if [ "$rc" -ne 0 ] || [ ! -x "$MINIO_BIN" ]; then
		console "MinIO: the background build FAILED after $(($(date +%s) - start)) s (log $DATA/minio-build.log); files stay unavailable. Run \`make services\` to retry in the foreground"
		exit 1
	fi
	echo "$(date -u +%H:%M:%SZ) built in $(($(date +%s) - start)) s; starting it"
	# 3>&-: MinIO must not keep the console open after this job ends.
	if MINIO_BACKGROUND= bash "$0" 3>&-; then
		console "MinIO: built in $(($(date +%s) - start)) s and running on $(sed -n 's/^export MINIO_ENDPOINT=//p' "$DATA/services.env"); the server uses it from its next check (files work now)"
	else
		console "MinIO: built, but starting it FAILED (log $DATA/minio-build.log); run \`make services\` to see why"
		exit 1
	fi
}

# start_minio_build_background starts minio_build_job detached, unless one runs.
start_minio_build_background() {
	local pid
	if pid="$(builder_pid)"; then
		say "MinIO: still being built in the background (pid $pid, log $DATA/minio-build.log)"
		return 0
	fi
	command -v go >/dev/null || die "missing: go (needed once to build MinIO into $MINIO_BIN); install Go from https://go.dev/dl"
	: >"$DATA/minio-build.log"
	# setsid: its own session, so Ctrl-C in `make run` does not stop it.
	# It writes its own pid to .data/minio-build.pid. Its fd 3 is our stderr,
	# unless that is a pipe (a reader would wait for the build before seeing EOF).
	if [ -p /dev/stderr ]; then
		setsid bash "$ROOT/scripts/services.sh" --minio-build 3>/dev/null </dev/null >>"$DATA/minio-build.log" 2>&1 9>&- &
	else
		setsid bash "$ROOT/scripts/services.sh" --minio-build 3>&2 </dev/null >>"$DATA/minio-build.log" 2>&1 9>&- &
	fi
	say "MinIO: not built yet; building it in the BACKGROUND ($MINIO_BUILD_EXPECTED; log $DATA/minio-build.log)."
	say "       Meanwhile the server runs without files: sign-in, people and everything else work; uploads and"
	say "       downloads answer 503 and /readyz reports objects unavailable. MinIO starts by itself when built,"
	say "       and the server picks it up (no restart). \`make test\` waits for this build."
}

ensure_minio() {
	MINIO_USE_SSL="${MINIO_USE_SSL:-false}"
	MINIO_BUCKET="${MINIO_BUCKET:-densach}"
	if [ -n "${MINIO_ENDPOINT:-}" ]; then
		[ -n "${MINIO_ACCESS_KEY:-}" ] && [ -n "${MINIO_SECRET_KEY:-}" ] \
			|| die "MINIO_ENDPOINT is set but MINIO_ACCESS_KEY or MINIO_SECRET_KEY is not"
		MINIO_SOURCE="MINIO_ENDPOINT from the environment"
		say "MinIO: using MINIO_ENDPOINT=$MINIO_ENDPOINT from the environment"
		return 0
	fi

	command -v curl >/dev/null || apt_install curl ca-certificates
	if [ ! -s "$DATA/minio.credentials" ]; then
		say "MinIO: generating credentials in $DATA/minio.credentials"
		(umask 077
		 printf 'MINIO_ACCESS_KEY=%s\nMINIO_SECRET_KEY=%s\n' "dsk$(random_string 17)" "$(random_string 40)" \
			>"$DATA/minio.credentials.tmp")
		mv "$DATA/minio.credentials.tmp" "$DATA/minio.credentials"
	fi
	chmod 600 "$DATA/minio.credentials"
	MINIO_ACCESS_KEY="$(sed -n 's/^MINIO_ACCESS_KEY=//p' "$DATA/minio.credentials")"
	MINIO_SECRET_KEY="$(sed -n 's/^MINIO_SECRET_KEY=//p' "$DATA/minio.credentials")"
	[ -n "$MINIO_ACCESS_KEY" ] && [ -n "$MINIO_SECRET_KEY" ] || die "$DATA/minio.credentials is malformed; delete it and run again"

	local pid port
	if pid="$(our_minio_pid)" && port="$(cat "$DATA/minio.port" 2>/dev/null)" && minio_healthy "127.0.0.1:$port"; then
		say "MinIO: reusing the server already running (pid $pid, 127.0.0.1:$port)"
	else
		if [ -n "${pid:-}" ]; then
			say "MinIO: pid $pid does not answer; restarting it"
			kill "$pid" 2>/dev/null || true
			sleep 1
		fi
		if [ ! -x "$MINIO_BIN" ] && [ "${MINIO_BACKGROUND:-}" = 1 ]; then
			start_minio_build_background
			port="$(pick_minio_port)"
			echo "$port" >"$DATA/minio.port"
			MINIO_ENDPOINT="127.0.0.1:$port"
			MINIO_SOURCE="private server on $MINIO_ENDPOINT once the background build ends (log $DATA/minio-build.log)"
			return 0
		fi
		build_minio
		port="$(pick_minio_port)"
		mkdir -p "$DATA/minio"
		say "MinIO: starting $MINIO_BIN on 127.0.0.1:$port (console :$((port + 1)), data $DATA/minio, log $DATA/minio.log)"
		# setsid: its own session, so Ctrl-C in `make run` does not stop it.
		MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY" \
			MINIO_BROWSER_REDIRECT=off MINIO_UPDATE=off MINIO_CALLHOME_ENABLE=off \
			setsid "$MINIO_BIN" server --quiet --address "127.0.0.1:$port" \
			--console-address "127.0.0.1:$((port + 1))" "$DATA/minio" \
			</dev/null >>"$DATA/minio.log" 2>&1 9>&- &
		pid=$!
		echo "$pid" >"$DATA/minio.pid"
		echo "$port" >"$DATA/minio.port"
		local waited=0
		until minio_healthy "127.0.0.1:$port"; do
			if ! kill -0 "$pid" 2>/dev/null; then
				tail -n 30 "$DATA/minio.log" >&2 || true
				die "MinIO exited during start (log above: $DATA/minio.log)"
			fi
			waited=$((waited + 1))
			if [ "$waited" -ge 120 ]; then
				tail -n 30 "$DATA/minio.log" >&2 || true
				die "MinIO did not answer /minio/health/live within 60 s (log above)"
			fi
			sleep 0.5
		done
		say "MinIO: up (pid $pid)"
	fi
	MINIO_ENDPOINT="127.0.0.1:$port"
	MINIO_SOURCE="private server on $MINIO_ENDPOINT, pid $(cat "$DATA/minio.pid") (stop with: make stop)"

	# Create the app bucket (S3 PUT bucket, signed by curl); "already owned" is fine.
	local code
	code="$(curl -sS -o "$DATA/.bucket-reply" -w '%{http_code}' --max-time 10 \
		--aws-sigv4 'aws:amz:us-east-1:s3' --user "$MINIO_ACCESS_KEY:$MINIO_SECRET_KEY" \
		-X PUT "http://$MINIO_ENDPOINT/$MINIO_BUCKET")" || code=000
	case "$code" in
	200) say "MinIO: created bucket $MINIO_BUCKET" ;;
	409) grep -q 'BucketAlreadyOwnedByYou' "$DATA/.bucket-reply" \
		|| warn "MinIO: bucket $MINIO_BUCKET: $(cat "$DATA/.bucket-reply")" ;;
	*) warn "MinIO: could not create bucket $MINIO_BUCKET (HTTP $code); the app may create it itself" ;;
	esac
	rm -f "$DATA/.bucket-reply"
}

# ---------------------------------------------------------------- main

if [ "${1:-}" = --minio-build ]; then
	minio_build_job
	exit 0
fi

# One run at a time (make run and make test in two terminals). Children that
# outlive us (postgres, minio) must not inherit fd 9, or they would hold the lock.
exec 9>"$DATA/.services.lock"
if ! flock -w 600 9; then die "another scripts/services.sh has held $DATA/.services.lock for 10 minutes"; fi

ensure_postgres
ensure_minio

{
	echo "# Written by scripts/services.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); load with: source .data/services.env"
	for v in DATABASE_URL TEST_DATABASE_URL MINIO_ENDPOINT MINIO_ACCESS_KEY MINIO_SECRET_KEY MINIO_USE_SSL MINIO_BUCKET; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$DATA/services.env.tmp"
chmod 600 "$DATA/services.env.tmp"
mv "$DATA/services.env.tmp" "$DATA/services.env"

say "PostgreSQL: $PG_SOURCE"
say "            DATABASE_URL=$DATABASE_URL"
say "            TEST_DATABASE_URL=$TEST_DATABASE_URL"
say "MinIO:      $MINIO_SOURCE"
say "            MINIO_ENDPOINT=$MINIO_ENDPOINT MINIO_BUCKET=$MINIO_BUCKET (keys in .data/services.env)"
say "wrote $DATA/services.env — load it with: source .data/services.env"
