#!/usr/bin/env bash
# Print the path of the Python interpreter the project's virtual environments are made with.
#
#   scripts/find-python.sh           # the newest usable: 3.13, else 3.12, else 3.11 (fallback, see below)
#   scripts/find-python.sh --min     # the oldest controller Python, 3.11 (for .venv-min; else the oldest found)
#
# ALICLOUD_PYTHON=/path/to/python overrides the search (for the default environment only).
# A candidate counts only if it actually starts: pyenv puts shims such as `python3.13` on PATH that answer
# "command not found" unless that version is selected, so every candidate is run once. Where pyenv is installed,
# its versions are tried directly ("$(pyenv root)/versions/3.13.x/bin/python3.13"), selected or not; machines
# without pyenv only have PATH. ansible-core 2.20 and later need Python >= 3.12: with 3.11 alone the environment
# gets ansible-core 2.19 (requirements-demo.txt says which core goes with which Python).
set -euo pipefail

NEWEST_FIRST=(3.13 3.12 3.11)
MINIMUM=3.11

# The interpreter at $1 runs and is Python $2.
is_python() {
    [[ -x "$1" ]] || command -v "$1" >/dev/null 2>&1 || return 1
    [[ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" == "$2" ]]
}

# Every path that might be Python $1, most specific first; the caller keeps the first that runs.
candidates() {
    local version="$1" root dir
    echo "python$version"
    if command -v pyenv >/dev/null 2>&1 && root="$(pyenv root 2>/dev/null)"; then
        # Highest patch release first (3.13.10 before 3.13.9).
        for dir in "$root/versions/$version".*; do
            if [[ -d "$dir" ]]; then echo "$dir/bin/python$version"; fi
        done | sort -rV
    fi
    for dir in /usr/local/bin /usr/bin; do echo "$dir/python$version"; done
    echo python3
}

find_version() {
    local version="$1" candidate
    for candidate in $(candidates "$version"); do
        if is_python "$candidate" "$version"; then
            # An absolute path, so the caller does not depend on PATH (or on a pyenv selection) later.
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

main() {
    local version
    case "${1:-}" in
        --min)
            find_version "$MINIMUM" && return 0
            # The minimum ansible-core also runs on the newer Pythons: test it on the oldest there is.
            for version in $(printf '%s\n' "${NEWEST_FIRST[@]}" | tac); do
                if find_version "$version"; then
                    echo "no Python $MINIMUM found: the declared minimum runs on Python $version" >&2
                    return 0
                fi
            done
            echo "no Python ${NEWEST_FIRST[*]} found (PATH, pyenv)" >&2
            exit 1
            ;;
        "")
            if [[ -n "${ALICLOUD_PYTHON:-}" ]]; then
                "$ALICLOUD_PYTHON" -c 'import sys; print(sys.executable)'
                return
            fi
            for version in "${NEWEST_FIRST[@]}"; do
                find_version "$version" && return 0
            done
            echo "no Python ${NEWEST_FIRST[*]} found (PATH, pyenv); set ALICLOUD_PYTHON" >&2
            exit 1
            ;;
        *) echo "usage: $0 [--min]" >&2; exit 2 ;;
    esac
}

main "$@"
