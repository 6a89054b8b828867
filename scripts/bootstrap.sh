#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv from the requirements files.
# Re-installs only when a requirements file changed, so repeated runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv
STAMP="$VENV/.requirements.sha256"
wanted=$(cat requirements.txt requirements-test.txt | sha256sum | cut -d' ' -f1)

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV with $("$PYTHON" --version)"
  "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  echo "==> installing requirements into $VENV (a minute on a fresh machine)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-test.txt 2>&1 \
    | grep -v '^WARNING: Location' || true
  "$VENV/bin/python" -c "import ansible, requests, pytest, alibabacloud_vpc20160428" # fail loudly if the install did not work
  echo "$wanted" > "$STAMP"
fi
