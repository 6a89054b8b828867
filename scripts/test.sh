#!/usr/bin/env bash
# The whole test suite: unit tests, the emulator's wire tests with the official Alibaba SDKs, the modules run by
# real ansible processes against the emulator, and the ecosystem gates (sanity, lint, docs, changelog, build,
# ansible-test integration), in .venv: the newest Python and ansible-core (scripts/bootstrap.sh test).
# `make test` then runs scripts/test-min.sh (the integration tests on the declared minimum).
# Extra arguments go to pytest, e.g. scripts/test.sh -k eip -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"
exec scripts/with-collection.sh python -m pytest -c tests/pytest.ini --rootdir tests tests "$@"
