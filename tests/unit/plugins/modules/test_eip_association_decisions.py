"""eip_association's decisions without a process: wanted, plan, predict and the input checks."""
from __future__ import annotations

import pytest
from task_doubles import Ended, FakeModule

from ansible_collections.alicloud.network.plugins.modules.eip_association import EipAssociation, input_problems

DEFAULTS = dict(allocation_id="eip-1", ip_address=None, instance_id="i-new", instance_type="EcsInstance",
                private_ip_address=None, mode=None, vpc_id=None, instance_region_id=None, client_token=None,
                state="present", allow_reassociation=False, force=False, wait=True, wait_timeout=300)

AVAILABLE = {"AllocationId": "eip-1", "IpAddress": "47.0.0.1", "Status": "Available"}
ON_OLD = dict(AVAILABLE, Status="InUse", InstanceId="i-old", InstanceType="EcsInstance", PrivateIpAddress="10.0.0.9")
ON_NEW = dict(AVAILABLE, Status="InUse", InstanceId="i-new", InstanceType="EcsInstance", PrivateIpAddress="10.0.0.1")


def task(**options):
    return EipAssociation(FakeModule(dict(DEFAULTS, **options)))


def test_wanted_compares_instance_type_and_the_given_private_ip_only():
    assert task().wanted(ON_NEW)
    assert not task(instance_type="Nat").wanted(ON_NEW)
    assert task(private_ip_address="10.0.0.1").wanted(ON_NEW)
    assert not task(private_ip_address="10.0.0.2").wanted(ON_NEW)
    assert task(mode="NAT").wanted(ON_NEW)                    # no Mode reported means NAT
    assert not task(mode="MULTI_BINDED").wanted(ON_NEW)


def test_plan_associates_an_available_eip():
    [change] = task().plan(AVAILABLE)
    assert change.action == "AssociateEipAddress"
    assert change.params == {"AllocationId": "eip-1", "InstanceId": "i-new", "InstanceType": "EcsInstance"}
    assert change.holds(ON_NEW) and not change.holds(dict(ON_NEW, Status="Associating"))


def test_plan_refuses_to_move_without_allow_reassociation():
    with pytest.raises(Ended) as ended:
        task().plan(ON_OLD)
    assert "i-old" in ended.value.result["msg"] and "allow_reassociation" in ended.value.result["msg"]


def test_plan_moves_by_unbinding_the_current_owner_with_its_own_id_and_type():
    unbind, bind = task(allow_reassociation=True).plan(ON_OLD)
    assert unbind.params == {"AllocationId": "eip-1", "InstanceId": "i-old", "InstanceType": "EcsInstance"}
    assert bind.action == "AssociateEipAddress"
    assert unbind.holds(AVAILABLE) and not unbind.holds(ON_OLD)


def test_plan_absent_only_unbinds_from_the_named_instance():
    assert task(state="absent", instance_id="i-other").plan(ON_OLD) == []
    [change] = task(state="absent", instance_id=None).plan(ON_OLD)
    assert change.action == "UnassociateEipAddress"
    assert task(state="absent").plan(AVAILABLE) == []


def test_plan_sends_force_only_to_a_nat_gateway():
    nat = dict(ON_OLD, InstanceType="Nat", InstanceId="ngw-1")
    [change] = task(state="absent", instance_id=None, force=True).plan(nat)
    assert change.params["Force"] is True
    [change] = task(state="absent", instance_id=None, force=True).plan(ON_OLD)
    assert "Force" not in change.params


def test_plan_refuses_a_locked_or_releasing_eip():
    for eip, words in ((dict(AVAILABLE, Status="Releasing"), "Releasing"),
                       (dict(AVAILABLE, OperationLocks={"LockReason": [{"LockReason": "financial"}]}), "locked")):
        with pytest.raises(Ended) as ended:
            task().plan(eip)
        assert words in ended.value.result["msg"]


def test_predict_gives_the_association_and_the_status_in_progress():
    t = task(private_ip_address="10.0.0.1")
    changes = t.plan(AVAILABLE)
    assert t.predict(AVAILABLE, changes)["Status"] == "InUse"
    assert t.predict(AVAILABLE, changes, settled=False)["Status"] == "Associating"
    assert t.predict(AVAILABLE, changes)["PrivateIpAddress"] == "10.0.0.1"
    absent = task(state="absent", instance_id=None)
    assert absent.predict(ON_OLD, absent.plan(ON_OLD), settled=False)["Status"] == "Unassociating"
    assert absent.predict(ON_OLD, absent.plan(ON_OLD))["InstanceId"] is None


@pytest.mark.parametrize("options, words", [
    ({"instance_id": "ngw-1"}, "instance_type: Nat"),
    ({"instance_id": "10.0.0.5"}, "instance_type: IpAddress"),
    ({"instance_id": "lb-1", "instance_type": "Nat"}, "instance_type: SlbInstance"),
    ({"mode": "NAT"}, "mode is only accepted"),
    ({"vpc_id": "vpc-1"}, "vpc_id is only accepted"),
    ({"instance_region_id": "cn-hangzhou\n"}, "instance_region_id"),
    ({"client_token": "x" * 65}, "client_token"),
    ({"ip_address": "300.1.1.1", "allocation_id": None}, "ip_address"),
])
def test_input_problems_are_found_before_any_call(options, words):
    problems = input_problems(dict(DEFAULTS, **options))
    assert any(words in problem for problem in problems), problems


def test_good_input_has_no_problems():
    assert input_problems(DEFAULTS) == []
    assert input_problems(dict(DEFAULTS, instance_id="eni-1", instance_type="NetworkInterface", mode="NAT")) == []
    assert input_problems(dict(DEFAULTS, instance_id="192.168.1.2", instance_type="IpAddress", vpc_id="vpc-1")) == []
