#!/usr/bin/env bash
# Makes sure a Node.js >= NODE_MIN (what frontend/package.json's "engines" asks)
# and npm are on PATH. When the machine's node is missing or too old (Debian
# 12's nodejs is 18.20), it installs Node.js and npm into .local/node from the
# npm registry alone — the official Linux binaries published there as the
# package node-linux-<arch>, and npm's own package — checked against pinned
# sha512 sums. The Makefile puts .local/node/bin first on PATH for its recipes;
# in your own shell: export PATH="$PWD/.local/node/bin:$PATH".
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_MIN=20.19.0
NODE_VERSION=22.23.5
NPM_VERSION=10.9.9
NPM_SHA512="1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg=="
NODE_DIR="$ROOT/.local/node"
REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
REGISTRY="${REGISTRY%/}"

# node_ok succeeds when `node` on PATH is at least NODE_MIN and npm is there too.
node_ok() {
	local v
	command -v node >/dev/null && command -v npm >/dev/null || return 1
	v="$(node --version 2>/dev/null)" || return 1
	version_at_least "${v#v}" "$NODE_MIN"
}

if node_ok; then
	exit 0
fi
if command -v node >/dev/null; then
	say "node: $(command -v node) is $(node --version 2>/dev/null || echo 'unusable'); the web app needs Node.js >= $NODE_MIN"
else
	say "node: Node.js is not installed; the web app needs Node.js >= $NODE_MIN"
fi

case "$(uname -m)" in
x86_64) arch=x64 node_sha512="3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==" ;;
aarch64) arch=arm64 node_sha512="e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==" ;;
*) die "no prebuilt Node.js for $(uname -m) here; install Node.js >= $NODE_MIN yourself (https://nodejs.org) and put it first on PATH" ;;
esac
command -v curl >/dev/null || apt_install curl ca-certificates
command -v openssl >/dev/null || apt_install openssl

# fetch NAME VERSION SHA512 DEST downloads a package tarball from the npm
# registry, checks its sha512 and unpacks its package/ folder into DEST.
fetch() {
	local name="$1" version="$2" sum="$3" dest="$4" tgz got
	tgz="$(mktemp)"
	curl -fsSL --retry 3 -o "$tgz" "$REGISTRY/$name/-/$name-$version.tgz" \
		|| { rm -f "$tgz"; die "could not download $name@$version from $REGISTRY; install Node.js >= $NODE_MIN by hand (https://nodejs.org) and put it first on PATH"; }
	got="$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
	[ "$got" = "$sum" ] || { rm -f "$tgz"; die "$name@$version from $REGISTRY has sha512 $got, expected $sum; not installing it"; }
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -xzf "$tgz" -C "$dest" --strip-components=1
	rm -f "$tgz"
}

say "node: installing Node.js $NODE_VERSION (npm package node-linux-$arch) and npm $NPM_VERSION into $NODE_DIR (about 80 MB, from $REGISTRY)"
tmp="$NODE_DIR.tmp"
rm -rf "$tmp"
with_heartbeat "download of Node.js $NODE_VERSION" "under a minute" fetch "node-linux-$arch" "$NODE_VERSION" "$node_sha512" "$tmp"
fetch npm "$NPM_VERSION" "$NPM_SHA512" "$tmp/lib/node_modules/npm"
# npm and npx run npm's own scripts with this node, whatever else is on PATH.
for tool in npm npx; do
	cat >"$tmp/bin/$tool" <<SH
#!/bin/sh
d="\$(dirname "\$(readlink -f "\$0")")"
exec "\$d/node" "\$d/../lib/node_modules/npm/bin/$tool-cli.js" "\$@"
SH
	chmod +x "$tmp/bin/$tool"
done
"$tmp/bin/node" --version >/dev/null || die "the downloaded Node.js does not run on this machine"
rm -rf "$NODE_DIR"
mv "$tmp" "$NODE_DIR"
say "node: installed $("$NODE_DIR/bin/node" --version) and npm $("$NODE_DIR/bin/npm" --version) in $NODE_DIR/bin (first on PATH in make's recipes)"
