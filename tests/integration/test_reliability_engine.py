"""Issue 17, the engine's items: one wait_timeout budget for every poll and retry (item 6), and a race lost after the
task's own change ends at once (item 7). Real ansible-playbook runs."""
from __future__ import annotations

import time

from reliability_support import EIP_MODULE, ActorFirst, local_inventory, playbook, task

# The hosts that race one EIP onto their own instances, each with allow_reassociation.
RACE_EIP = "eip-emu0180"
RACERS = dict(("mover%d" % n, "i-emuecs%04d" % (180 + n)) for n in range(1, 7))


def test_polls_throttled_after_the_change_stay_within_wait_timeout_and_say_changed(emulator, ansible):
    # Once the associate is accepted, every read is throttled: before, each poll retried for a whole
    # max_retry_time and a wait_timeout of 5 s ended after about 31 s, reporting changed=false.
    emulator.set_transition(30)
    ActorFirst(emulator, "AssociateEipAddress",
               lambda: emulator.faults.add("throttle", action="DescribeEipAddresses", count=100000))
    started = time.monotonic()
    args = {"allocation_id": "eip-emu0170", "instance_id": "i-emuecs0170", "wait_timeout": 5, "max_retry_time": 30}
    result = ansible.module("eip_association", args).last
    elapsed = time.monotonic() - started
    assert result["status"] == "failed", result
    assert result["result"]["changed"] is True, "its own associate was accepted"
    assert "Throttling" in result["result"]["msg"] or "Timed out" in result["result"]["msg"], result["result"]["msg"]
    # Bounded by the task's budget (plus process start-up), not by max_retry_time per poll.
    assert elapsed < 5 + 12, elapsed
    assert emulator.eip("eip-emu0170")["InstanceId"] == "i-emuecs0170"


def test_hosts_racing_one_eip_stop_once_it_settles_elsewhere(emulator, ansible, tmp_path):
    inventory = local_inventory(tmp_path / "racers.ini", {"racers": {host: {"ecs": ecs} for host, ecs in
                                                                     RACERS.items()}})
    book = playbook(task("move", EIP_MODULE, dict(allocation_id=RACE_EIP, instance_id="{{ ecs }}",
                                                  allow_reassociation=True, wait_timeout=120),
                         ignore_errors=True), hosts="racers")
    started = time.monotonic()
    run = ansible.playbook(book, "--forks", str(len(RACERS)), inventory=inventory)
    elapsed = time.monotonic() - started
    assert run.rc == 0, run.stdout + run.stderr
    owner = emulator.eip(RACE_EIP)["InstanceId"]
    results = {host: run.task("move", host=host) for host in RACERS}
    winner = next(host for host, ecs in RACERS.items() if ecs == owner)
    # The host whose instance ends as the owner never fails.
    assert results[winner]["status"] == "changed", results[winner]
    for host, result in results.items():
        if result["status"] == "failed":
            msg = result["result"]["msg"]
            assert "Timed out" not in msg, (host, msg)       # nobody waits out the clock
            assert "Traceback" not in msg
    # Nobody polled until wait_timeout (120 s): the race was decided once the EIP settled.
    assert elapsed < 60, elapsed
