"""eip_association's list forms without a process: item validation, batching of reads and calls, parallel
calls and the poll for everything pending (module_utils/_eip_many.py, _many.py, _eip.read_eips)."""
from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _eip_many, _many
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError

TASK = dict(associations=None, allocation_ids=None, exclusive=False, parallelism=10, instance_id=None,
            instance_type="EcsInstance", mode=None, state="present", allow_reassociation=False, force=False)


def item(**keys):
    return dict(dict.fromkeys(_eip_many.ITEM_KEYS), **keys)


def request(**options):
    return _eip_many.requested_items(dict(TASK, **options))


# ---- validation ---------------------------------------------------------------------------------------------

def test_items_take_the_task_level_type_state_and_shared_options():
    items, problems = request(associations=[item(allocation_id="eip-1", instance_id="ngw-1")], instance_type="Nat",
                              allow_reassociation=True, force=True)
    assert problems == []
    [one] = items
    shared = (one["instance_type"], one["state"], one["allow_reassociation"], one["force"])
    assert shared == ("Nat", "present", True, True)
    assert one["label"] == "associations[0]" and one["client_token"] is None


def test_an_item_keeps_its_own_type_and_state():
    items, _problems = request(associations=[item(allocation_id="eip-1", instance_id="eni-1",
                                                  instance_type="NetworkInterface", state="absent")])
    assert (items[0]["instance_type"], items[0]["state"]) == ("NetworkInterface", "absent")


@pytest.mark.parametrize("associations, words", [
    ([item(allocation_id="eip-1", instance_id="i-1"), item(allocation_id="eip-1", instance_id="i-1")],
     "EIP eip-1 is listed twice (associations[0] and associations[1])"),
    ([item(allocation_id="eip-1", instance_id="i-1"), item(allocation_id="eip-1", instance_id="i-2")],
     "asked twice with different targets: EcsInstance i-1 (associations[0]) and EcsInstance i-2"),
    ([item(ip_address="47.0.0.1", instance_id="i-1"), item(ip_address="47.0.0.1", state="absent")],
     "EIP 47.0.0.1 is asked twice"),
    ([item(allocation_id="eip-1")], "associations[0]: instance_id is required when state is present"),
    ([item(allocation_id="eip-1", instance_id="10.0.0.1", instance_type="IpAddress")],
     "associations[0]: vpc_id is required with instance_type IpAddress"),
    ([item(allocation_id="eip-1", instance_id="i-1", mode="NAT")], "mode is only accepted"),
    ([item(allocation_id="eip 1", instance_id="i-1")], "allocation_id 'eip 1' is not a valid ID"),
    ([item(allocation_id="eip-1", instance_id="i-1"), item(allocation_id="eip-2", instance_id="ngw-1")],
     "associations[1]: instance_id ngw-1 looks like a Nat"),
])
def test_every_item_is_checked_before_any_call(associations, words):
    _items, problems = request(associations=associations)
    assert any(words in problem for problem in problems), problems


def test_an_absent_item_needs_no_instance():
    assert request(associations=[item(allocation_id="eip-1", state="absent")])[1] == []


@pytest.mark.parametrize("options, words", [
    (dict(allocation_ids=["eip-1"], instance_id="i-1"), "instance_type Nat or NetworkInterface"),
    (dict(allocation_ids=["eip-1"], instance_type="Nat"), "allocation_ids needs instance_id"),
    (dict(allocation_ids=["eip-1"], instance_id="ngw-1", instance_type="Nat", exclusive=True, state="absent"),
     "exclusive is only accepted with state present"),
    (dict(associations=[], exclusive=True), "exclusive is only accepted with allocation_ids"),
    (dict(associations=[], parallelism=0), "parallelism must be 1 to 50"),
    (dict(associations=[], parallelism=51), "parallelism must be 1 to 50"),
    (dict(associations=[], service="ens"), "service vpc only"),
    (dict(allocation_ids=["eip-1", "eip-1"], instance_id="ngw-1", instance_type="Nat"), "listed twice"),
])
def test_form_checks(options, words):
    _items, problems = request(**options)
    assert any(words in problem for problem in problems), problems


def test_a_set_becomes_one_item_per_eip_on_the_instance():
    items, problems = request(allocation_ids=["eip-1", "eip-2"], instance_id="eni-1",
                              instance_type="NetworkInterface", mode="MULTI_BINDED")
    assert problems == []
    assert [(i["allocation_id"], i["instance_id"], i["mode"], i["label"]) for i in items] == [
        ("eip-1", "eni-1", "MULTI_BINDED", "allocation_ids[0]"), ("eip-2", "eni-1", "MULTI_BINDED", "allocation_ids[1]")]


# ---- batching -----------------------------------------------------------------------------------------------

def associate(allocation_id, instance_id, instance_type, **extra):
    options = dict(item(allocation_id=allocation_id, instance_id=instance_id, instance_type=instance_type,
                        state="present"), allow_reassociation=False, force=False, client_token=None, **extra)
    return _eip.EipGoal(options).associate()


def test_which_associates_can_go_in_a_batch_call():
    assert _eip_many.batch_group(associate("eip-1", "ngw-1", "Nat")) == ("ngw-1", "Nat", None)
    assert _eip_many.batch_group(associate("eip-1", "eni-1", "NetworkInterface", mode="MULTI_BINDED")) == (
        "eni-1", "NetworkInterface", "MULTI_BINDED")
    # The reference requires MULTI_BINDED for an ENI; other types have no batch call; other parameters do
    # not fit the batch call.
    assert _eip_many.batch_group(associate("eip-1", "eni-1", "NetworkInterface")) is None
    assert _eip_many.batch_group(associate("eip-1", "i-1", "EcsInstance")) is None
    assert _eip_many.batch_group(associate("eip-1", "eni-1", "NetworkInterface", mode="MULTI_BINDED",
                                           private_ip_address="10.0.0.1")) is None


class Planner(_eip_many.EipMany):
    """The engine's job planning alone: items with a plan, no module."""

    def __init__(self, goals_and_eips):
        self.params = dict(TASK, wait=True)
        self.items = []
        for options, eip in goals_and_eips:
            one = _eip_many.Item(dict(options, label="x"))
            one.goal.allocation_id = eip["AllocationId"]
            one.eip = eip
            one.changes = one.goal.plan(eip)
            self.items.append(one)


def options_for(allocation_id, instance_id, instance_type="Nat", **extra):
    return dict(item(allocation_id=allocation_id, instance_id=instance_id, instance_type=instance_type,
                     state="present"), allow_reassociation=True, force=False, client_token=None, **extra)


AVAILABLE = {"Status": "Available"}


def test_fifty_five_nat_eips_make_two_batch_calls_and_single_calls_stay_single():
    goals = [(options_for("eip-%d" % n, "ngw-1"), dict(AVAILABLE, AllocationId="eip-%d" % n)) for n in range(55)]
    goals.append((options_for("eip-ecs", "i-1", "EcsInstance"), dict(AVAILABLE, AllocationId="eip-ecs")))
    jobs = Planner(goals).jobs()
    batches = [job for job in jobs if job.batch]
    assert [len(job.params["InstanceIds"]) for job in batches] == [50, 5]
    assert batches[0].params["BindedInstanceId"] == "ngw-1" and "Mode" not in batches[0].params
    [single] = [job for job in jobs if not job.batch]
    assert single.action == "AssociateEipAddress" and single.params["AllocationId"] == "eip-ecs"


def test_an_associate_waits_while_an_eip_leaves_the_same_instance():
    leaving = dict(AllocationId="eip-old", Status="InUse", InstanceId="i-1", InstanceType="EcsInstance")
    goals = [(options_for("eip-old", "i-2", "EcsInstance"), leaving),
             (options_for("eip-new", "i-1", "EcsInstance"), dict(AVAILABLE, AllocationId="eip-new"))]
    planner = Planner(goals)
    assert [(job.action, job.params["AllocationId"]) for job in planner.jobs()] == [
        ("UnassociateEipAddress", "eip-old")]


def test_a_refused_batch_goes_one_by_one():
    goals = [(options_for("eip-%d" % n, "ngw-1"), dict(AVAILABLE, AllocationId="eip-%d" % n)) for n in range(3)]
    planner = Planner(goals)
    [job] = planner.jobs()
    planner.took(_many.Outcome(job, error=ApiError("AssociateEipAddressBatch", "QuotaExceeded.NumberOfEip", "x",
                                                   http_status=400)))
    assert all(i.error is None and i.no_batch for i in planner.items)
    assert [j.action for j in planner.jobs()] == ["AssociateEipAddress"] * 3


def test_a_fail_code_fails_the_item_and_a_busy_one_reads_again():
    goals = [(options_for("eip-1", "i-1", "EcsInstance"), dict(AVAILABLE, AllocationId="eip-1")),
             (options_for("eip-2", "i-2", "EcsInstance"), dict(AVAILABLE, AllocationId="eip-2"))]
    planner = Planner(goals)
    first, second = planner.jobs()
    planner.took(_many.Outcome(first, error=ApiError("AssociateEipAddress", "InvalidInstanId.NotFound", "gone",
                                                     request_id="req-1", http_status=404)))
    planner.took(_many.Outcome(second, error=ApiError("AssociateEipAddress", "TaskConflict", "busy",
                                                      http_status=400)))
    assert planner.items[0].error == {"code": "InvalidInstanId.NotFound", "message": "AssociateEipAddress failed: gone",
                                      "hint": "check instance_id, instance_type and region; no such instance of "
                                              "that type exists", "request_id": "req-1"}
    assert planner.items[1].error is None and planner.items[1].refused[1].code == "TaskConflict"


# ---- reads, parallel calls, polls ---------------------------------------------------------------------------

def test_reads_go_fifty_ids_per_call():
    sent = []

    def call(action, params):
        sent.append(params["AllocationId"].split(","))
        return {"TotalCount": len(sent[-1]), "EipAddresses": {"EipAddress": [{"AllocationId": i} for i in sent[-1]]}}
    found = _eip.read_eips(call, allocation_ids=["eip-%d" % n for n in range(200)])
    assert [len(ids) for ids in sent] == [50, 50, 50, 50] and len(found) == 200


def test_run_parallel_keeps_order_and_bounds_the_calls_in_flight():
    in_flight, peak, lock = [0], [0], threading.Lock()

    def work(job):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.01)
        with lock:
            in_flight[0] -= 1
        if job == 7:
            raise ApiError("X", "TaskConflict", "busy")
        return job * 2

    outcomes = _many.run_parallel(list(range(30)), work, parallelism=4)
    assert [o.job for o in outcomes] == list(range(30))
    assert outcomes[3].answer == 6 and outcomes[7].error.code == "TaskConflict"
    assert 1 < peak[0] <= 4


def test_poll_together_reads_only_what_is_still_pending():
    reads = []
    status = {"a": ["Associating", "InUse"], "b": ["Associating", "Associating", "InUse"]}

    def read(keys):
        reads.append(sorted(keys))
        return dict((key, status[key].pop(0)) for key in keys)

    left = _many.poll_together(read, ["a", "b"], lambda key, seen: seen == "InUse", 30, "test")
    assert left == [] and reads == [["a", "b"], ["a", "b"], ["b"]]


def test_poll_together_returns_what_never_got_there():
    left = _many.poll_together(lambda keys: dict.fromkeys(keys, "Associating"), ["a"],
                               lambda key, seen: seen == "InUse", 0, "test")
    assert left == ["a"]


def test_a_batch_refused_as_already_reads_again_and_fails_no_item_for_it():
    goals = [(options_for("eip-%d" % n, "ngw-1"), dict(AVAILABLE, AllocationId="eip-%d" % n)) for n in range(2)]
    planner = Planner(goals)
    planner.module = type("M", (), {"remaining": staticmethod(lambda: 30.0)})()
    [job] = planner.jobs()
    planner.took(_many.Outcome(job, error=ApiError("AssociateEipAddressBatch", "InvalidAssociation.Duplicated",
                                                   "one of them is bound", http_status=400)))
    assert all(i.refused and i.no_batch for i in planner.items)
    planner.plan_after_refusals()
    assert all(i.error is None and i.refused is None for i in planner.items)
    assert [j.action for j in planner.jobs()] == ["AssociateEipAddress"] * 2


class FakeApiModule:
    """Enough of AlicloudModule for the engine's reads and polls."""

    region = "cn-hangzhou"

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def call(self, action, params, mutating=False):
        self.calls.append((action, dict(params)))
        return self.answer(action, params)

    def remaining(self):
        return 5.0


def test_the_batches_of_a_read_go_in_parallel_and_merge():
    def answer(action, params):
        ids = params["AllocationId"].split(",")
        return {"TotalCount": len(ids), "EipAddresses": {"EipAddress": [{"AllocationId": i} for i in ids]}}
    engine = _eip_many.EipMany.__new__(_eip_many.EipMany)
    engine.module, engine.parallelism = FakeApiModule(answer), 4
    found = engine.read(["eip-%d" % n for n in range(120)])
    assert len(found) == 120 and sorted(len(p["AllocationId"].split(",")) for _a, p in engine.module.calls) == [
        20, 50, 50]


def test_a_poll_that_cannot_read_fails_the_pending_items_with_the_api_error():
    def answer(action, params):
        raise ApiError("DescribeEipAddresses", "Throttling.User", "too many", http_status=400)
    engine = _eip_many.EipMany.__new__(_eip_many.EipMany)
    engine.module, engine.parallelism, engine.params = FakeApiModule(answer), 4, dict(TASK, wait_timeout=5)
    pending = _eip_many.Item(dict(options_for("eip-1", "i-1", "EcsInstance"), label="associations[0]"))
    pending.goal.allocation_id = "eip-1"
    engine.poll([pending], lambda item, eip: True, "test")
    assert pending.error["code"] == "Throttling.User" and "max_retry_time" in pending.error["hint"]
