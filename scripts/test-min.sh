#!/usr/bin/env bash
# The integration tests marked `minimum` (tests/integration/conftest.py: every test there but the ecosystem
# gates) on the declared minimum: Python 3.11 with the ansible-core of meta/runtime.yml's requires_ansible, in
# .venv-min (requirements-min.txt). `make test` runs this after scripts/test.sh. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh min
export PATH="$PWD/.venv-min/bin:$PATH"
exec scripts/with-collection.sh python -m pytest -c tests/pytest.ini --rootdir tests -m minimum tests/integration "$@"
