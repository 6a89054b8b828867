# shellcheck shell=bash disable=SC2034  # sourced: the variables it sets are used by the scripts that source it
# Shared set-up for the ecosystem gates (scripts/sanity.sh, lint.sh, docs.sh, integration.sh). Source it, don't run it.
#
# Gives REPO_ROOT, BIN (the tools' bin directory), GATES_CACHE (a stable cache directory, safe to delete) and
# two ways to see the checkout as ansible_collections/alicloud/network (the checkout itself is never moved):
#   link_collection    sets COLLECTIONS_ROOT: a temporary directory with a symlink to the checkout
#   mirror_collection  sets COLLECTIONS_ROOT: a temporary copy, for tools that resolve symlinks
# and copy_checkout DIR: what a fresh clone holds, copied to DIR.
# Temporary directories are removed when the script exits.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COLLECTION_PATH="ansible_collections/alicloud/network"

# The tools come from the project's virtual environment when there is one (scripts/bootstrap.sh makes it),
# otherwise from PATH (an image that installed requirements-test.txt globally).
if [[ -x "$REPO_ROOT/.venv/bin/ansible-test" ]]; then
    BIN="$REPO_ROOT/.venv/bin"
else
    BIN="$(dirname "$(command -v ansible-test)")"
fi
export PATH="$BIN:$PATH"

# tests/output/ is ansible-test's own output directory: git-ignored, left out of galaxy builds and never
# scanned by sanity, so what is cached under it cannot leak into a check or a tarball.
GATES_CACHE="${ALICLOUD_GATES_CACHE:-$REPO_ROOT/tests/output/.gates-cache}"

_GATES_TMP=()
_gates_cleanup() {
    local dir
    for dir in "${_GATES_TMP[@]+"${_GATES_TMP[@]}"}"; do rm -rf "$dir"; done
}
trap _gates_cleanup EXIT

_new_tmp() {
    NEW_TMP="$(mktemp -d "${TMPDIR:-/tmp}/alicloud-gates-XXXXXX")"
    _GATES_TMP+=("$NEW_TMP")
    mkdir -p "$NEW_TMP/ansible_collections/alicloud"
}

link_collection() {
    local parent
    parent="$(dirname "$REPO_ROOT")"
    if [[ "$(basename "$parent")" == alicloud && "$(basename "$(dirname "$parent")")" == ansible_collections ]]; then
        COLLECTIONS_ROOT="$(dirname "$(dirname "$parent")")"
        return
    fi
    _new_tmp
    ln -s "$REPO_ROOT" "$NEW_TMP/$COLLECTION_PATH"
    COLLECTIONS_ROOT="$NEW_TMP"
}

# The copy holds what git would ship: tracked and untracked files minus the git-ignored ones (.venv,
# tests/output, ...), the same set ansible-test scans in a checkout. ansible-test needs it: with --venv it
# re-runs itself from the real path of the working directory, which must lie under ansible_collections/.
mirror_collection() {
    _new_tmp
    copy_checkout "$NEW_TMP/$COLLECTION_PATH"
    COLLECTIONS_ROOT="$NEW_TMP"
}

# Copy what a fresh clone would hold (plus untracked, not ignored files) to the directory $1.
copy_checkout() {
    local dest="$1"
    mkdir -p "$dest"
    if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # --ignore-failed-read: a file deleted in the work tree but still in the index is skipped.
        (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard \
            | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$dest"
    else
        tar -C "$REPO_ROOT" --exclude=./.venv --exclude=./.venv-min --exclude=./.ansible --exclude=./tests/output \
            --exclude=__pycache__ --exclude=./.git --exclude=./tests/integration/integration_config.yml \
            -cf - . | tar -xf - -C "$dest"
    fi
}
