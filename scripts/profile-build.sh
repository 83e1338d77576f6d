#!/usr/bin/env bash
# Builds the app with function names kept (no wasm-opt, debug info kept)
# into target/dist-prof, for CPU profiles that name our wasm functions:
#   scripts/profile-build.sh && MARGINALIA_DIST=target/dist-prof BENCH_PROFILE=1 make bench
# The shipped build (make build) is optimised for size and has no names.
set -euo pipefail
cd "$(dirname "$0")/.."
# Trunk resolves the page's relative paths from the page's folder, so the
# variant page sits beside index.html for the build only.
page=index-profile.html
trap 'rm -f "$page"' EXIT
sed 's/data-wasm-opt="z"/data-wasm-opt="0" data-keep-debug/' index.html >"$page"
grep -q 'data-keep-debug' "$page" || { echo "index.html has no data-wasm-opt=\"z\" to replace" >&2; exit 1; }
trunk build "$page" --release --offline --dist target/dist-prof
