"""havip_association with service=vpc, without a process: the VPC description's reads, plan, predict, what holds,
the membership limits, the master and the input checks (module_utils/_vpc_havip.py)."""
from __future__ import annotations

import pytest
from task_doubles import Ended, FakeModule

from ansible_collections.alicloud.network.plugins.module_utils import _vpc_havip
from ansible_collections.alicloud.network.plugins.modules.havip_association import SERVICES, HaVipAssociation

DEFAULTS = dict(havip_id="havip-1", instance_id=None, instance_ids=None, instance_type=None, exclusive=False,
                state="present", wait=True, wait_timeout=300, service="vpc", force=False)


def raw(*members, status=None, master=None, kind="EcsInstance"):
    """A VPC DescribeHaVips item, as the SDK model shapes it."""
    return {"HaVipId": "havip-1", "IpAddress": "10.0.0.100", "Status": status or ("InUse" if members else "Available"),
            "VpcId": "vpc-1", "VSwitchId": "vsw-1", "RegionId": "cn-hangzhou",
            "MasterInstanceId": master if master is not None else (members[0] if members else ""),
            "AssociatedInstanceType": kind if members else "",
            "AssociatedInstances": {"associatedInstance": list(members)}}


def havip(*members, **kwargs):
    return _vpc_havip.normalized(raw(*members, **kwargs))


def task(api=None, **options):
    params = dict(DEFAULTS, **options)
    return HaVipAssociation(FakeModule(params, api=api), SERVICES[params["service"]])


def plan_of(t, resource):
    return [(c.action, c.params["InstanceId"]) for c in t.plan(resource)]


def failure(call, *args):
    with pytest.raises(Ended) as ended:
        call(*args)
    assert ended.value.failed
    return ended.value.result["msg"]


def test_read_filters_by_havip_id_and_normalizes_bare_members():
    answers = {"HaVips": {"HaVip": [raw("i-1", "i-2", master="i-2")]}, "TotalCount": 1}
    t = task(api=lambda action, params: answers, instance_id="i-1")
    found = t.read()
    action, params = t.module.calls[0]
    assert action == "DescribeHaVips"
    assert params["Filter"] == [{"Key": "HaVipId", "Value": ["havip-1"]}]
    assert found["AssociatedInstances"] == [dict(InstanceId="i-1", InstanceType="EcsInstance", Status="InUse"),
                                            dict(InstanceId="i-2", InstanceType="EcsInstance", Status="InUse")]
    view = t.view(found)
    assert set(view) >= {"havip_id", "ip_address", "status", "vswitch_id", "ens_region_id", "associated_instances"}
    assert view["ens_region_id"] is None and view["master_instance_id"] == "i-2" and view["vpc_id"] == "vpc-1"


def test_read_of_an_unknown_havip_is_none():
    t = task(api=lambda action, params: {"HaVips": {"HaVip": []}, "TotalCount": 0}, instance_id="i-1")
    assert t.read() is None
    assert "region" in t.not_found()


def test_members_take_the_havips_status_so_a_moving_havip_is_not_settled():
    moving = havip("i-1", status="Associating")
    assert moving["AssociatedInstances"][0]["Status"] == "Associating"
    assert not HaVipAssociation.is_settled(moving)
    assert HaVipAssociation.is_settled(havip("i-1"))


def test_instance_type_defaults_to_ecs_and_is_sent():
    [change] = task(instance_id="i-1").plan(havip())
    assert change.params == {"HaVipId": "havip-1", "InstanceId": "i-1", "InstanceType": "EcsInstance"}
    assert change.holds(havip("i-1")) and not change.holds(havip("i-1", status="Associating"))


def test_unassociate_sends_the_members_type_and_force_only_when_asked():
    [plain] = task(state="absent", instance_id="i-2").plan(havip("i-1", "i-2"))
    assert plain.params == {"HaVipId": "havip-1", "InstanceId": "i-2", "InstanceType": "EcsInstance"}
    [forced] = task(state="absent", instance_id="i-1", force=True).plan(havip("i-1", "i-2"))
    assert forced.params["Force"] is True
    eni = havip("eni-1", kind="NetworkInterface", master="")
    [change] = task(state="absent", instance_id="eni-1").plan(eni)
    assert change.params["InstanceType"] == "NetworkInterface"
    assert change.holds(havip()) and not change.holds(havip("eni-1", status="Unassociating"))


def test_unbinding_the_master_without_force_fails_before_any_call():
    msg = failure(task(state="absent", instance_id="i-1").plan, havip("i-1", "i-2"))
    assert "master" in msg and "force" in msg
    msg = failure(task(instance_ids=["i-3"], exclusive=True).plan, havip("i-1"))
    assert "i-1" in msg and "force" in msg


def test_the_member_cap_fails_before_any_call_unless_exclusive_makes_room():
    msg = failure(task(instance_id="i-3").plan, havip("i-1", "i-2"))
    assert "at most 2" in msg
    msg = failure(task(instance_ids=["i-1", "i-2", "i-3"]).plan, havip())
    assert "at most 2" in msg
    # Full pair, exclusive onto another pair: room is made first (removals, forced for the master), then added.
    assert plan_of(task(instance_ids=["i-3", "i-4"], exclusive=True, force=True), havip("i-1", "i-2")) == [
        ("UnassociateHaVip", "i-1"), ("UnassociateHaVip", "i-2"), ("AssociateHaVip", "i-3"),
        ("AssociateHaVip", "i-4")]


def test_exclusive_with_room_adds_first_so_the_address_stays_served():
    assert plan_of(task(instance_ids=["i-2"], exclusive=True, force=True), havip("i-1")) == [
        ("AssociateHaVip", "i-2"), ("UnassociateHaVip", "i-1")]


def test_ecs_and_eni_members_are_never_mixed():
    msg = failure(task(instance_id="eni-1", instance_type="NetworkInterface").plan, havip("i-1"))
    assert "ECS instances and ENIs" in msg
    # Replacing every member with the other kind removes first.
    assert plan_of(task(instance_id="eni-1", instance_type="NetworkInterface", exclusive=True, force=True),
                   havip("i-1")) == [("UnassociateHaVip", "i-1"), ("AssociateHaVip", "eni-1")]


def test_predict_keeps_the_internal_shape():
    t = task(instance_ids=["i-2"], exclusive=True, force=True)
    changes = t.plan(havip("i-1"))
    after = t.predict(havip("i-1"), changes)
    assert [(m["InstanceId"], m["InstanceType"]) for m in after["AssociatedInstances"]] == [("i-2", "EcsInstance")]
    assert after["Status"] == "InUse"
    assert t.view(after)["associated_instances"] == [
        dict(instance_id="i-2", instance_type="EcsInstance", status="InUse")]


def test_filters_follow_the_reference_form():
    assert _vpc_havip.filter_params({"VpcId": ["vpc-1"], "Status": ["InUse", "Available"]}) == {
        "Filter": [{"Key": "Status", "Value": ["InUse", "Available"]}, {"Key": "VpcId", "Value": ["vpc-1"]}]}


@pytest.mark.parametrize("options, words", [
    ({"instance_id": "i-1", "instance_type": "EnsInstance"},
     "instance_type EnsInstance is not accepted with service=vpc"),
    ({"instance_id": "i-1", "instance_type": "EcsInstance", "service": "ens"},
     "instance_type EcsInstance is not accepted with service=ens"),
    ({"instance_id": "i-1", "force": True, "service": "ens"}, "force does not apply to service=ens"),
    ({"instance_id": "i-1 i-2"}, "not a valid ID"),
])
def test_input_checks_fail_before_any_call(options, words):
    def no_call(action, params):
        raise AssertionError("no call expected, got %s" % action)
    with pytest.raises(Ended) as ended:
        task(api=no_call, **options)
    assert words in ended.value.result["msg"]


def test_ens_keeps_its_default_type():
    [change] = task(service="ens", instance_id="i-1").plan(
        dict(HaVipId="havip-1", Status="Available", AssociatedInstances=[]))
    assert change.params == {"HaVipId": "havip-1", "InstanceId": "i-1", "InstanceType": "EnsInstance"}
