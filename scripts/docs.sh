#!/usr/bin/env bash
# The documentation gate.
#
#   scripts/docs.sh            # check: fails when docs/modules/ differs from what the modules document, or when
#                              # antsibull-docs finds a documentation error
#   scripts/docs.sh --write    # regenerate docs/modules/ from the modules' DOCUMENTATION, EXAMPLES and RETURN
#
# The pages are rendered from `ansible-doc --json` (doc fragments merged) by scripts/gates/render_module_docs.py.
source "$(dirname "$0")/gates/lib.sh"

# The checked directory; tests point it at a doctored copy to see the check fail.
DOCS_DIR="${ALICLOUD_DOCS_DIR:-$REPO_ROOT/docs/modules}"

render() {
    ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT" ANSIBLE_HOME="$COLLECTIONS_ROOT/.ansible" \
        "$BIN/python" "$REPO_ROOT/scripts/gates/render_module_docs.py" "$1"
}

lint_docs() {
    # The same schema checks docs.ansible.com applies (option markup, attributes, seealso, return values).
    (cd "$COLLECTIONS_ROOT/$COLLECTION_PATH" && ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT" \
        antsibull-docs lint-collection-docs --plugin-docs --skip-rstcheck .)
}

main() {
    link_collection
    case "${1:-}" in
        --write)
            rm -rf "$DOCS_DIR"
            render "$DOCS_DIR"
            echo "docs/modules/ regenerated"
            ;;
        "")
            local failed=0
            lint_docs || { echo "antsibull-docs found documentation errors (above)." >&2; failed=1; }
            _new_tmp
            render "$NEW_TMP/modules"
            if diff -ru "$DOCS_DIR" "$NEW_TMP/modules"; then
                echo "docs/modules/ matches the modules' documentation"
            else
                echo "docs/modules/ is stale (diff above: - committed, + what the modules document now)." >&2
                echo "Run scripts/docs.sh --write and commit the result." >&2
                failed=1
            fi
            exit "$failed"
            ;;
        *) echo "usage: $0 [--write]" >&2; exit 2 ;;
    esac
}

main "$@"
