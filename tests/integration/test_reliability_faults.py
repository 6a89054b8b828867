"""Issue 7, faults: both modules converge through every injected fault without acting twice, and fail clearly,
leaving the resource as it was or as wanted, when the faults outlast the retry budget.

To stay fast, the cases share one playbook: each case has its own EIP or HAVIP, and its faults are armed when the
first request naming that resource arrives (reliability_support.FaultsPerResource), so they hit that case and no
other. Each case is then
checked on its own resource: the task's result, the emulator's true state, and the calls that named the resource.
"""
from __future__ import annotations

import time

from reliability_support import (
    EIP_MODULE,
    HAVIP_MODULE,
    FaultsPerResource,
    assert_names_action_code_and_request_id,
    bind_directly,
    calls_on,
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
    "throttling burst": ([("throttle", "change", 3, {}), ("throttle", "read", 2, {})], {}),
    "throttling with x-acs-retry-after": ([("throttle", "change", 2, {"retry_after": 200})], {}),
    "503 ServiceUnavailable": ([("unavailable", "change", 2, {}), ("unavailable", "read", 2, {})], {}),
    "TaskConflict": ([("task_conflict", "change", 1, {})], {}),
    "OperationFailed.SystemBusy": ([("system_busy", "change", 2, {})], {}),
    "connection dropped before acting": ([("drop", "change", 1, {"after": False}), ("drop", "read", 1, {})], {}),
    "connection dropped after acting": ([("drop", "change", 1, {"after": True})], {}),
    "answer slower than read_timeout": ([("slow", "change", 1, {"seconds": 2})], {"read_timeout": 1}),
    "stale Describe after the change": ([("stale", "change", 1, {"seconds": 1.0})], {}),
}
# Unbinding goes through the same client paths; these are the faults where the outcome of the change is in doubt.
ABSENT_FAULTS = ["TaskConflict", "connection dropped after acting", "answer slower than read_timeout",
                 "stale Describe after the change"]

# The code each answered fault leaves in the emulator's log (slow and stale answer normally).
LOGGED_CODE = {"throttle": "Throttling.User", "unavailable": "ServiceUnavailable", "task_conflict": "TaskConflict",
               "system_busy": "OperationFailed.SystemBusy", "drop": "ConnectionDropped"}

CONVERGE_CASES = ([(name, "present", kind) for name in MODULES for kind in FAULTS]
                  + [(name, "absent", kind) for name in MODULES for kind in ABSENT_FAULTS])


def resources(name, number):
    """Case `number`'s own resource and instance from the seed's bulk entries."""
    if name == "eip":
        return "eip-emu%04d" % number, "i-emuecs%04d" % number
    return "havip-emuensb%03d" % number, "i-emuensb%03d" % number


def module_args(name, resource, instance, state, extra=None):
    key = "allocation_id" if name == "eip" else "havip_id"
    return dict({key: resource, "instance_id": instance, "state": state}, **(extra or {}))


def as_wanted(emulator, name, resource, instance, state):
    """Whether the emulator's true state is what the task asked for."""
    if name == "eip":
        eip = emulator.eip(resource)
        if state == "absent":
            return eip["Status"] == "Available" and not eip.get("InstanceId")
        return eip["Status"] == "InUse" and eip["InstanceId"] == instance
    members = havip_members(emulator, resource)
    return instance not in members if state == "absent" else members.get(instance) == "InUse"


def case_id(name, state, kind):
    return f"{name} {state} / {kind}"


def test_every_fault_is_ridden_out_with_one_effective_change(emulator, ansible):
    cases = [(name, state, kind) + resources(name, number)
             for number, (name, state, kind) in enumerate(CONVERGE_CASES, start=1)]
    bind_directly(emulator,
                  eips=[(r, i) for name, state, _kind, r, i in cases if name == "eip" and state == "absent"],
                  havips=[(r, i) for name, state, _kind, r, i in cases if name == "havip" and state == "absent"])
    start = len(emulator.calls)
    plan, tasks = {}, []
    for name, state, kind, resource, instance in cases:
        spec = MODULES[name]
        faults, extra = FAULTS[kind]
        roles = {"change": spec["associate" if state == "present" else "unassociate"], "read": spec["read"]}
        plan[resource] = [(fault, roles[role], count, opts) for fault, role, count, opts in faults]
        tasks.append(task(case_id(name, state, kind), spec["module"],
                          module_args(name, resource, instance, state, extra), ignore_errors=True))
    armer = FaultsPerResource(emulator, plan)

    run = ansible.playbook(playbook(*tasks))
    time.sleep(0.5)  # a slow answer is logged when finally sent; let the last one land
    armer.finish()

    problems = []
    for name, state, kind, resource, instance in cases:
        spec = MODULES[name]
        change = spec["associate" if state == "present" else "unassociate"]
        result = run.task(case_id(name, state, kind))
        calls = calls_on(emulator, resource, since=start)
        effective = [c["action"] for c in calls if c["mutated"]]
        faulted = sorted(c["code"] for c in calls if c["code"] in LOGGED_CODE.values())
        expected_faults = sorted(LOGGED_CODE[fault] for fault, _role, count, _opts in FAULTS[kind][0]
                                 if fault in LOGGED_CODE for _hit in range(count))
        if result["status"] != "changed":
            problems.append((case_id(name, state, kind), "status", result["status"], result["result"].get("msg")))
        if not as_wanted(emulator, name, resource, instance, state):
            problems.append((case_id(name, state, kind), "final state wrong"))
        if effective != [change]:
            problems.append((case_id(name, state, kind), "effective mutating calls", effective))
        if faulted != expected_faults or armer.leftovers.get(resource):
            problems.append((case_id(name, state, kind), "faults hit", faulted, "expected", expected_faults,
                             "not hit", armer.leftovers.get(resource)))
    assert problems == [], problems


# ---- faults that outlast the budget ---------------------------------------------------------------------

# (module, fault kind, role, options that shrink the budget, code the user must see)
BUDGET_CASES = [
    ("eip", "throttle", "associate", {"max_retry_time": 1}, "Throttling.User"),
    ("eip", "unavailable", "read", {"max_retry_time": 1}, "ServiceUnavailable"),
    ("eip", "system_busy", "associate", {"max_retry_time": 1}, "OperationFailed.SystemBusy"),
    ("eip", "task_conflict", "associate", {"wait_timeout": 2}, "TaskConflict"),
    ("havip", "throttle", "associate", {"max_retry_time": 1}, "Throttling.User"),
    ("havip", "unavailable", "read", {"max_retry_time": 1}, "ServiceUnavailable"),
    ("havip", "system_busy", "associate", {"max_retry_time": 1}, "OperationFailed.SystemBusy"),
    ("havip", "task_conflict", "associate", {"wait_timeout": 2}, "TaskConflict"),
]


def test_faults_outlasting_the_budget_fail_clearly_and_change_nothing(emulator, ansible):
    plan, tasks, cases = {}, [], []
    for number, (name, kind, role, budget, code) in enumerate(BUDGET_CASES, start=101):
        spec = MODULES[name]
        resource, instance = resources(name, number if name == "eip" else number - 100)
        plan[resource] = [(kind, spec[role], 1000, {})]  # far more than the budget allows
        label = f"{name} / {kind} on {spec[role]} beyond {budget}"
        tasks.append(task(label, spec["module"], module_args(name, resource, instance, "present", budget),
                          ignore_errors=True))
        cases.append((label, name, resource, spec[role], code))
    before = {resource: (emulator.eip(resource) if name == "eip" else emulator.havip(resource))
              for _label, name, resource, _action, _code in cases}
    FaultsPerResource(emulator, plan)

    run = ansible.playbook(playbook(*tasks))

    for label, name, resource, action, code in cases:
        msg = failed(run, label)["msg"]
        assert_names_action_code_and_request_id(msg, action, code, emulator)
        after = emulator.eip(resource) if name == "eip" else emulator.havip(resource)
        assert after == before[resource], label
        assert [c for c in calls_on(emulator, resource) if c["mutated"]] == [], label


def test_reassociation_whose_bind_is_refused_leaves_the_eip_where_it_was_or_where_wanted(emulator, ansible):
    """Moving a bound EIP is unbind-then-bind (the API has no atomic move). When the bind is refused, the EIP
    must end where it was or where it was wanted, never unbound in between."""
    bind_directly(emulator, eips=[("eip-emu0150", "i-emuecs0002")])  # the target is taken

    run = ansible.playbook(playbook(task("move", EIP_MODULE, dict(
        allocation_id="eip-emubound01", instance_id="i-emuecs0002", allow_reassociation=True, wait_timeout=10))))

    msg = failed(run, "move")["msg"]
    assert "AssociateEipAddress" in msg and "InvalidAssociation.Duplicated" in msg and "eip-emu0150" in msg, msg
    eip = emulator.eip("eip-emubound01")
    assert eip["InstanceId"] in ("i-emuecsbound1", "i-emuecs0002"), (eip, msg)
    # ... and the message says where it is, since the module cannot wait for the way back.
    assert eip["InstanceId"] in msg, msg


# For docs/reliability.md: every scenario above (converging, over budget, refused move).
FAULT_SCENARIOS = len(CONVERGE_CASES) + len(BUDGET_CASES) + 1
