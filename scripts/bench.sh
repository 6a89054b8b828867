#!/usr/bin/env bash
# Benchmarks against the emulator (issue 8). Not part of the test suite: timing belongs here, never in tests.
#   scripts/bench.sh            full run (about 10 minutes), table written into docs/performance.md
#   scripts/bench.sh --quick    smoke run of every measure at small sizes
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"
exec python bench/run.py "$@"
