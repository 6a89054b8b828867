"""alicloud.network.eip_association with service=ens against the emulator: ENS AssociateEnsEipAddress /
UnAssociateEnsEipAddress / DescribeEnsEipAddresses, idempotence (first changed, then ok with exactly one read),
check and diff mode, absent (which reads first: the unbind names no instance), standby, and options that do not
apply.

Seed (tests/emulator/data/seed.json, ens_eip): eip-emuens001..030 Available on cn-beijing-cmcc; eip-emuensbound /
eip-emuensstby InUse on i-emuens0004 (main and standby); eip-emuensslb1 on lb-emuens0001; eip-emuenssnat on
nat-emuens0001 used by SNAT; eip-emuenslock locked; ENS instances i-emuens0001..0007 and i-emuensb001..040.
"""
from __future__ import annotations

import pytest

MODULE = "eip_association"


def ens(**args):
    return dict(args, service="ens")


def actions_since(emulator, start):
    return [c["action"] for c in emulator.calls[start:]]


def test_first_run_associates_second_run_reads_once(ansible, emulator):
    args = ens(allocation_id="eip-emuens001", instance_id="i-emuens0001")
    first = ansible.module(MODULE, args, env={"ALIBABA_CLOUD_REGION_ID": None}).last
    assert first["status"] == "changed", first
    assert first["result"]["association"] == {
        "allocation_id": "eip-emuens001", "ip_address": "101.10.0.1", "instance_id": "i-emuens0001",
        "instance_type": "EnsInstance", "private_ip_address": None, "mode": None, "status": "InUse",
        "region_id": "cn-beijing-cmcc", "standby": False}
    eip = emulator.ens_eip("eip-emuens001")
    assert (eip["Status"], eip["InstanceId"], eip["InstanceType"]) == ("InUse", "i-emuens0001", "EnsInstance")
    [associate] = emulator.mutating_calls("AssociateEnsEipAddress")
    # ENS: one global endpoint, no RegionId and no ClientToken; no region needed at all.
    assert associate["params"] == {"AllocationId": "eip-emuens001", "InstanceId": "i-emuens0001",
                                   "InstanceType": "EnsInstance"}
    assert first["result"]["request_ids"] == [associate["request_id"]]

    start = len(emulator.calls)
    second = ansible.module(MODULE, args).last
    assert second["status"] == "ok", second
    assert actions_since(emulator, start) == ["DescribeEnsEipAddresses"]       # exactly one read call
    assert len(emulator.mutating_calls()) == 1


def test_check_mode_and_diff_predict_without_calling(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    alicloud.network.eip_association:
      service: ens
  tasks:
    - name: bind
      alicloud.network.eip_association:
        allocation_id: eip-emuens002
        instance_id: i-emuens0002
    - name: unbind
      alicloud.network.eip_association:
        allocation_id: eip-emuensslb1
        instance_id: lb-emuens0001
        instance_type: SlbInstance
        state: absent
    - name: already bound
      alicloud.network.eip_association:
        allocation_id: eip-emuensslb1
        instance_id: lb-emuens0001
        instance_type: SlbInstance
"""
    run = ansible.playbook(playbook, check=True, diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    bind = run.task("bind")
    assert bind["status"] == "changed"
    assert bind["result"]["diff"]["before"] == {"instance_id": None, "instance_type": None,
                                                "private_ip_address": None, "status": "Available", "standby": None}
    assert bind["result"]["diff"]["after"] == {"instance_id": "i-emuens0002", "instance_type": "EnsInstance",
                                               "private_ip_address": None, "status": "InUse", "standby": False}
    unbind = run.task("unbind")
    assert unbind["status"] == "changed" and unbind["result"]["association"]["instance_id"] is None
    assert run.task("already bound")["status"] == "ok"
    assert emulator.mutating_calls() == []
    assert {c["action"] for c in emulator.calls} == {"DescribeEnsEipAddresses"}


def test_absent_with_another_instance_reads_and_leaves_it(ansible, emulator):
    run = ansible.module(MODULE, ens(allocation_id="eip-emuensslb1", instance_id="lb-emuens0002",
                                     instance_type="SlbInstance", state="absent")).last
    assert run["status"] == "ok", run
    assert actions_since(emulator, 0) == ["DescribeEnsEipAddresses"]
    assert emulator.ens_eip("eip-emuensslb1")["InstanceId"] == "lb-emuens0001"


def test_absent_from_the_named_instance_then_ok(ansible, emulator):
    args = ens(allocation_id="eip-emuensslb1", instance_id="lb-emuens0001", instance_type="SlbInstance",
               state="absent")
    first = ansible.module(MODULE, args).last
    assert first["status"] == "changed", first
    [unbind] = emulator.mutating_calls("UnAssociateEnsEipAddress")
    assert unbind["params"] == {"AllocationId": "eip-emuensslb1"}
    assert emulator.ens_eip("eip-emuensslb1")["Status"] == "Available"
    start = len(emulator.calls)
    assert ansible.module(MODULE, args).last["status"] == "ok"
    assert actions_since(emulator, start) == ["DescribeEnsEipAddresses"]


def test_standby_then_main_order(ansible, emulator):
    """The main EIP cannot go while a standby one is bound: the API's code, classified, with a hint."""
    main = ens(allocation_id="eip-emuensbound", instance_id="i-emuens0004", state="absent")
    refused = ansible.module(MODULE, main).last
    assert refused["status"] == "failed"
    assert "InvalidUnAssociation.UnAssociateStandbyEipFist" in refused["result"]["msg"]
    assert "standby EIP first" in refused["result"]["msg"]

    standby = ansible.module(MODULE, ens(allocation_id="eip-emuensstby", instance_id="i-emuens0004",
                                         state="absent")).last
    assert standby["status"] == "changed", standby
    assert ansible.module(MODULE, main).last["status"] == "changed"
    bound = ansible.module(MODULE, ens(allocation_id="eip-emuens003", instance_id="i-emuens0004",
                                       standby=True)).last
    assert bound["status"] == "changed", bound
    assert bound["result"]["association"]["standby"] is True
    assert emulator.mutating_calls("AssociateEnsEipAddress")[-1]["params"]["Standby"] == "True"


def test_force_unbinds_from_a_nat_gateway_with_snat(ansible, emulator):
    args = ens(allocation_id="eip-emuenssnat", state="absent")
    refused = ansible.module(MODULE, args).last
    assert refused["status"] == "failed" and "HasBeenUsedBySnatTable" in refused["result"]["msg"]
    forced = ansible.module(MODULE, dict(args, force=True)).last
    assert forced["status"] == "changed", forced
    assert emulator.mutating_calls("UnAssociateEnsEipAddress")[-1]["params"]["Force"] == "True"


def test_reassociation_moves_the_eip(ansible, emulator):
    args = ens(allocation_id="eip-emuensslb1", instance_id="lb-emuens0002", instance_type="SlbInstance")
    refused = ansible.module(MODULE, args).last
    assert refused["status"] == "failed" and "allow_reassociation" in refused["result"]["msg"]
    moved = ansible.module(MODULE, dict(args, allow_reassociation=True)).last
    assert moved["status"] == "changed", moved
    assert [c["action"] for c in emulator.mutating_calls()] == ["UnAssociateEnsEipAddress", "AssociateEnsEipAddress"]
    assert emulator.ens_eip("eip-emuensslb1")["InstanceId"] == "lb-emuens0002"


@pytest.mark.parametrize("extra, words", [
    ({"vpc_id": "vpc-emu0001"}, "vpc_id does not apply to service=ens"),
    ({"mode": "NAT"}, "mode does not apply to service=ens"),
    ({"client_token": "abc"}, "client_token does not apply to service=ens"),
    ({"instance_type": "EcsInstance"}, "instance_type EcsInstance is not accepted with service=ens"),
])
def test_options_that_do_not_apply_fail_before_any_call(ansible, emulator, extra, words):
    run = ansible.module(MODULE, ens(allocation_id="eip-emuens004", instance_id="i-emuens0001", **extra)).last
    assert run["status"] == "failed"
    assert words in run["result"]["msg"]
    assert emulator.calls == []


def test_vpc_refuses_standby_and_stays_the_default(ansible, emulator):
    run = ansible.module(MODULE, {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                                  "standby": True}).last
    assert run["status"] == "failed" and "standby does not apply to service=vpc" in run["result"]["msg"]
    assert emulator.calls == []
    run = ansible.module(MODULE, {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001"}).last
    assert run["status"] == "changed", run
    assert emulator.mutating_calls("AssociateEipAddress")[0]["params"]["InstanceType"] == "EcsInstance"


def test_unknown_and_locked_eips(ansible, emulator):
    unknown = ansible.module(MODULE, ens(allocation_id="eip-emunope", instance_id="i-emuens0001")).last
    assert unknown["status"] == "failed" and "ENS EIP eip-emunope not found" in unknown["result"]["msg"]
    locked = ansible.module(MODULE, ens(allocation_id="eip-emuenslock", instance_id="i-emuens0001")).last
    assert locked["status"] == "failed" and "locked (financial)" in locked["result"]["msg"]
    other_node = ansible.module(MODULE, ens(allocation_id="eip-emuens005", instance_id="i-emuensgz01")).last
    assert other_node["status"] == "failed"
    assert "InvalidParameter.InstanceId" in other_node["result"]["msg"] and "another ENS node" in \
        other_node["result"]["msg"]
    assert emulator.mutating_calls() == []
