# Latchkey's two commands are `make run` and `make test`; both install what is missing.
# The rest are steps they are made of, usable on their own.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm

.PHONY: help deps ui run test fmt clippy deny test-rust test-ui test-e2e lint-workflows asvs licences bindings dist packaging-files test-dist bench soak fuzz clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## Install missing Debian and npm packages
	@scripts/install-deps.sh

ui: deps ## Type-check and build the UI into ui/dist
	$(NPM) run --silent build

run: ui ## Build and start the desktop app (vault in the OS app data dir, or LATCHKEY_DATA_DIR)
	@scripts/check-display.sh
	$(CARGO) run --features custom-protocol

test: ui fmt clippy deny lint-workflows asvs licences test-rust test-ui test-e2e ## Run every check: fmt, clippy, dependencies, workflows, the ASVS map, the licence list, Rust tests, UI tests, end-to-end
	@echo "All checks passed."

fmt: ## Check Rust formatting
	$(CARGO) fmt --all -- --check

clippy: ui ## Lint every Rust target, warnings as errors
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

deny: deps ## Check the licences, bans and sources of every dependency (deny.toml); duplicates: .tools/bin/cargo-deny check bans
	.tools/bin/cargo-deny --log-level error check licenses bans sources

test-rust: ui ## Rust tests, with a throwaway gnome-keyring on a private D-Bus
	scripts/with-keyring.sh $(CARGO) test --workspace --locked

test-ui: deps ## UI type-check and unit tests
	$(NPM) run --silent typecheck
	$(NPM) test --silent

bindings: ui ## Regenerate ui/packages/latchkey/src/bindings.ts from the Rust types
	LATCHKEY_UPDATE_BINDINGS=1 $(CARGO) test -p tauri-plugin-latchkey --test bindings --locked

lint-workflows: deps ## Validate the GitHub workflows against their schema
	.tools/venv/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

asvs: ## Check that docs/asvs.md maps every ASVS 5.0 V6-V8 level 2 requirement and that every test it cites exists
	node scripts/check-asvs.mjs

licences: deny ## Check that the About page's licence list matches the crates and npm packages shipped (node scripts/licences.mjs rewrites it)
	node scripts/licences.mjs --check

test-e2e: deps ## The real app in a real window under Xvfb, driven through tauri-driver
	scripts/e2e.sh

dist: ui packaging-files ## Build the release .deb and .rpm into target/release/bundle/
	npx tauri build --bundles deb,rpm

# The compressed changelog and man page that tauri.conf.json puts in the packages.
packaging-files:
	mkdir -p target/packaging
	gzip -9nc packaging/changelog > target/packaging/changelog.gz
	gzip -9nc packaging/latchkey.1 > target/packaging/latchkey.1.gz

test-dist: dist ## Lint, install, launch, upgrade and remove the .deb (needs root or sudo)
	scripts/test-dist.sh

bench: ui packaging-files ## Measure (release builds) and write target/bench/report.md and report.json
	LATCHKEY_BENCH_OUT=$(CURDIR)/target/bench $(CARGO) bench -p vault --features test-support --bench vault --locked
	scripts/with-keyring.sh $(CARGO) bench -p os-keyring --bench cold_session --locked
	scripts/bench-app.sh
	python3 scripts/bench-report.py

KILLS ?= 1000
CASES ?= 20000
soak: ## The long runs: KILLS (1000) SIGKILLs of a vault writer, CASES (20000) model-checked sequences
	LATCHKEY_CRASH_KILLS=$(KILLS) $(CARGO) test -p vault --features test-support --test vault --locked \
		crash::killed_writers -- --nocapture
	PROPTEST_CASES=$(CASES) $(CARGO) test -p vault --features test-support --test vault --locked \
		model:: -- --nocapture

FUZZ_SECONDS ?= 60
fuzz: ## Fuzz the vault's parsers for FUZZ_SECONDS (60) per target (cargo-fuzz, nightly); finds join fuzz/corpus
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean: ## Remove build output
	$(CARGO) clean
	rm -rf ui/dist
