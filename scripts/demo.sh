#!/usr/bin/env bash
# The main job: set everything up, start the embedded Alibaba Cloud API emulator on loopback, and run the demo
# playbooks against it: first run (changed), second run (ok: nothing to do), then a --check --diff dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh demo
export PATH="$PWD/.venv/bin:$PATH"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/alicloud-demo-XXXXXX")"
cleanup() { [ -n "${emu_pid:-}" ] && kill "$emu_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$workdir"; }
trap cleanup EXIT

PYTHONPATH=tests python -m emulator --port 0 --port-file "$workdir/port" --transition 1 >"$workdir/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 1 100); do [ -s "$workdir/port" ] && break; sleep 0.1; done
[ -s "$workdir/port" ] || { cat "$workdir/emulator.log"; echo "emulator did not start" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$workdir/port")"
echo "==> Alibaba Cloud API emulator listening on $url"

# The emulator's test credentials (tests/emulator/data/seed.json); a real run takes yours from the same variables.
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEmuTestAccessKey
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=EmuSecret-0c3a9f7e-do-not-leak
export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
export ALIBABA_CLOUD_VPC_ENDPOINT="$url" ALIBABA_CLOUD_ENS_ENDPOINT="$url"
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
export ANSIBLE_HOME="$workdir/.ansible"

run() { echo; echo "==> $*"; scripts/with-collection.sh "$@"; }
for play in demo/eip_association.yml demo/havip_association.yml; do
  [ -f "$play" ] || continue
  run ansible-playbook "$play"                        # first run: associates (changed)
  run ansible-playbook "$play"                        # second run: already associated (ok)
  run ansible-playbook "$play" --check --diff -e demo_variant=change   # dry run of a change: shows the diff, changes nothing
done
echo
echo "==> API calls the emulator answered:"
curl -s "$url/_emulator/calls" | python -c '
import collections, json, sys
calls = json.load(sys.stdin)
calls = calls.get("calls", calls) if isinstance(calls, dict) else calls
for action, n in sorted(collections.Counter(c["action"] for c in calls).items()):
    print(f"   {action:24} {n}")'
