#!/usr/bin/env bash
# Stops what scripts/services.sh started for this checkout: the MinIO server
# recorded in .data/minio.pid and the private PostgreSQL cluster in
# .data/postgres, and a MinIO build still running in the background (make run).
# A PostgreSQL server that was already running (e.g. on port
# 5432) or services given through the environment are left alone. Data stays.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stopped=0

# A background MinIO build (make run) runs in its own session: stop it all.
if [ -f "$DATA/minio-build.pid" ]; then
	pid="$(cat "$DATA/minio-build.pid")"
	if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
		&& tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--minio-build"; then
		say "stopping the background MinIO build (session $pid)"
		kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
		stopped=1
	fi
	rm -f "$DATA/minio-build.pid"
fi

if [ -f "$DATA/minio.pid" ]; then
	pid="$(cat "$DATA/minio.pid")"
	if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
		&& tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DATA/minio"; then
		say "stopping MinIO (pid $pid)"
		kill "$pid"
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		if kill -0 "$pid" 2>/dev/null; then
			warn "MinIO (pid $pid) did not stop within 10 s; sending SIGKILL"
			kill -9 "$pid" 2>/dev/null || true
		fi
		stopped=1
	fi
	rm -f "$DATA/minio.pid"
fi

if [ -f "$DATA/postgres/PG_VERSION" ]; then
	bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
	[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || die "pg_ctl not found under /usr/lib/postgresql/*/bin; cannot stop $DATA/postgres"
	# As the cluster's owner, from /, with the real path (.data/postgres may be a
	# symlink to /var/lib/postgresql when postgres cannot enter the checkout).
	pgreal="$(readlink -f "$DATA/postgres")"
	run=()
	if is_root; then run=(runuser -u postgres --); fi
	if (cd / && "${run[@]}" "$bin/pg_ctl" -D "$pgreal" status >/dev/null 2>&1); then
		say "stopping the private PostgreSQL cluster ($pgreal)"
		(cd / && "${run[@]}" "$bin/pg_ctl" -D "$pgreal" -m fast -w stop >/dev/null)
		stopped=1
	fi
fi

if [ "$stopped" -eq 0 ]; then
	say "nothing to stop: no MinIO or private PostgreSQL cluster of this checkout is running"
else
	say "stopped; data kept in $DATA (remove it by hand to start from scratch)"
fi
