#!/usr/bin/env bash
# Installs, idempotently, every tool that building, serving, testing and
# benchmarking Marginalia needs on a fresh machine, and skips each one that is
# already present at the right version. Sourced or run; prints what it does.
#
# Pinned versions live here and only here:
#   - Trunk 0.21.14 (0.22 needs a newer rustc than the 1.95 we have)
#   - wasm-bindgen CLI = the wasm-bindgen version in Cargo.lock
#   - wasm-opt from the npm package binaryen@132 (Debian's is too old)
#   - Chromium and chromedriver from Debian's packages
#   - playwright-core (for end-to-end tests and the benchmark) from tests/e2e/package-lock.json
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
# Tools that are not cargo binaries live outside the checkout so that every
# clone (and CI's fresh clone) reuses them.
TOOLS_DIR="${MARGINALIA_TOOLS_DIR:-$HOME/.cache/marginalia-tools}"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/binaryen/node_modules/.bin:$PATH"

say() { printf '[tools] %s\n' "$*" >&2; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target: present"
  else
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; then
    say "trunk ${TRUNK_VERSION}: present"
  else
    say "installing trunk ${TRUNK_VERSION} (about 9 minutes on 2 cores)"
    cargo install trunk --version "${TRUNK_VERSION}" --locked
  fi
}

# The CLI must equal the wasm-bindgen crate version the app links against,
# which Cargo.lock records.
wasm_bindgen_lock_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_lock_version)"
  if [ -z "$want" ]; then
    say "cannot read the wasm-bindgen version from Cargo.lock"; exit 1
  fi
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ] \
     && command -v wasm-bindgen-test-runner >/dev/null; then
    say "wasm-bindgen CLI ${want}: present"
  else
    say "installing the wasm-bindgen CLI ${want} (about 3 minutes)"
    # No --locked: the CLI's own lock file names a webpki-roots release the registry lacks.
    cargo install wasm-bindgen-cli --version "${want}"
  fi
}

ensure_wasm_opt() {
  if [ -x "$TOOLS_DIR/binaryen/node_modules/.bin/wasm-opt" ] \
     && "$TOOLS_DIR/binaryen/node_modules/.bin/wasm-opt" --version | grep -q "version_${BINARYEN_VERSION}"; then
    say "wasm-opt ${BINARYEN_VERSION}: present"
  else
    say "installing wasm-opt (npm binaryen@${BINARYEN_VERSION})"
    mkdir -p "$TOOLS_DIR/binaryen"
    npm install --prefix "$TOOLS_DIR/binaryen" --no-audit --no-fund --loglevel=error "binaryen@${BINARYEN_VERSION}"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium and chromedriver: present"
  else
    say "installing chromium and chromedriver (apt)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

ensure_e2e_packages() {
  local dir="$ROOT/tests/e2e"
  if [ -d "$dir/node_modules/playwright-core" ] \
     && cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.copy" 2>/dev/null; then
    say "end-to-end packages: present"
  else
    say "installing end-to-end packages (npm ci in tests/e2e)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.copy"
  fi
}

main() {
  local what="${1:-all}"
  ensure_wasm_target
  ensure_wasm_opt
  ensure_trunk
  ensure_wasm_bindgen
  case "$what" in
    build) ;;
    all)
      ensure_chromium
      ensure_e2e_packages
      ;;
    *) say "usage: ensure-tools.sh [build|all]"; exit 2 ;;
  esac
}

main "$@"
