"""Issue 7, concurrency: many inventory hosts (local connection, forks 10) running the modules at the same time
against one emulator.

One playbook, two plays: a 20-host fleet where (a) every host binds its own EIP / HAVIP member and (b) every host
binds the same EIP to the same instance (and the same instance to the same HAVIP); then pairs of racers where
(c) two hosts race two different instances for one EIP without allow_reassociation, and two hosts bind the two
instances of an HA pair to one HAVIP.
"""
from __future__ import annotations

import json

from reliability_support import (
    EIP_MODULE,
    HAVIP_MODULE,
    ActorFirst,
    bind_directly,
    havip_members,
    local_inventory,
    playbook,
    task,
)

FLEET = 20
FORKS = 10
SHARED_EIP, SHARED_ECS = "eip-emu0090", "i-emuecs0090"
SHARED_HAVIP, SHARED_ENS = "havip-emuensb030", "i-emuensb030"
RACED_EIP = "eip-emu0095"
RACED_HAVIP = "havip-emuensb035"
RACERS = {"racer1": dict(ecs="i-emuecs0095", ens="i-emuensb035"),
          "racer2": dict(ecs="i-emuecs0096", ens="i-emuensb036")}

# The races run, for docs/reliability.md.
RACES = ["20 hosts, 20 different EIPs", "20 hosts, one EIP to one instance",
         "20 hosts, 20 different HAVIPs", "20 hosts, one instance to one HAVIP",
         "2 hosts, two instances racing for one EIP", "2 hosts, an HA pair onto one HAVIP",
         "another actor binds the EIP first", "another actor binds the HAVIP member first",
         "another actor's change keeps the HAVIP busy for a moment"]


def fleet_vars(n):
    return dict(eip="eip-emu%04d" % (60 + n), ecs="i-emuecs%04d" % (60 + n),
                havip="havip-emuensb%03d" % n, ens="i-emuensb%03d" % n)


def concurrent_playbook():
    fleet = json.loads(playbook(
        task("own EIP", EIP_MODULE, dict(allocation_id="{{ eip }}", instance_id="{{ ecs }}"), ignore_errors=True),
        task("same EIP", EIP_MODULE, dict(allocation_id=SHARED_EIP, instance_id=SHARED_ECS), ignore_errors=True),
        task("own HAVIP", HAVIP_MODULE, dict(havip_id="{{ havip }}", instance_id="{{ ens }}"), ignore_errors=True),
        task("same HAVIP", HAVIP_MODULE, dict(havip_id=SHARED_HAVIP, instance_id=SHARED_ENS), ignore_errors=True),
        hosts="fleet"))
    racers = json.loads(playbook(
        task("race for EIP", EIP_MODULE, dict(allocation_id=RACED_EIP, instance_id="{{ ecs }}"), ignore_errors=True),
        task("pair onto HAVIP", HAVIP_MODULE, dict(havip_id=RACED_HAVIP, instance_id="{{ ens }}"),
             ignore_errors=True),
        hosts="racers"))
    return json.dumps(fleet + racers, indent=1)


def test_many_hosts_at_once(emulator, ansible, tmp_path):
    inventory = local_inventory(tmp_path / "fleet.ini", {
        "fleet": {f"host{n}": fleet_vars(n) for n in range(1, FLEET + 1)},
        "racers": RACERS,
    })

    run = ansible.playbook(concurrent_playbook(), "--forks", str(FORKS), inventory=inventory)

    by_task = {}
    for result in run.results:
        by_task.setdefault(result["task"], {})[result["host"]] = result
    assert len(by_task.get("own EIP", {})) == FLEET, run.stdout[-3000:]

    # (a) every host's own EIP and HAVIP member: changed, bound, one effective call each
    for n in range(1, FLEET + 1):
        host, want = f"host{n}", fleet_vars(n)
        assert by_task["own EIP"][host]["status"] == "changed", by_task["own EIP"][host]
        eip = emulator.eip(want["eip"])
        assert (eip["Status"], eip["InstanceId"]) == ("InUse", want["ecs"])
        assert by_task["own HAVIP"][host]["status"] == "changed", by_task["own HAVIP"][host]
        assert havip_members(emulator, want["havip"]) == {want["ens"]: "InUse"}
    assert len(emulator.mutating_calls("AssociateEipAddress")) >= FLEET  # per-resource counts below
    for n in range(1, FLEET + 1):
        want = fleet_vars(n)
        assert len([c for c in emulator.mutating_calls("AssociateEipAddress")
                    if c["params"]["AllocationId"] == want["eip"]]) == 1
        assert len([c for c in emulator.mutating_calls("AssociateHaVip")
                    if c["params"]["HaVipId"] == want["havip"]]) == 1

    # (b) all on the same association: exactly one effective call, every host ok or changed with the truth
    same_eip = by_task["same EIP"]
    assert {r["status"] for r in same_eip.values()} <= {"ok", "changed"}, same_eip
    assert [r["status"] for r in same_eip.values()].count("changed") == 1, "only the host that acted reports it"
    for result in same_eip.values():
        association = result["result"]["association"]
        assert (association["instance_id"], association["status"]) == (SHARED_ECS, "InUse"), result
    assert len([c for c in emulator.mutating_calls("AssociateEipAddress")
                if c["params"]["AllocationId"] == SHARED_EIP]) == 1
    assert emulator.eip(SHARED_EIP)["InstanceId"] == SHARED_ECS

    same_havip = by_task["same HAVIP"]
    assert {r["status"] for r in same_havip.values()} <= {"ok", "changed"}, same_havip
    for result in same_havip.values():
        members = {m["instance_id"]: m["status"] for m in result["result"]["havip"]["associated_instances"]}
        assert members == {SHARED_ENS: "InUse"}, result
    assert len([c for c in emulator.mutating_calls("AssociateHaVip")
                if c["params"]["HaVipId"] == SHARED_HAVIP]) == 1
    assert havip_members(emulator, SHARED_HAVIP) == {SHARED_ENS: "InUse"}

    # (c) two instances race for one EIP: one wins, the other fails naming the winner
    raced = emulator.eip(RACED_EIP)
    winner = next(h for h, v in RACERS.items() if v["ecs"] == raced["InstanceId"])
    loser = next(h for h in RACERS if h != winner)
    race = by_task["race for EIP"]
    assert race[winner]["status"] == "changed", race[winner]
    assert race[loser]["status"] == "failed", race[loser]
    message = race[loser]["result"]["msg"]
    assert RACERS[winner]["ecs"] in message and "allow_reassociation" in message, message
    assert len([c for c in emulator.mutating_calls() if c["params"].get("AllocationId") == RACED_EIP]) == 1

    # ... and an HA pair bound at once: both members end associated, each bound once
    pair = by_task["pair onto HAVIP"]
    assert {h: r["status"] for h, r in pair.items()} == {"racer1": "changed", "racer2": "changed"}, pair
    assert havip_members(emulator, RACED_HAVIP) == {v["ens"]: "InUse" for v in RACERS.values()}
    assert len([c for c in emulator.mutating_calls("AssociateHaVip")
                if c["params"]["HaVipId"] == RACED_HAVIP]) == 2


# ---- another actor makes the same change between the module's read and its call --------------------------------

def test_eip_bound_by_another_actor_first_is_reported_ok(emulator, ansible):
    actor = ActorFirst(emulator, "AssociateEipAddress",
                       lambda: bind_directly(emulator, eips=[("eip-emu0120", "i-emuecs0120")]))

    run = ansible.playbook(playbook(task("bind", EIP_MODULE, dict(allocation_id="eip-emu0120",
                                                                  instance_id="i-emuecs0120"))))

    assert actor.acted
    result = run.task("bind")
    assert result["status"] == "ok", result  # the module changed nothing: the other actor did
    assert result["result"]["association"]["instance_id"] == "i-emuecs0120"
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1  # the actor's


def test_havip_member_bound_by_another_actor_first_is_reported_ok(emulator, ansible):
    actor = ActorFirst(emulator, "AssociateHaVip",
                       lambda: bind_directly(emulator, havips=[("havip-emuensb020", "i-emuensb020")]))

    run = ansible.playbook(playbook(task("bind", HAVIP_MODULE, dict(havip_id="havip-emuensb020",
                                                                    instance_id="i-emuensb020"))))

    assert actor.acted
    result = run.task("bind")
    assert havip_members(emulator, "havip-emuensb020") == {"i-emuensb020": "InUse"}
    assert len(emulator.mutating_calls("AssociateHaVip")) == 1  # the actor's
    assert result["status"] == "ok", result  # the module changed nothing: the other actor did


def test_havip_busy_when_called_but_settled_when_read_again_is_tried_again(emulator, ansible):
    def bind_other_member_without_waiting():
        bind_directly(emulator, havips=[("havip-emuensb021", "i-emuensb022")], settle=False)

    ActorFirst(emulator, "AssociateHaVip", bind_other_member_without_waiting,
               answer_after=emulator.transition_seconds + 0.2)

    run = ansible.playbook(playbook(task("bind", HAVIP_MODULE, dict(havip_id="havip-emuensb021",
                                                                    instance_id="i-emuensb021"),
                                         ignore_errors=True)))

    refused = [c for c in emulator.calls if c["action"] == "AssociateHaVip" and c["code"]]
    assert [c["code"] for c in refused] == ["IncorrectHaVipStatus"]  # the race really happened
    assert run.task("bind")["status"] == "changed", run.task("bind")["result"].get("msg")
    assert havip_members(emulator, "havip-emuensb021") == {"i-emuensb021": "InUse", "i-emuensb022": "InUse"}
