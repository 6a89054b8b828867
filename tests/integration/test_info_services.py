"""eip_info with service=ens and havip_info with service=vpc (issue 16): the same reads and views as the association
modules of that service, as real ansible runs against the emulator.

Seed: ENS EIPs eip-emuens001..030 (Available), eip-emuensbound (on i-emuens0004); VPC HAVIPs havip-emuvpcha01..05
on vsw-emuha01, havip-emuvpcha02 with i-emuha0001 (master) and i-emuha0002.
"""
from __future__ import annotations


def actions(emulator):
    return [c["action"] for c in emulator.calls]


def test_ens_eips_by_id_and_by_instance(ansible, emulator):
    by_id = ansible.module("eip_info", {"service": "ens", "allocation_ids": ["eip-emuens001", "eip-emuens999"]}).last
    assert by_id["status"] == "ok", by_id
    [eip] = by_id["result"]["eips"]
    assert (eip["allocation_id"], eip["status"]) == ("eip-emuens001", "Available")
    assert eip["association"]["instance_id"] is None
    bound = ansible.module("eip_info", {"service": "ens", "associated_instance_id": "i-emuens0004",
                                        "associated_instance_type": "EnsInstance"}).last
    ids = sorted(e["allocation_id"] for e in bound["result"]["eips"])
    assert "eip-emuensbound" in ids
    assert all(e["association"]["instance_id"] == "i-emuens0004" for e in bound["result"]["eips"])
    assert set(actions(emulator)) == {"DescribeEnsEipAddresses"}


def test_ens_eip_info_shows_the_association_as_eip_association_returns_it(ansible, emulator):
    args = {"service": "ens", "allocation_id": "eip-emuens002", "instance_id": "i-emuens0001"}
    bound = ansible.module("eip_association", args).last
    assert bound["status"] == "changed", bound
    read = ansible.module("eip_info", {"service": "ens", "allocation_ids": ["eip-emuens002"]}).last
    assert read["result"]["eips"][0]["association"] == bound["result"]["association"]


def test_ens_types_and_statuses_are_checked_before_any_call(ansible, emulator):
    wrong = ansible.module("eip_info", {"service": "ens", "associated_instance_id": "i-emuens0004",
                                        "associated_instance_type": "EcsInstance"}).last
    assert wrong["status"] == "failed" and "associated_instance_type EcsInstance" in wrong["result"]["msg"]
    assert emulator.calls == []


def test_vpc_havips_by_id_and_by_vswitch(ansible, emulator):
    by_id = ansible.module("havip_info", {"service": "vpc", "havip_ids": ["havip-emuvpcha02", "havip-emuvpc9999"]}).last
    assert by_id["status"] == "ok", by_id
    [havip] = by_id["result"]["havips"]
    assert havip["havip_id"] == "havip-emuvpcha02" and havip["master_instance_id"] == "i-emuha0001"
    assert sorted(m["instance_id"] for m in havip["associated_instances"]) == ["i-emuha0001", "i-emuha0002"]
    on_vswitch = ansible.module("havip_info", {"service": "vpc", "vswitch_id": "vsw-emuha01"}).last
    assert {"havip-emuvpcha01", "havip-emuvpcha05"} <= {h["havip_id"] for h in on_vswitch["result"]["havips"]}
    calls = [c for c in emulator.calls if c["action"] == "DescribeHaVips"]
    assert calls and all(c["params"].get("RegionId") == "cn-hangzhou" for c in calls)


def test_vpc_havip_info_shows_the_havip_as_havip_association_returns_it(ansible, emulator):
    args = {"service": "vpc", "havip_id": "havip-emuvpcha01", "instance_id": "i-emuha0003"}
    bound = ansible.module("havip_association", args).last
    assert bound["status"] == "changed", bound
    read = ansible.module("havip_info", {"service": "vpc", "havip_ids": ["havip-emuvpcha01"]}).last
    assert read["result"]["havips"][0] == bound["result"]["havip"]


def test_more_vpc_havip_ids_than_one_filter_takes_go_five_to_a_call(ansible, emulator):
    ids = ["havip-emuvpcha0%d" % n for n in range(1, 6)] + ["havip-emuvpc0001"]
    result = ansible.module("havip_info", {"service": "vpc", "havip_ids": ids}).last
    assert [h["havip_id"] for h in result["result"]["havips"]] == ids     # every one found, in the order asked
    assert len([c for c in emulator.calls if c["action"] == "DescribeHaVips"]) == 2
