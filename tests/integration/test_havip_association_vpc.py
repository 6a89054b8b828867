"""alicloud.network.havip_association with service=vpc against the emulator: VPC AssociateHaVip / UnassociateHaVip /
DescribeHaVips, idempotence (first changed, then ok with exactly one read), check and diff mode, absent, the master
and the member cap.

Seed (tests/emulator/data/seed.json, vpc_havip): havip-emuvpcha01/05 Available on vsw-emuha01; havip-emuvpcha02
InUse with i-emuha0001 (master) and i-emuha0002 (full, cap 2); havip-emuvpcha03 InUse with i-emuha0003 (master);
havip-emuvpcha04 InUse with ENI eni-emuha0001; havip-emuvpcbj01 in cn-beijing; i-emuha0001..0004 Running on
vsw-emuha01, i-emuhaother on another vSwitch.
"""
from __future__ import annotations

MODULE = "havip_association"


def vpc(**args):
    return dict(args, service="vpc")


def members(emulator, havip_id):
    """(member IDs, master) as the emulator holds them."""
    havip = emulator.vpc_havip(havip_id)
    return set(havip["AssociatedInstances"]["associatedInstance"]), havip["MasterInstanceId"]


def actions_since(emulator, start):
    return [c["action"] for c in emulator.calls[start:]]


def test_first_run_associates_second_run_reads_once(ansible, emulator):
    args = vpc(havip_id="havip-emuvpcha01", instance_id="i-emuha0001")

    first = ansible.module(MODULE, args).last
    assert first["status"] == "changed", first
    havip = first["result"]["havip"]
    assert havip["havip_id"] == "havip-emuvpcha01" and havip["ip_address"] == "10.0.7.101"
    assert havip["status"] == "InUse" and havip["vswitch_id"] == "vsw-emuha01"
    assert havip["ens_region_id"] is None and havip["region_id"] == "cn-hangzhou"
    assert havip["master_instance_id"] == "i-emuha0001"
    # Members are bare IDs in the VPC answer: the view gives each the HAVIP's type and status.
    assert havip["associated_instances"] == [
        {"instance_id": "i-emuha0001", "instance_type": "EcsInstance", "status": "InUse"}]
    assert members(emulator, "havip-emuvpcha01") == ({"i-emuha0001"}, "i-emuha0001")

    [associate] = emulator.mutating_calls("AssociateHaVip")
    params = associate["params"]
    assert params["RegionId"] == "cn-hangzhou" and params["InstanceType"] == "EcsInstance"
    assert params.get("ClientToken"), params            # VPC changes carry a client token
    assert first["result"]["request_ids"] == [associate["request_id"]]
    reads = [c for c in emulator.calls if c["action"] == "DescribeHaVips"]
    assert reads and all(c["params"]["Filter.1.Key"] == "HaVipId" and
                         c["params"]["Filter.1.Value.1"] == "havip-emuvpcha01" for c in reads)

    start = len(emulator.calls)
    second = ansible.module(MODULE, args).last
    assert second["status"] == "ok", second
    assert second["result"]["request_ids"] == []
    assert actions_since(emulator, start) == ["DescribeHaVips"]      # exactly one read call
    assert len(emulator.mutating_calls()) == 1


def test_check_mode_and_diff_predict_without_calling(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    alicloud.network.havip_association:
      service: vpc
  tasks:
    - name: second member
      alicloud.network.havip_association:
        havip_id: havip-emuvpcha03
        instance_id: i-emuha0004
    - name: unbind the master
      alicloud.network.havip_association:
        havip_id: havip-emuvpcha03
        instance_id: i-emuha0003
        state: absent
        force: true
    - name: already bound
      alicloud.network.havip_association:
        havip_id: havip-emuvpcha03
        instance_id: i-emuha0003
"""
    run = ansible.playbook(playbook, check=True, diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    second = run.task("second member")
    assert second["status"] == "changed"
    assert second["result"]["diff"] == {
        "before": {"havip_id": "havip-emuvpcha03", "associated_instances": {"i-emuha0003": "EcsInstance"}},
        "after": {"havip_id": "havip-emuvpcha03",
                  "associated_instances": {"i-emuha0003": "EcsInstance", "i-emuha0004": "EcsInstance"}}}
    unbind = run.task("unbind the master")
    assert unbind["status"] == "changed" and unbind["result"]["diff"]["after"]["associated_instances"] == {}
    assert run.task("already bound")["status"] == "ok"

    assert emulator.mutating_calls() == []
    assert {c["action"] for c in emulator.calls} == {"DescribeHaVips"}
    assert members(emulator, "havip-emuvpcha03") == ({"i-emuha0003"}, "i-emuha0003")


def test_absent_unbinds_a_member_and_then_is_ok(ansible, emulator):
    args = vpc(havip_id="havip-emuvpcha02", instance_id="i-emuha0002", state="absent")
    first = ansible.module(MODULE, args, diff=True).last
    assert first["status"] == "changed", first
    assert first["result"]["havip"]["associated_instances"] == [
        {"instance_id": "i-emuha0001", "instance_type": "EcsInstance", "status": "InUse"}]
    [unassociate] = emulator.mutating_calls("UnassociateHaVip")
    assert unassociate["params"]["InstanceType"] == "EcsInstance" and "Force" not in unassociate["params"]
    assert members(emulator, "havip-emuvpcha02") == ({"i-emuha0001"}, "i-emuha0001")

    start = len(emulator.calls)
    again = ansible.module(MODULE, args).last
    assert again["status"] == "ok", again
    assert actions_since(emulator, start) == ["DescribeHaVips"]


def test_the_master_needs_force_and_nothing_is_called_without_it(ansible, emulator):
    args = vpc(havip_id="havip-emuvpcha03", instance_id="i-emuha0003", state="absent")
    refused = ansible.module(MODULE, args).last
    assert refused["status"] == "failed"
    assert "master" in refused["result"]["msg"] and "force: true" in refused["result"]["msg"]
    assert emulator.mutating_calls() == []

    forced = ansible.module(MODULE, dict(args, force=True)).last
    assert forced["status"] == "changed", forced
    [unassociate] = emulator.mutating_calls("UnassociateHaVip")
    assert unassociate["params"]["Force"] == "True"
    assert members(emulator, "havip-emuvpcha03") == (set(), "")
    assert forced["result"]["havip"]["status"] == "Available"


def test_exclusive_onto_a_full_pair_makes_room_first(ansible, emulator):
    args = vpc(havip_id="havip-emuvpcha02", instance_ids=["i-emuha0002", "i-emuha0004"], exclusive=True, force=True)
    run = ansible.module(MODULE, args).last
    assert run["status"] == "changed", run
    assert [c["action"] for c in emulator.mutating_calls()] == ["UnassociateHaVip", "AssociateHaVip"]
    assert members(emulator, "havip-emuvpcha02")[0] == {"i-emuha0002", "i-emuha0004"}
    assert ansible.module(MODULE, args).last["status"] == "ok"


def test_a_third_member_fails_before_any_call(ansible, emulator):
    run = ansible.module(MODULE, vpc(havip_id="havip-emuvpcha02", instance_id="i-emuha0003")).last
    assert run["status"] == "failed"
    assert "at most 2" in run["result"]["msg"]
    assert emulator.mutating_calls() == []


def test_an_eni_member_and_the_instance_type_default(ansible, emulator):
    eni = ansible.module(MODULE, vpc(havip_id="havip-emuvpcha05", instance_id="eni-emuha0002",
                                     instance_type="NetworkInterface")).last
    assert eni["status"] == "changed", eni
    assert eni["result"]["havip"]["associated_instances"] == [
        {"instance_id": "eni-emuha0002", "instance_type": "NetworkInterface", "status": "InUse"}]
    # The ENI havip-emuvpcha04 holds is unbound with its own type (and Force: it is the master).
    gone = ansible.module(MODULE, vpc(havip_id="havip-emuvpcha04", state="absent", force=True)).last
    assert gone["status"] == "changed", gone
    unassociate = emulator.mutating_calls("UnassociateHaVip")[-1]["params"]
    assert unassociate["InstanceType"] == "NetworkInterface" and unassociate["InstanceId"] == "eni-emuha0001"


def test_api_refusals_are_classified_with_a_hint(ansible, emulator):
    other = ansible.module(MODULE, vpc(havip_id="havip-emuvpcha01", instance_id="i-emuhaother")).last
    assert other["status"] == "failed"
    msg = other["result"]["msg"]
    assert "AssociateHaVip failed: NotBelongToSameVSwitch" in msg and "request id" in msg
    assert "vsw-emuha01" in msg                 # the hint names the HAVIP's vSwitch
    assert other["result"]["error"]["code"] == "NotBelongToSameVSwitch"

    unknown = ansible.module(MODULE, vpc(havip_id="havip-emuvpcbj01", instance_id="i-emuha0001")).last
    assert unknown["status"] == "failed" and "does not exist in this region" in unknown["result"]["msg"]

    no_region = ansible.module(MODULE, vpc(havip_id="havip-emuvpcha01", instance_id="i-emuha0001"),
                               env={"ALIBABA_CLOUD_REGION_ID": None}).last
    assert no_region["status"] == "failed" and "No region" in no_region["result"]["msg"]
    assert emulator.mutating_calls() == []


def test_ens_stays_the_default(ansible, emulator):
    run = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"}).last
    assert run["status"] == "changed", run
    [associate] = emulator.mutating_calls("AssociateHaVip")
    assert associate["params"]["InstanceType"] == "EnsInstance" and "RegionId" not in associate["params"]
