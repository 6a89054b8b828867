#!/usr/bin/env bash
# ansible-test integration: the targets in tests/integration/targets/ (one per module), without containers.
#
#   scripts/integration.sh                    # a real account when tests/integration/integration_config.yml
#                                             # exists, otherwise a fresh emulator started for the run
#   scripts/integration.sh --emulator         # the emulator even when that file exists
#   scripts/integration.sh eip_association -v # other arguments go to ansible-test (target names, -v, ...)
#
# ALICLOUD_INTEGRATION_CONFIG=FILE takes the variables from FILE instead (the test suite points it at its own
# emulator). The variables the targets read are listed in tests/integration/integration_config.yml.example.
#
# ansible-test runs in a copy of the collection laid out as ansible_collections/alicloud/network (as
# scripts/sanity.sh does), with the configuration written into the copy: the checkout's own
# integration_config.yml is never overwritten. --local: the targets run with the tools' environment (.venv),
# the ansible-core and Python `make test` uses.
source "$(dirname "$0")/gates/lib.sh"

INTEGRATION_HOME="$GATES_CACHE/integration-home"
REAL_CONFIG="$REPO_ROOT/tests/integration/integration_config.yml"
EMULATOR_PID=""

stop_emulator() {
    if [[ -n "$EMULATOR_PID" ]]; then kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
    _gates_cleanup
}
trap stop_emulator EXIT

# Start the emulator on a free port and write the variables that point the targets at it to $1.
emulator_config() {
    local config="$1" state
    _new_tmp
    state="$NEW_TMP"
    (cd "$REPO_ROOT/tests" && exec "$BIN/python" -m emulator --port 0 --port-file "$state/port" --transition 0.3) \
        >"$state/emulator.log" 2>&1 &
    EMULATOR_PID=$!
    for _ in $(seq 1 100); do [[ -s "$state/port" ]] && break; sleep 0.1; done
    [[ -s "$state/port" ]] || { cat "$state/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
    local url
    url="http://127.0.0.1:$(cat "$state/port")"
    echo "== against the emulator at $url"
    # The emulator's test credentials (tests/emulator/data/seed.json); the resource IDs are the targets' defaults.
    cat >"$config" <<YAML
---
alicloud_access_key: LTAI5tEmuTestAccessKey
alicloud_secret_key: EmuSecret-0c3a9f7e-do-not-leak
alicloud_region: cn-hangzhou
alicloud_vpc_endpoint: $url
alicloud_ens_endpoint: $url
YAML
}

main() {
    local use_emulator=0 args=()
    for arg in "$@"; do
        if [[ "$arg" == --emulator ]]; then use_emulator=1; else args+=("$arg"); fi
    done
    mirror_collection
    local collection="$COLLECTIONS_ROOT/$COLLECTION_PATH"
    local config="$collection/tests/integration/integration_config.yml"
    if [[ -n "${ALICLOUD_INTEGRATION_CONFIG:-}" ]]; then
        echo "== with the variables of $ALICLOUD_INTEGRATION_CONFIG"
        cp "$ALICLOUD_INTEGRATION_CONFIG" "$config"
    elif [[ $use_emulator -eq 0 && -f "$REAL_CONFIG" ]]; then
        echo "== against the account in tests/integration/integration_config.yml"
        cp "$REAL_CONFIG" "$config"
    else
        emulator_config "$config"
    fi
    mkdir -p "$INTEGRATION_HOME"
    cd "$collection" || exit 1
    HOME="$INTEGRATION_HOME" ansible-test integration --local --color no "${args[@]+"${args[@]}"}"
}

main "$@"
