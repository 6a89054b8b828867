"""havip_association's decisions without a process: plan, predict, what holds, and the input checks."""
from __future__ import annotations

import pytest
from task_doubles import Ended, FakeModule

from ansible_collections.alicloud.network.plugins.modules.havip_association import HaVipAssociation

DEFAULTS = dict(havip_id="havip-1", instance_id=None, instance_ids=None, instance_type="EnsInstance",
                exclusive=False, state="present", wait=True, wait_timeout=300)


def havip(*members, status=None):
    listed = [dict(InstanceId=i, InstanceType="EnsInstance", Status="InUse") for i in members]
    return dict(HaVipId="havip-1", Status=status or ("InUse" if members else "Available"), AssociatedInstances=listed)


def task(**options):
    return HaVipAssociation(FakeModule(dict(DEFAULTS, **options)))


def plan_of(t, resource):
    return [(c.action, c.params["InstanceId"]) for c in t.plan(resource)]


def test_present_adds_only_the_missing_members():
    assert plan_of(task(instance_ids=["i-1", "i-2"]), havip("i-2", "i-3")) == [("AssociateHaVip", "i-1")]


def test_exclusive_adds_first_then_removes_the_others():
    assert plan_of(task(instance_ids=["i-1"], exclusive=True), havip("i-2")) == [
        ("AssociateHaVip", "i-1"), ("UnassociateHaVip", "i-2")]


def test_absent_removes_the_named_or_every_member():
    assert plan_of(task(state="absent", instance_id="i-2"), havip("i-1", "i-2")) == [("UnassociateHaVip", "i-2")]
    assert plan_of(task(state="absent"), havip("i-1", "i-2")) == [
        ("UnassociateHaVip", "i-1"), ("UnassociateHaVip", "i-2")]
    assert plan_of(task(state="absent", instance_id="i-9"), havip("i-1")) == []


def test_a_deleting_havip_fails_clearly():
    with pytest.raises(Ended) as ended:
        task(instance_id="i-1").plan(havip(status="Deleting"))
    assert "Deleting" in ended.value.result["msg"]


def test_what_holds_for_each_change():
    add, = task(instance_id="i-1").plan(havip())
    assert add.holds(havip("i-1"))
    moving = havip("i-1")
    moving["AssociatedInstances"][0]["Status"] = "Associating"
    assert not add.holds(moving)
    remove, = task(state="absent", instance_id="i-1").plan(havip("i-1"))
    assert remove.holds(havip()) and not remove.holds(havip("i-1"))


def test_predict_settled_and_in_progress():
    t = task(instance_ids=["i-1"], exclusive=True)
    changes = t.plan(havip("i-2"))
    after = t.predict(havip("i-2"), changes)
    assert [m["InstanceId"] for m in after["AssociatedInstances"]] == ["i-1"] and after["Status"] == "InUse"
    adding = t.predict(havip(), changes[:1], settled=False)
    assert adding["Status"] == "Associating" and adding["AssociatedInstances"][0]["Status"] == "Associating"


@pytest.mark.parametrize("options, words", [
    ({"instance_id": "i-1", "exclusive": True, "state": "absent"}, "exclusive applies only"),
    ({"instance_ids": []}, "at least one instance"),
    ({"instance_ids": ["i-1", " "]}, "must not be empty"),
    ({"instance_id": "i-1 i-2"}, "not a valid ID"),
    ({"havip_id": "havip-1\n", "instance_id": "i-1"}, "havip_id"),
])
def test_input_checks_fail_before_any_call(options, words):
    with pytest.raises(Ended) as ended:
        task(**options)
    assert words in ended.value.result["msg"]
