"""Issue 7's reliability matrix for the services of issue 16: havip_association with service=vpc (VPC HAVIPs) and
eip_association with service=ens (ENS EIPs).

- faults: every fault kind of test_reliability_faults is ridden out with exactly one effective change, present and
  absent; faults outlasting the budget fail naming the action, the code and a request id, changing nothing;
- races: another actor makes the same change first (reported ok), or keeps the resource busy for a moment;
- bad input: options that do not apply to the service, malformed IDs, wrong types: no call at all;
- secrets: success, API failure and check+diff at -vvvv leak no secret key and no signature.

The cases share playbooks (one resource per case, faults armed per resource, as in test_reliability_faults). The
emulator runs with the seed plus one VPC HAVIP, ECS instance and ENS EIP per case (`extended_seed`), so these
cases never touch the IDs other tests use.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from reliability_support import (
    EIP_MODULE,
    HAVIP_MODULE,
    ActorFirst,
    FaultsPerResource,
    WireRecorder,
    assert_names_action_code_and_request_id,
    calls_on,
    failed,
    playbook,
    task,
)
from test_reliability_faults import ABSENT_FAULTS, FAULTS, LOGGED_CODE
from test_reliability_secrets import leaks

SEED = Path(__file__).resolve().parents[1] / "emulator" / "data" / "seed.json"
CASES_PER_SERVICE = 40

SERVICES = {
    "havip vpc": dict(module=HAVIP_MODULE, associate="AssociateHaVip", unassociate="UnassociateHaVip",
                      read="DescribeHaVips"),
    "eip ens": dict(module=EIP_MODULE, associate="AssociateEnsEipAddress", unassociate="UnAssociateEnsEipAddress",
                    read="DescribeEnsEipAddresses"),
}


def resources(service, number):
    """Case `number`'s own resource and instance (extended_seed)."""
    if service == "havip vpc":
        return "havip-emusvc%03d" % number, "i-emusvc%03d" % number
    return "eip-emusvc%03d" % number, "i-emuensb%03d" % number


def extended_seed(bound=()):
    """The seed, plus for every case number a VPC HAVIP and an ECS instance on vsw-emuha01 and an ENS EIP on
    cn-beijing-cmcc; the numbers in `bound` start associated (HAVIP with its instance as master, EIP with
    i-emuensbNNN)."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    vpc, ens = seed["vpc_havip"], seed["ens_eip"]
    for n in range(1, CASES_PER_SERVICE + 1):
        havip_id, ecs = resources("havip vpc", n)
        allocation_id, ens_instance = resources("eip ens", n)
        vpc["instances"].append(dict(InstanceId=ecs, InstanceType="EcsInstance", RegionId="cn-hangzhou",
                                     VpcId="vpc-emu0001", VSwitchId="vsw-emuha01", PrivateIpAddress="10.0.9.%d" % n,
                                     Status="Running"))
        havip = dict(HaVipId=havip_id, IpAddress="10.0.9.%d" % (100 + n), RegionId="cn-hangzhou",
                     VpcId="vpc-emu0001", VSwitchId="vsw-emuha01", Status="Available", Name="svc")
        eip = dict(AllocationId=allocation_id, IpAddress="101.20.0.%d" % n, EnsRegionId="cn-beijing-cmcc",
                   Status="Available")
        if n in bound:
            havip.update(Status="InUse", AssociatedInstances=[ecs], AssociatedInstanceType="EcsInstance",
                         MasterInstanceId=ecs)
            eip.update(Status="InUse", InstanceId=ens_instance, InstanceType="EnsInstance")
        vpc["havips"].append(havip)
        ens["eips"].append(eip)
    return seed


# Which case numbers start bound: the absent cases of the fault matrix (numbers 21.. below).
CONVERGE_CASES = ([(service, "present", kind) for service in SERVICES for kind in FAULTS]
                  + [(service, "absent", kind) for service in SERVICES for kind in ABSENT_FAULTS])
ABSENT_NUMBERS = range(21, 21 + len(ABSENT_FAULTS))


def numbered_cases():
    """(service, state, kind, number): present cases 1.., absent cases 21.., per service."""
    counters = {}
    for service, state, kind in CONVERGE_CASES:
        key = (service, state)
        counters[key] = counters.get(key, 0) + 1
        yield service, state, kind, counters[key] + (20 if state == "absent" else 0)


@pytest.fixture
def emulator():
    from emulator import Emulator

    emu = Emulator(seed=extended_seed(bound=ABSENT_NUMBERS), transition_seconds=0.3).start()
    try:
        yield emu
    finally:
        emu.stop()


def module_args(service, resource, instance, state, extra=None):
    if service == "havip vpc":
        args = dict(service="vpc", havip_id=resource, instance_id=instance, state=state)
        if state == "absent":
            args["force"] = True        # the seeded member is the master
    else:
        args = dict(service="ens", allocation_id=resource, instance_id=instance, state=state)
    return dict(args, **(extra or {}))


def truth(emulator, service, resource):
    """(status, set of instances) as the emulator holds it."""
    if service == "havip vpc":
        havip = emulator.vpc_havip(resource)
        return havip["Status"], set(havip["AssociatedInstances"]["associatedInstance"])
    eip = emulator.ens_eip(resource)
    return eip["Status"], {eip["InstanceId"]} - {""}


def as_wanted(emulator, service, resource, instance, state):
    status, holders = truth(emulator, service, resource)
    if state == "absent":
        return status == "Available" and instance not in holders
    return status == "InUse" and instance in holders


def case_id(service, state, kind):
    return f"{service} {state} / {kind}"


def test_every_fault_is_ridden_out_with_one_effective_change(emulator, ansible):
    cases = [(service, state, kind) + resources(service, number)
             for service, state, kind, number in numbered_cases()]
    plan, tasks = {}, []
    for service, state, kind, resource, instance in cases:
        spec = SERVICES[service]
        faults, extra = FAULTS[kind]
        roles = {"change": spec["associate" if state == "present" else "unassociate"], "read": spec["read"]}
        plan[resource] = [(fault, roles[role], count, opts) for fault, role, count, opts in faults]
        tasks.append(task(case_id(service, state, kind), spec["module"],
                          module_args(service, resource, instance, state, extra), ignore_errors=True))
    armer = FaultsPerResource(emulator, plan)

    run = ansible.playbook(playbook(*tasks))
    time.sleep(0.5)  # a slow answer is logged when finally sent; let the last one land
    armer.finish()

    problems = []
    for service, state, kind, resource, instance in cases:
        spec = SERVICES[service]
        change = spec["associate" if state == "present" else "unassociate"]
        result = run.task(case_id(service, state, kind))
        calls = calls_on(emulator, resource)
        effective = [c["action"] for c in calls if c["mutated"]]
        faulted = sorted(c["code"] for c in calls if c["code"] in LOGGED_CODE.values())
        expected_faults = sorted(LOGGED_CODE[fault] for fault, _role, count, _opts in FAULTS[kind][0]
                                 if fault in LOGGED_CODE for _hit in range(count))
        label = case_id(service, state, kind)
        if result["status"] != "changed":
            problems.append((label, "status", result["status"], result["result"].get("msg")))
        if not as_wanted(emulator, service, resource, instance, state):
            problems.append((label, "final state wrong", truth(emulator, service, resource)))
        if effective != [change]:
            problems.append((label, "effective mutating calls", effective))
        if faulted != expected_faults or armer.leftovers.get(resource):
            problems.append((label, "faults hit", faulted, "expected", expected_faults, "not hit",
                             armer.leftovers.get(resource)))
    assert problems == [], problems


# (service, fault kind, role, options that shrink the budget, code the user must see)
BUDGET_CASES = [(service, kind, role, budget, code) for service in SERVICES for kind, role, budget, code in [
    ("throttle", "associate", {"max_retry_time": 1}, "Throttling.User"),
    ("unavailable", "read", {"max_retry_time": 1}, "ServiceUnavailable"),
    ("system_busy", "associate", {"max_retry_time": 1}, "OperationFailed.SystemBusy"),
    ("task_conflict", "associate", {"wait_timeout": 2}, "TaskConflict"),
]]


def test_faults_outlasting_the_budget_fail_clearly_and_change_nothing(emulator, ansible):
    plan, tasks, cases = {}, [], []
    counters = {}
    for service, kind, role, budget, code in BUDGET_CASES:
        counters[service] = counters.get(service, 0) + 1
        spec = SERVICES[service]
        resource, instance = resources(service, 30 + counters[service])
        plan[resource] = [(kind, spec[role], 1000, {})]  # far more than the budget allows
        label = f"{service} / {kind} on {spec[role]} beyond {budget}"
        tasks.append(task(label, spec["module"], module_args(service, resource, instance, "present", budget),
                          ignore_errors=True))
        cases.append((label, service, resource, spec[role], code))
    before = {resource: truth(emulator, service, resource) for _label, service, resource, _a, _c in cases}
    FaultsPerResource(emulator, plan)

    run = ansible.playbook(playbook(*tasks))

    for label, service, resource, action, code in cases:
        msg = failed(run, label)["msg"]
        assert_names_action_code_and_request_id(msg, action, code, emulator)
        assert truth(emulator, service, resource) == before[resource], label
        assert [c for c in calls_on(emulator, resource) if c["mutated"]] == [], label


# ---- races ------------------------------------------------------------------------------------------------------

def bind_directly(emulator, service, resource, instance):
    """Another actor's change, through the shared client (no ansible process), not waited for."""
    from ansible_process import TEST_ACCESS_KEY, TEST_SECRET_KEY

    from ansible_collections.alicloud.network.plugins.module_utils import _endpoints
    from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, new_session
    from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials, StaticProvider

    product = "vpc" if service == "havip vpc" else "ens"
    client = AlibabaClient(emulator.url, _endpoints.PRODUCTS[product].version,
                           StaticProvider(Credentials(TEST_ACCESS_KEY, TEST_SECRET_KEY)), session=new_session())
    if service == "havip vpc":
        client.call("AssociateHaVip", {"RegionId": "cn-hangzhou", "HaVipId": resource, "InstanceId": instance,
                                       "InstanceType": "EcsInstance"})
    else:
        client.call("AssociateEnsEipAddress", {"AllocationId": resource, "InstanceId": instance,
                                               "InstanceType": "EnsInstance"})


RACES = ["another actor binds the VPC HAVIP member first", "another actor binds the ENS EIP first",
         "another actor's change keeps the VPC HAVIP busy for a moment"]


@pytest.mark.parametrize("service", list(SERVICES))
def test_the_same_change_made_first_by_another_actor_is_reported_ok(emulator, ansible, service):
    spec = SERVICES[service]
    resource, instance = resources(service, 38)

    def act():
        bind_directly(emulator, service, resource, instance)
        time.sleep(emulator.transition_seconds + 0.1)

    actor = ActorFirst(emulator, spec["associate"], act)
    run = ansible.playbook(playbook(task("bind", spec["module"],
                                         module_args(service, resource, instance, "present"))))

    assert actor.acted
    result = run.task("bind")
    assert truth(emulator, service, resource) == ("InUse", {instance})
    assert len(emulator.mutating_calls(spec["associate"])) == 1     # the actor's
    assert result["status"] == "ok", result                          # the module changed nothing: the actor did


def test_vpc_havip_busy_when_called_but_settled_when_read_again_is_tried_again(emulator, ansible):
    resource, instance = resources("havip vpc", 39)
    other = resources("havip vpc", 40)[1]
    ActorFirst(emulator, "AssociateHaVip", lambda: bind_directly(emulator, "havip vpc", resource, other),
               answer_after=emulator.transition_seconds + 0.2)

    run = ansible.playbook(playbook(task("bind", HAVIP_MODULE, module_args("havip vpc", resource, instance,
                                                                           "present"), ignore_errors=True)))

    refused = [c for c in emulator.calls if c["action"] == "AssociateHaVip" and c["code"]]
    assert [c["code"] for c in refused] == ["IncorrectHaVipStatus"]  # the race really happened
    assert run.task("bind")["status"] == "changed", run.task("bind")["result"].get("msg")
    assert truth(emulator, "havip vpc", resource) == ("InUse", {instance, other})


# ---- bad input: no call at all ----------------------------------------------------------------------------------

BAD_INPUTS = [
    ("vpc havip with an ENS type", HAVIP_MODULE, dict(service="vpc", havip_id="havip-emusvc001",
                                                      instance_id="i-emusvc001", instance_type="EnsInstance"),
     "instance_type EnsInstance is not accepted with service=vpc"),
    ("ens havip with force", HAVIP_MODULE, dict(havip_id="havip-emuens0001", instance_id="i-emuens0001",
                                                force=True), "force does not apply to service=ens"),
    ("vpc havip malformed member", HAVIP_MODULE, dict(service="vpc", havip_id="havip-emusvc001",
                                                      instance_ids=["i-emusvc001", "i-x;rm -rf"]),
     "not a valid ID"),
    ("ens eip with a private IP", EIP_MODULE, dict(service="ens", allocation_id="eip-emusvc001",
                                                   instance_id="i-emuensb001", private_ip_address="10.0.0.1"),
     "private_ip_address does not apply to service=ens"),
    ("ens eip with instance_region_id", EIP_MODULE, dict(service="ens", allocation_id="eip-emusvc001",
                                                         instance_id="i-emuensb001", instance_region_id="cn-x"),
     "instance_region_id does not apply to service=ens"),
    ("ens eip with a VPC type", EIP_MODULE, dict(service="ens", allocation_id="eip-emusvc001",
                                                 instance_id="havip-emuvpc0001", instance_type="HaVip"),
     "instance_type HaVip is not accepted with service=ens"),
    ("ens eip type against the ID", EIP_MODULE, dict(service="ens", allocation_id="eip-emusvc001",
                                                     instance_id="nat-emuens0001"), "looks like a Nat"),
    ("vpc eip with standby", EIP_MODULE, dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001",
                                              standby=False), "standby does not apply to service=vpc"),
    ("vpc eip with an ENS type", EIP_MODULE, dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001",
                                                  instance_type="NatSlbInstance"), "set service: ens"),
    ("unknown service", EIP_MODULE, dict(service="ecs", allocation_id="eip-emu0001", instance_id="i-emuecs0001"),
     "service"),
]


def test_bad_input_fails_before_any_call(emulator, ansible):
    run = ansible.playbook(playbook(*[task(name, module, args, ignore_errors=True)
                                      for name, module, args, _words in BAD_INPUTS]))
    for name, _module, _args, words in BAD_INPUTS:
        msg = failed(run, name)["msg"]
        assert words in msg, (name, msg)
    assert emulator.calls == []


# ---- secrets ----------------------------------------------------------------------------------------------------

SECRET_TASKS = [
    task("vpc havip success", HAVIP_MODULE, module_args("havip vpc", *resources("havip vpc", 35), "present")),
    task("vpc havip check and diff", HAVIP_MODULE, module_args("havip vpc", *resources("havip vpc", 36), "present"),
         check_mode=True, diff=True),
    task("vpc havip API failure", HAVIP_MODULE, dict(service="vpc", havip_id="havip-emuvpcha01",
                                                     instance_id="i-emuhaother"), ignore_errors=True),
    task("ens eip success with diff", EIP_MODULE, module_args("eip ens", *resources("eip ens", 35), "present"),
         diff=True),
    task("ens eip API failure", EIP_MODULE, dict(service="ens", allocation_id="eip-emuens010",
                                                 instance_id="i-emuensgz01"), ignore_errors=True),
    task("ens eip credentials as options", EIP_MODULE,
         module_args("eip ens", *resources("eip ens", 36), "present",
                     dict(access_key="LTAI5tEmuTestAccessKey", secret_key="EmuSecret-0c3a9f7e-do-not-leak"))),
]


def test_nothing_secret_in_any_output_at_vvvv(emulator, ansible):
    recorder = WireRecorder(emulator)
    run = ansible.playbook(playbook(*SECRET_TASKS), "-vvvv")
    assert {r["task"]: r["status"] for r in run.results} == {
        "vpc havip success": "changed", "vpc havip check and diff": "changed", "vpc havip API failure": "failed",
        "ens eip success with diff": "changed", "ens eip API failure": "failed",
        "ens eip credentials as options": "changed"}, run.stdout[-3000:]
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.stdout
    assert len(recorder.signatures) >= len(emulator.calls) > 0
    assert leaks(run, recorder) == []
