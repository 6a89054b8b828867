"""eip_association with service=ens, without a process: the ENS EIP description's reads, plan, predict, what holds
and the input checks (module_utils/_ens_eip.py), and the VPC side's refusal of ENS-only options."""
from __future__ import annotations

import pytest
from task_doubles import Ended, FakeModule

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _ens_eip
from ansible_collections.alicloud.network.plugins.module_utils._ens_eip import EnsEipAssociation

DEFAULTS = dict(allocation_id="eip-1", ip_address=None, instance_id="i-new", instance_type=None,
                private_ip_address=None, mode=None, vpc_id=None, instance_region_id=None, client_token=None,
                state="present", allow_reassociation=False, force=False, wait=True, wait_timeout=300,
                service="ens", standby=None)

AVAILABLE = {"AllocationId": "eip-1", "IpAddress": "101.0.0.1", "Status": "Available", "InstanceId": "",
             "InstanceType": "", "Standby": False, "EnsRegionId": "cn-beijing-cmcc",
             "OperationLocks": {"Lock": []}}
ON_OLD = dict(AVAILABLE, Status="InUse", InstanceId="i-old", InstanceType="EnsInstance")
ON_NEW = dict(AVAILABLE, Status="InUse", InstanceId="i-new", InstanceType="EnsInstance")


def no_call(action, params):
    raise AssertionError("no call expected, got %s" % action)


def task(api=no_call, **options):
    return EnsEipAssociation(FakeModule(dict(DEFAULTS, **options), api=api))


def failure(call, *args):
    with pytest.raises(Ended) as ended:
        call(*args)
    assert ended.value.failed
    return ended.value.result["msg"]


def test_read_by_id_and_by_address():
    answer = {"EipAddresses": {"EipAddress": [ON_OLD]}, "TotalCount": 1}
    t = task(api=lambda action, params: answer)
    assert t.read() == ON_OLD
    action, params = t.module.calls[0]
    assert action == "DescribeEnsEipAddresses" and params["AllocationId"] == "eip-1" and "RegionId" not in params
    t = task(api=lambda action, params: answer, allocation_id=None, ip_address="101.0.0.1")
    assert t.read()["AllocationId"] == "eip-1" and t.allocation_id == "eip-1"
    assert t.module.calls[0][1]["EipAddress"] == "101.0.0.1"


def test_instance_type_defaults_to_ens_instance():
    [change] = task().plan(AVAILABLE)
    assert change.action == "AssociateEnsEipAddress"
    assert change.params == {"AllocationId": "eip-1", "InstanceId": "i-new", "InstanceType": "EnsInstance"}
    assert change.holds(ON_NEW) and not change.holds(dict(ON_NEW, Status="Associating"))


def test_standby_is_sent_and_compared():
    [change] = task(standby=True).plan(AVAILABLE)
    assert change.params["Standby"] is True
    assert not change.holds(ON_NEW)                     # bound as main, not as standby
    assert change.holds(dict(ON_NEW, Standby=True))
    assert task(standby=True).plan(dict(ON_NEW, Standby=True)) == []


def test_a_bound_eip_is_moved_only_with_allow_reassociation():
    msg = failure(task().plan, ON_OLD)
    assert "i-old" in msg and "allow_reassociation" in msg
    unbind, bind = task(allow_reassociation=True).plan(ON_OLD)
    assert unbind.action == "UnAssociateEnsEipAddress" and unbind.params == {"AllocationId": "eip-1"}
    assert bind.action == "AssociateEnsEipAddress"
    assert unbind.holds(AVAILABLE) and not unbind.holds(ON_OLD)


def test_absent_unbinds_only_from_the_named_instance():
    """UnAssociateEnsEipAddress takes no instance ID: the read decides."""
    assert task(state="absent", instance_id="i-other").plan(ON_OLD) == []
    [change] = task(state="absent", instance_id="i-old").plan(ON_OLD)
    assert change.params == {"AllocationId": "eip-1"}
    assert change.holds(AVAILABLE) and not change.holds(dict(ON_OLD, Status="Unassociating"))
    [change] = task(state="absent", instance_id=None).plan(ON_OLD)
    assert task(state="absent", instance_id=None).plan(AVAILABLE) == []


def test_force_only_for_a_nat_gateway():
    nat = dict(ON_OLD, InstanceId="nat-1", InstanceType="Nat")
    [change] = task(state="absent", instance_id=None, force=True).plan(nat)
    assert change.params == {"AllocationId": "eip-1", "Force": True}
    [change] = task(state="absent", instance_id=None, force=True).plan(ON_OLD)
    assert "Force" not in change.params


def test_locked_or_busy_eips_fail_clearly():
    assert "locked (financial)" in failure(task().plan, dict(AVAILABLE, OperationLocks={"Lock": [
        {"LockReason": "financial"}]}))


def test_predict_settled_and_in_progress():
    t = task(standby=True)
    changes = t.plan(AVAILABLE)
    after = t.predict(AVAILABLE, changes)
    assert after["Status"] == "InUse" and after["InstanceId"] == "i-new" and after["Standby"] is True
    assert t.predict(AVAILABLE, changes, settled=False)["Status"] == "Associating"
    t = task(state="absent", instance_id=None)
    assert t.predict(ON_OLD, t.plan(ON_OLD))["InstanceId"] == ""


def test_view_keeps_the_vpc_keys_and_adds_standby():
    view = _ens_eip.association_view(dict(ON_NEW, Standby=True))
    vpc_keys = set(_eip.association_view(dict(ON_NEW)))
    assert set(view) == vpc_keys | {"standby"}
    assert view["region_id"] == "cn-beijing-cmcc" and view["standby"] is True and view["private_ip_address"] is None
    assert _ens_eip.association_view(AVAILABLE)["instance_id"] is None


@pytest.mark.parametrize("options, words", [
    ({"private_ip_address": "10.0.0.1"}, "private_ip_address does not apply to service=ens"),
    ({"mode": "NAT"}, "mode does not apply to service=ens"),
    ({"vpc_id": "vpc-1"}, "vpc_id does not apply to service=ens"),
    ({"instance_region_id": "cn-hangzhou"}, "instance_region_id does not apply to service=ens"),
    ({"client_token": "t-1"}, "client_token does not apply to service=ens"),
    ({"instance_type": "EcsInstance"}, "instance_type EcsInstance is not accepted with service=ens"),
    ({"instance_type": "HaVip"}, "instance_type HaVip is not accepted with service=ens"),
    ({"instance_id": "lb-1"}, "looks like a SlbInstance"),
    ({"instance_id": "i-1 2"}, "not a valid ID"),
    ({"allocation_id": None, "ip_address": "not-an-ip"}, "not a valid IP address"),
])
def test_input_checks_fail_before_any_call(options, words):
    with pytest.raises(Ended) as ended:
        task(**options)
    assert words in ended.value.result["msg"]


def test_nat_slb_and_slb_ids_are_both_lb():
    assert _ens_eip.type_contradiction("lb-1", "NatSlbInstance") is None
    assert _ens_eip.type_contradiction("lb-1", "SlbInstance") is None
    assert _ens_eip.type_contradiction("x-1", "Nat") is None


def test_vpc_refuses_ens_only_options():
    assert _eip.service_problems(dict(standby=False, instance_type="EcsInstance")) == [
        "standby does not apply to service=vpc"]
    assert "set service: ens" in _eip.service_problems(dict(standby=None, instance_type="EnsInstance"))[0]
    assert _eip.service_problems(dict(standby=None, instance_type="Nat")) == []
