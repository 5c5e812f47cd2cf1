#!/usr/bin/env bash
# Browser end-to-end tests: builds the binary, serves it against a fresh
# database densach_e2e with the demo data, and runs `npm run e2e` in frontend/
# (Playwright driving Debian's headless Chromium) against it.
#
# Settings: E2E_PORT (18080), E2E_DB (densach_e2e). Server log: .data/e2e-server.log.
# Arguments: spec file names under frontend/e2e/ to run only those (default: all).
# Screenshots and traces written by the tests go to frontend/test-results/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

E2E_PORT="${E2E_PORT:-18080}"
E2E_DB="${E2E_DB:-densach_e2e}"
BASE="http://127.0.0.1:$E2E_PORT"
LOG="$DATA/e2e-server.log"
BIN="$ROOT/.local/bin/densach"

if [ ! -f frontend/package.json ]; then
	say "e2e: SKIPPED — frontend/package.json does not exist yet"
	exit 0
fi

if [ ! -x /usr/bin/chromium ]; then
	say "e2e: Debian's chromium is missing (the tests drive /usr/bin/chromium)"
	apt_install chromium
	[ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
fi

bash scripts/services.sh
# shellcheck source=/dev/null
source "$DATA/services.env"

say "e2e: make build"
make --no-print-directory -C "$ROOT" build

if port_open 127.0.0.1 "$E2E_PORT"; then
	die "port $E2E_PORT is already in use (a server left from an earlier run?); stop it or set E2E_PORT"
fi

E2E_DATABASE_URL="$(url_with_db "$DATABASE_URL" "$E2E_DB")"
say "e2e: fresh database $E2E_DB"
psql "$TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -Xq -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS \"$E2E_DB\" WITH (FORCE)" \
	-c "CREATE DATABASE \"$E2E_DB\""

export DATABASE_URL="$E2E_DATABASE_URL" DENSACH_ENV=development ADDR="127.0.0.1:$E2E_PORT"
say "e2e: densach migrate up && densach seed demo"
"$BIN" migrate up
"$BIN" seed demo

server_pid=
stop_server() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "e2e: densach serve on $ADDR (log $LOG)"
"$BIN" serve >"$LOG" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 60))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/readyz" || true)" = 200 ]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		cat "$LOG" >&2
		die "e2e: the server exited before it was ready (log above)"
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		cat "$LOG" >&2
		die "e2e: $BASE/readyz did not answer 200 within 60 s (log above)"
	fi
	sleep 0.5
done
rc=0
if [ "$#" -gt 0 ]; then # only the named specs, e.g. scripts/e2e.sh courses-catalogue.test.mjs
	say "e2e: server ready; specs $* (BASE_URL=$BASE)"
	(cd frontend && BASE_URL="$BASE" node --test --test-concurrency=1 "${@/#/e2e/}") || rc=$?
else
	say "e2e: server ready; npm run e2e (BASE_URL=$BASE)"
	(cd frontend && BASE_URL="$BASE" npm run e2e) || rc=$?
fi
if [ "$rc" -ne 0 ]; then
	say "e2e: FAILED (exit $rc); server log: $LOG; screenshots: frontend/test-results/"
else
	say "e2e: passed"
fi
exit "$rc"
