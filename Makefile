# Marginalia: the two commands are `make serve` and `make test`.
# Both install what is missing first (scripts/ensure-tools.sh), and skip what is there.

SHELL := /bin/bash
# Where scripts/ensure-tools.sh puts tools that are not cargo binaries (wasm-opt).
export MARGINALIA_TOOLS_DIR ?= $(HOME)/.cache/marginalia-tools
export PATH := $(HOME)/.cargo/bin:$(MARGINALIA_TOOLS_DIR)/binaryen/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: serve build test lint test-native test-browser test-e2e bench tools clean

## Build the release site and serve it at http://127.0.0.1:$(PORT)/
serve: build
	@echo "Marginalia is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

## Build the release site into dist/ (a plain static site)
build:
	scripts/ensure-tools.sh build
	trunk build --release --offline

## Run every test: lint, native, browser (wasm-bindgen-test), end to end
test: tools lint test-native test-browser test-e2e
	@echo "make test: all suites passed"

tools:
	scripts/ensure-tools.sh all

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test

test-browser:
	cargo test --target wasm32-unknown-unknown --test browser

test-e2e: build
	cd tests/e2e && node --test --test-concurrency=1

## Benchmark in headless Chromium (tests/e2e/bench.mjs): opening a 1 MB document with 10,000 spans,
## keyboard edits on 200 KB with 2,000 spans, export and import in every format; medians and p95
bench: tools build
	node tests/e2e/bench.mjs

clean:
	cargo clean
	rm -rf dist
