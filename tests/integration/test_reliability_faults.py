"""Issue 7, faults: both modules converge through every injected fault without acting twice, and fail clearly,
leaving the resource as it was or as wanted, when the faults outlast the retry budget.

Every case is one real ansible-playbook run against a fresh emulator (0.3 s transitions).
"""
from __future__ import annotations

import time

import pytest

from reliability_support import (
    EIP_MODULE,
    HAVIP_MODULE,
    assert_names_action_code_and_request_id,
    failed,
    havip_members,
    playbook,
    task,
)

# What each module changes and reads; a fault names one of these roles, so one table serves both modules.
MODULES = {
    "eip": dict(module=EIP_MODULE, associate="AssociateEipAddress", unassociate="UnassociateEipAddress",
                read="DescribeEipAddresses"),
    "havip": dict(module=HAVIP_MODULE, associate="AssociateHaVip", unassociate="UnassociateHaVip",
                  read="DescribeHaVips"),
}

# kind of trouble -> (faults as (kind, role, count, options), extra module options)
FAULTS = {
    "throttling burst": ([("throttle", "change", 4, {}), ("throttle", "read", 3, {})], {}),
    "throttling with x-acs-retry-after": ([("throttle", "change", 2, {"retry_after": 300})], {}),
    "503 ServiceUnavailable": ([("unavailable", "change", 3, {}), ("unavailable", "read", 2, {})], {}),
    "TaskConflict": ([("task_conflict", "change", 2, {})], {}),
    "OperationFailed.SystemBusy": ([("system_busy", "change", 3, {})], {}),
    "connection dropped before acting": ([("drop", "change", 1, {"after": False}), ("drop", "read", 1, {})], {}),
    "connection dropped after acting": ([("drop", "change", 1, {"after": True})], {}),
    "answer slower than read_timeout": ([("slow", "change", 1, {"seconds": 2})], {"read_timeout": 1}),
    "stale Describe after the change": ([("stale", "change", 1, {"seconds": 1.0})], {}),
}
# Unbinding goes through the same client paths; these are the faults where the outcome of the change is in doubt.
ABSENT_FAULTS = ["TaskConflict", "connection dropped after acting", "answer slower than read_timeout",
                 "stale Describe after the change"]

# Seed fixtures: Available / unbound targets for present, and already bound ones for absent.
PRESENT = {"eip": dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001"),
           "havip": dict(havip_id="havip-emuens0001", instance_id="i-emuens0001")}
ABSENT = {"eip": dict(allocation_id="eip-emubound01", instance_id="i-emuecsbound1", state="absent"),
          "havip": dict(havip_id="havip-emuens0003", instance_id="i-emuens0003", state="absent")}

CONVERGE_CASES = ([("present", kind, name) for kind in FAULTS for name in MODULES]
                  + [("absent", kind, name) for kind in ABSENT_FAULTS for name in MODULES])


def arm(emulator, faults, actions):
    for kind, role, count, options in faults:
        emulator.faults.add(kind, action=actions[role], count=count, **options)


def logged_mutations(emulator, patience=5.0):
    """The effective mutating calls, once the emulator has logged at least one (or patience ran out)."""
    deadline = time.monotonic() + patience
    while not emulator.mutating_calls() and time.monotonic() < deadline:
        time.sleep(0.1)
    return emulator.mutating_calls()


def bound_as_wanted(emulator, name, args):
    """Whether the emulator's true state is what the task asked for."""
    if name == "eip":
        eip = emulator.eip(args["allocation_id"])
        if args.get("state") == "absent":
            return eip["Status"] == "Available" and not eip.get("InstanceId")
        return eip["Status"] == "InUse" and eip["InstanceId"] == args["instance_id"]
    members = havip_members(emulator, args["havip_id"])
    if args.get("state") == "absent":
        return args["instance_id"] not in members
    return members.get(args["instance_id"]) == "InUse"


@pytest.mark.parametrize("state,kind,name", CONVERGE_CASES,
                         ids=[f"{n}-{s}-{k}".replace(" ", "_") for s, k, n in CONVERGE_CASES])
def test_fault_is_ridden_out_with_one_effective_change(emulator, ansible, state, kind, name):
    spec = MODULES[name]
    change = spec["associate"] if state == "present" else spec["unassociate"]
    faults, options = FAULTS[kind]
    arm(emulator, faults, {"change": change, "read": spec["read"]})
    args = dict(PRESENT[name] if state == "present" else ABSENT[name], **options)

    run = ansible.playbook(playbook(task("converge", spec["module"], args)))

    result = run.task("converge")
    assert result["status"] == "changed", (result, run.stdout[-2000:])
    assert bound_as_wanted(emulator, name, args)
    # A slow answer is logged when it is finally sent, which may be after the module has finished.
    effective = logged_mutations(emulator)
    assert [c["action"] for c in effective] == [change], effective
    assert emulator.faults.active() == [], "every armed fault was hit"


# ---- faults that outlast the budget ---------------------------------------------------------------------

# (module, fault kind, role, options that shrink the budget, code the user must see)
BUDGET_CASES = [
    ("eip", "throttle", "associate", {"max_retry_time": 1}, "Throttling.User"),
    ("eip", "unavailable", "read", {"max_retry_time": 1}, "ServiceUnavailable"),
    ("eip", "task_conflict", "associate", {"wait_timeout": 2}, "TaskConflict"),
    ("havip", "throttle", "associate", {"max_retry_time": 1}, "Throttling.User"),
    ("havip", "system_busy", "associate", {"max_retry_time": 1}, "OperationFailed.SystemBusy"),
    ("havip", "task_conflict", "associate", {"wait_timeout": 2}, "TaskConflict"),
]


@pytest.mark.parametrize("name,kind,role,budget,code", BUDGET_CASES,
                         ids=[f"{c[0]}-{c[1]}-on-{c[2]}" for c in BUDGET_CASES])
def test_fault_outlasting_the_budget_fails_clearly_and_changes_nothing(emulator, ansible, name, kind, role,
                                                                       budget, code):
    spec = MODULES[name]
    emulator.faults.add(kind, action=spec[role], count=1000)
    before = emulator.eip("eip-emu0001") if name == "eip" else emulator.havip("havip-emuens0001")

    run = ansible.playbook(playbook(task("give up", spec["module"], dict(PRESENT[name], **budget))))

    msg = failed(run, "give up")["msg"]
    assert_names_action_code_and_request_id(msg, spec[role], code, emulator)
    after = emulator.eip("eip-emu0001") if name == "eip" else emulator.havip("havip-emuens0001")
    assert after == before
    assert emulator.mutating_calls() == []


def test_reassociation_whose_bind_is_refused_reports_where_the_eip_is(emulator, ansible):
    """Moving a bound EIP is unbind-then-bind (the API has no atomic move). When the bind keeps being throttled
    past the budget, the EIP must end where it was or where it was wanted, never unbound in between."""
    emulator.faults.add("throttle", action="AssociateEipAddress", count=1000)
    args = dict(allocation_id="eip-emubound01", instance_id="i-emuecs0002", allow_reassociation=True,
                max_retry_time=1)

    run = ansible.playbook(playbook(task("move", EIP_MODULE, args)))

    msg = failed(run, "move")["msg"]
    assert_names_action_code_and_request_id(msg, "AssociateEipAddress", "Throttling.User", emulator)
    eip = emulator.eip("eip-emubound01")
    assert eip["InstanceId"] in ("i-emuecsbound1", "i-emuecs0002"), (eip, msg)
