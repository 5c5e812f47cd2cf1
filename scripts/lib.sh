# shellcheck shell=bash
# Helpers shared by scripts/*.sh. Source it; it defines functions and ROOT/DATA only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"

say()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install PKG... installs Debian packages when we are root, else explains
# what is missing and fails. It refreshes the package lists only when the
# first attempt fails (a fresh machine may have none).
apt_install() {
	if ! is_root; then
		die "missing: $* — install with: sudo apt-get install -y $* (or re-run as root)"
	fi
	command -v apt-get >/dev/null || die "missing: $* and apt-get is not available; install them by hand"
	say "installing Debian package(s): $*"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends "$@" >&2; then
		apt-get update >&2 || die "apt-get update failed; cannot install $*"
		apt-get install -y --no-install-recommends "$@" >&2 || die "apt-get install $* failed"
	fi
}

# url_with_db URL DBNAME prints the PostgreSQL connection string URL with its
# database name replaced; it understands postgres:// URLs and key=value DSNs.
url_with_db() {
	local url="$1" db="$2"
	if [[ "$url" =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
		printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[4]}"
	elif [[ "$url" =~ (^|[[:space:]])dbname=[^[:space:]]* ]]; then
		printf '%s\n' "$(sed -E "s/(^|[[:space:]])dbname=[^[:space:]]*/\\1dbname=$db/" <<<"$url")"
	else
		printf '%s dbname=%s\n' "$url" "$db"
	fi
}

# port_open HOST PORT succeeds when something accepts TCP connections there.
port_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# with_heartbeat LABEL EXPECTED CMD... runs CMD and, while it runs, prints
# every 20 s how long LABEL has taken so far against EXPECTED (free text such
# as "about 1 minute"), so that a long silent step never looks hung.
with_heartbeat() {
	local label="$1" expected="$2" start hb rc=0
	shift 2
	start="$(date +%s)"
	(
		trap - TERM
		while sleep 20; do
			printf '    … %s: %ds so far (expected: %s)\n' "$label" "$(($(date +%s) - start))" "$expected" >&2
		done
	) 9>&- &
	hb=$!
	"$@" || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	if [ "$rc" -eq 0 ]; then
		printf '    %s: done in %ds\n' "$label" "$(($(date +%s) - start))" >&2
	fi
	return "$rc"
}

# version_at_least HAVE WANT succeeds when dotted version HAVE >= WANT.
version_at_least() {
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}
