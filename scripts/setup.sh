#!/usr/bin/env bash
# Installs what building and testing the portal needs, skipping whatever is already there.
#   scripts/setup.sh              toolchain pieces + npm packages (enough to run the portal)
#   scripts/setup.sh --browser    also Debian's Chromium, for the end-to-end tests
#   scripts/setup.sh --services   also what the tests start: PostgreSQL, nginx, s3s-fs, an SMTP
#                                 server (python3-aiosmtpd)
# Debian's packages download and install in the background while the Rust tools compile.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
S3S_FS_VERSION=0.14.1
step() { printf '\n==> %s\n' "$*"; }
browser=""
services=""
for arg in "$@"; do
  case "$arg" in
    --browser) browser=yes ;;
    --services) services=yes ;;
    *) echo "usage: scripts/setup.sh [--browser] [--services]" >&2; exit 2 ;;
  esac
done

# Debian's packages that are missing, installed in the background.
packages=()
if [ -n "$browser" ] && [ ! -x /usr/bin/chromium ]; then packages+=(chromium); fi
if [ -n "$services" ]; then
  [ -x /usr/lib/postgresql/15/bin/initdb ] || packages+=(postgresql)
  command -v nginx >/dev/null || packages+=(nginx)
  # The newsletter's tests send to a real SMTP server on loopback (scripts/smtp-sink.py).
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || packages+=(python3-aiosmtpd)
fi
apt_pid=""
APT_LOG="$(mktemp)"
if [ ${#packages[@]} -gt 0 ]; then
  step "installing Debian's ${packages[*]} (in the background)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  ( $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" ) \
    >"$APT_LOG" 2>&1 &
  apt_pid=$!
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Playwright, and binaryen's wasm-opt (Debian's is too old: the page would not hydrate).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -x end2end/node_modules/.bin/playwright ] \
  || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  step "installing npm packages in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# The tools are built for building them fast, not for running fast: their own speed hardly
# matters (they mostly wait for rustc and wasm-opt), their build time does. No optimisation, no
# LTO, many codegen units: cargo-leptos builds in about 7 minutes here instead of 15-25
# (13 at opt-level 1).
tool_install() {
  env CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install "$@"
}

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  # `no_downloads`: use wasm-bindgen / wasm-opt from PATH (downloads fail on these machines).
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 7 minutes on 2 cores)"
  # Its precompression (brotli, gzip) runs on every release build: those crates optimised.
  tool_install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads \
    --config 'profile.release.package.brotli.opt-level=3' \
    --config 'profile.release.package.libflate.opt-level=3' \
    --config 'profile.release.package.libflate_lz77.opt-level=3'

fi

# The CLI must be exactly the wasm-bindgen version the crate is built with.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 1 minute)"
  # Not --locked: its lock file names a webpki-roots release the registry does not serve.
  tool_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ -n "$services" ] && ! s3s-fs --version 2>/dev/null | grep -q "$S3S_FS_VERSION"; then
  step "installing s3s-fs $S3S_FS_VERSION (an S3 server for the tests; about 2 minutes)"
  tool_install s3s-fs --version "$S3S_FS_VERSION" --features binary --locked
fi

if [ -n "$apt_pid" ]; then
  if ! wait "$apt_pid"; then
    cat "$APT_LOG" >&2
    echo "installing Debian's ${packages[*]} failed (above); try: apt-get install ${packages[*]}" >&2
    exit 1
  fi
  step "installed Debian's ${packages[*]}"
fi
rm -f "$APT_LOG"
