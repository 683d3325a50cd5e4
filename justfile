# ldk-regtest recipes. Works with or without Nix: `nix develop -c just <recipe>` or `npx just <recipe>`.
# The daemons come from the Nix dev shell, or from PATH / BITCOIND_EXE / LDK_SERVER_EXE.

# List the recipes
default:
    @{{just_executable()}} --list

# Install the npm dependencies (and build dist/)
setup:
    npm ci

# Install bitcoind and ldk-server into the ldk-regtest cache (skipped for what is already there)
install: _deps
    node dist/cli/main.js install

# Where each daemon is found, its version, and the fix for what is wrong
doctor: _deps
    node dist/cli/main.js doctor

# npm ci on a fresh checkout, so every recipe works as the first command
_deps:
    @[ -d node_modules ] || npm ci

# Unit tests + E2E tests against real bitcoind and ldk-server (E2E reported SKIPPED if the daemons are missing)
test: _deps
    npm test

# The seed scenario with step-by-step output: channel -> BOLT11 invoice -> payment, checked on both sides
e2e: _deps
    npm run build --silent
    node dist/cli/main.js e2e

# Same, keeping every data dir (bitcoind, alice, bob) and printing where it is
e2e_keep: _deps
    npm run build --silent
    node dist/cli/main.js e2e --keep

# Lint (Biome) and type-check
lint: _deps
    npx biome check .
    npx tsc --noEmit

# Format and apply safe lint fixes
fmt: _deps
    npx biome check --write .

# The API reference from the TSDoc into docs/api (TypeDoc; warnings are errors)
docs: _deps
    npm run docs:api

# The packed tarball through publint and arethetypeswrong (every entry point, node16 and bundler)
check_package: _deps
    npm run check:package

# Check the GitHub Actions recipe for users' projects with actionlint (a pinned Go module; needs go)
actionlint:
    go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 examples/ci/github-actions.yml

# What CI runs: lint, types, the CI recipe, API reference, package checks, and the full test suite
ci: lint actionlint docs check_package test

# E2E timing over repeated runs (JSON): pass rate, median total and per-step times
bench runs="5": _deps
    npm run bench:e2e -- {{runs}}

# Network bring-up from a topology (3 nodes + 2 channels, and a 16-node ring), JSON
bench_topology runs="5": _deps
    npm run bench:topology -- {{runs}}

# Cached vs uncached network starts, side by side (2 nodes + 1 channel; 3 nodes + 2 channels), JSON
bench_cached runs="5": _deps
    npm run bench:cached -- {{runs}}
