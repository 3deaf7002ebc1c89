# The two commands a newcomer needs. Both install what is missing first
# (scripts/setup.sh), so they work on a fresh Debian machine with Rust.
#
#   make run    build in release mode and serve http://127.0.0.1:3000
#   make test   every check: format, lints, unit/integration/SSR tests,
#               and the browser journeys against a release build

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

KIESKAART_ADDR ?= 127.0.0.1:3000
export KIESKAART_ADDR
# npm-installed build tools (wasm-opt) come before the system's.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: run test build fuzz

# Where Rust tests note what they skipped (see server/tests/common).
SKIPPED := $(CURDIR)/target/skipped-tests.txt

build:
	scripts/setup.sh build
	scripts/build-site.sh

run: build
	target/release/kieskaart serve --site-root target/site

test:
	scripts/setup.sh test
	cargo fmt --all --check
	cargo clippy -p app -p kieskaart --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
	# against SQLite and, on a throwaway cluster, PostgreSQL; a test that
	# cannot check something (no ../shared/data, no PostgreSQL) says so in
	# $(SKIPPED), counted at the end
	rm -f $(SKIPPED)
	KIESKAART_SKIPPED_LOG=$(SKIPPED) scripts/with-postgres.sh cargo test -p app -p kieskaart
	scripts/build-site.sh
	cd end2end && npx playwright test
	scripts/report-skips.sh $(SKIPPED)

# Every fuzz target for FUZZ_SECONDS each (10 minutes unless set); nightly
# Rust and cargo-fuzz, which scripts/setup.sh does not install. Not in CI.
FUZZ_SECONDS ?= 600
fuzz:
	cd server && for target in $$(cargo +nightly fuzz list); do \
	  cargo +nightly fuzz run --sanitizer none "$$target" -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done
