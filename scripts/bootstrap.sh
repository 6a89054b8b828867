#!/usr/bin/env bash
# Create (or refresh) a virtual environment of the project.
#
#   scripts/bootstrap.sh demo   # .venv: newest Python (scripts/find-python.sh) + requirements-demo.txt
#   scripts/bootstrap.sh test   # .venv: the same Python + requirements-test.txt (a superset of demo); the default
#   scripts/bootstrap.sh min    # .venv-min: Python 3.11 + requirements-min.txt (the declared minimum ansible-core)
#
# Installs only when the requirements or the interpreter changed, so repeated runs take a second. A venv made
# with another Python than the one scripts/find-python.sh picks now is made again.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-test}"
case "$profile" in
    demo) venv=".venv";     requirements="requirements-demo.txt"; python="$(scripts/find-python.sh)" ;;
    test) venv=".venv";     requirements="requirements-test.txt"; python="$(scripts/find-python.sh)" ;;
    min)  venv=".venv-min"; requirements="requirements-min.txt";  python="$(scripts/find-python.sh --min)" ;;
    *) echo "usage: $0 [demo|test|min]" >&2; exit 2 ;;
esac

version_of() { "$1" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))'; }
wanted_version="$(version_of "$python")"

# What an install is for: the interpreter and every requirements file it reads.
digest() { { echo "$wanted_version"; cat requirements.txt "$@"; } | sha256sum | cut -d' ' -f1; }
stamp="$venv/.requirements.sha256"
wanted="$(digest requirements-demo.txt "$requirements")"
satisfied() {
    local have
    have="$(cat "$stamp" 2>/dev/null)" || return 1
    [[ "$have" == "$wanted" ]] && return 0
    # A test environment also serves the demo.
    [[ "$profile" == demo && "$have" == "$(digest requirements-demo.txt requirements-test.txt)" ]]
}

if [[ -x "$venv/bin/python" && "$(version_of "$venv/bin/python" 2>/dev/null)" != "$wanted_version" ]]; then
    echo "==> $venv was made with another Python: making it again with Python $wanted_version"
    rm -rf "$venv"
fi
if [[ "$profile" != min && "$wanted_version" == 3.11.* ]]; then
    echo "==> Python 3.12 or newer not found: using Python $wanted_version with ansible-core 2.19" \
         "(ansible-core 2.20 and later need Python >= 3.12; set ALICLOUD_PYTHON to choose an interpreter)"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    echo "==> creating $venv with Python $wanted_version ($python)"
    "$python" -m venv "$venv"
fi
if ! satisfied; then
    echo "==> installing $requirements into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
        | grep -v '^WARNING: Location' || true
    # Fail loudly if the install did not work.
    case "$profile" in
        demo) "$venv/bin/python" -c "import ansible, requests" ;;
        test) "$venv/bin/python" -c "import ansible, requests, pytest, alibabacloud_vpc20160428, ansiblelint" ;;
        min)  "$venv/bin/python" -c "import ansible, requests, pytest" ;;
    esac
    echo "$wanted" > "$stamp"
fi
echo "==> $venv: Python $wanted_version, ansible-core $("$venv/bin/python" -c 'import ansible.release as r; print(r.__version__)')"
