#!/usr/bin/env bash
# The lint gate: ansible-lint (production profile) on the collection, the demo playbooks, the playbooks in docs/,
# the integration targets and the modules' EXAMPLES, then antsibull-changelog lint.
#
#   scripts/lint.sh
source "$(dirname "$0")/gates/lib.sh"

lint_collection() {
    # As a maintainer runs it: plain `ansible-lint --profile production` from the root of a fresh clone, with
    # nothing set up for it. .ansible-lint keeps offline off, so ansible-lint installs the collection it is run in
    # (built from galaxy.yml, into the clone's .ansible/; no download) and resolves alicloud.network.* modules.
    echo "== ansible-lint from the root of a fresh clone: collection, demo/, docs/, integration targets"
    _new_tmp
    local clone="$NEW_TMP/network"
    copy_checkout "$clone"
    (cd "$clone" && env -u ANSIBLE_COLLECTIONS_PATH ansible-lint --profile production --nocolor)
}

lint_embedded_playbooks() {
    # ansible-lint does not read a module's EXAMPLES nor the ```yaml blocks of docs/*.md: write them out as
    # playbooks in a scratch project and lint that with the same rules.
    echo "== ansible-lint: the modules' EXAMPLES and the YAML in docs/*.md"
    _new_tmp
    local scratch="$NEW_TMP/embedded"
    "$BIN/python" "$REPO_ROOT/scripts/gates/extract_examples.py" "$REPO_ROOT" "$scratch"
    (cd "$scratch" && ansible-lint --profile production --offline --nocolor --project-dir "$scratch" .)
}

lint_changelog() {
    echo "== antsibull-changelog lint"
    (cd "$REPO_ROOT" && antsibull-changelog lint)
}

main() {
    link_collection
    export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT"
    # ansible-lint keeps a cache under ANSIBLE_HOME: keep it out of the checkout and the user's home.
    export ANSIBLE_HOME="$GATES_CACHE/ansible-lint-home"
    local failed=0
    lint_collection || failed=1
    lint_embedded_playbooks || failed=1
    lint_changelog || failed=1
    if [[ $failed -ne 0 ]]; then
        echo "lint: FAILED (see above)" >&2
        exit 1
    fi
    echo "lint: passed"
}

main "$@"
