"""alicloud.network.eip_info against the emulator: real ansible-playbook / ansible runs, every call counted.

0 and 1 matches, 120 IDs in batches of 50 (3 calls), paging past 100 EIPs, each filter, a missing ID, the
association shape next to eip_association's, check mode, bad input before any call, module_defaults, API errors.
"""
from __future__ import annotations

import json
import math

import pytest

SEED_EIPS = [f"eip-emu{n:04d}" for n in range(1, 241)]   # 47.100.0.1 ... 47.100.0.240, all Available


@pytest.fixture
def shanghai(ansible, tmp_path):
    """(emulator, runner) on the seed plus 150 EIPs in cn-shanghai (eip-emush001..150), for a two-page list."""
    from ansible_process import AnsibleRunner
    from emulator import Emulator
    from emulator.state import load_seed

    seed = load_seed()
    seed["vpc"]["bulk"].append({"kind": "eip", "prefix": "eip-emush", "count": 150, "digits": 3,
                                "RegionId": "cn-shanghai", "first_ip": "47.102.0.1", "Status": "Available"})
    emu = Emulator(seed=seed, transition_seconds=0.3).start()
    workdir = tmp_path / "shanghai"
    workdir.mkdir()
    try:
        yield emu, AnsibleRunner(emu, workdir, ansible.collections_root)
    finally:
        emu.stop()


def describe_calls(emulator, since):
    calls = emulator.calls[since:]
    assert all(c["action"] == "DescribeEipAddresses" for c in calls), [c["action"] for c in calls]
    return calls


def info(ansible, args, **kwargs):
    run = ansible.module("eip_info", args, **kwargs)
    assert run.rc == 0, run.stdout + run.stderr
    result = run.last
    assert result["status"] == "ok"
    assert result["result"]["changed"] is False
    return result["result"]


def test_no_match_is_an_empty_list_after_one_call(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"allocation_ids": ["eip-emunothere"]})
    assert result["eips"] == []
    calls = describe_calls(emulator, seen)
    assert len(calls) == 1
    assert calls[0]["params"]["AllocationId"] == "eip-emunothere"
    assert calls[0]["params"]["RegionId"] == "cn-hangzhou"


def test_one_match_shows_every_field(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"allocation_ids": ["eip-emubound01"]})
    assert len(describe_calls(emulator, seen)) == 1
    truth = emulator.eip("eip-emubound01")
    assert result["eips"] == [{
        "allocation_id": "eip-emubound01",
        "ip_address": "47.101.0.1",
        "status": "InUse",
        "name": None,
        "bandwidth": int(truth["Bandwidth"]),
        "instance_id": "i-emuecsbound1",
        "instance_type": "EcsInstance",
        "private_ip_address": "10.0.2.1",
        "mode": truth["Mode"],
        "lock_reasons": [],
        "association": {
            "allocation_id": "eip-emubound01", "ip_address": "47.101.0.1", "instance_id": "i-emuecsbound1",
            "instance_type": "EcsInstance", "private_ip_address": "10.0.2.1", "mode": truth["Mode"],
            "status": "InUse", "region_id": "cn-hangzhou",
        },
    }]


def test_unbound_and_locked_eip_has_null_binding_fields_and_lock_reasons(emulator, ansible):
    result = info(ansible, {"allocation_ids": ["eip-emulocked01"]})
    (eip,) = result["eips"]
    assert eip["status"] == "Available"
    assert [eip[k] for k in ("instance_id", "instance_type", "private_ip_address", "mode")] == [None] * 4
    assert eip["lock_reasons"] == ["financial"]
    assert eip["association"]["instance_id"] is None


def test_120_ids_take_three_calls_of_50_50_20(emulator, ansible):
    wanted = SEED_EIPS[:120]
    book = f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - name: read
      alicloud.network.eip_info:
        allocation_ids: {json.dumps(wanted)}
"""
    seen = len(emulator.calls)
    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    eips = run.task("read")["result"]["eips"]
    assert sorted(e["allocation_id"] for e in eips) == wanted
    calls = describe_calls(emulator, seen)
    assert len(calls) == 3
    batches = [c["params"]["AllocationId"].split(",") for c in calls]
    assert [len(b) for b in batches] == [50, 50, 20]
    assert batches[0] + batches[1] + batches[2] == wanted
    assert all(c["params"]["PageSize"] == "100" for c in calls)


def test_a_filter_matching_more_than_100_eips_reads_every_page(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"status": "Available"})
    found = [e["allocation_id"] for e in result["eips"]]
    assert len(found) == len(set(found))
    assert set(SEED_EIPS) <= set(found)
    assert all(e["status"] == "Available" for e in result["eips"])
    assert "eip-emubound01" not in found and "eip-emubeijing1" not in found
    calls = describe_calls(emulator, seen)
    assert len(calls) == math.ceil(len(found) / 100) >= 3
    assert [c["params"]["PageNumber"] for c in calls] == [str(n) for n in range(1, len(calls) + 1)]
    assert all(c["params"]["PageSize"] == "100" and c["params"]["Status"] == "Available" for c in calls)


def test_150_matches_take_two_pages_of_100(shanghai):
    emu, runner = shanghai
    run = runner.module("eip_info", {"status": "Available", "region": "cn-shanghai"})
    assert run.rc == 0, run.stdout + run.stderr
    found = [e["allocation_id"] for e in run.last["result"]["eips"]]
    assert sorted(found) == [f"eip-emush{n:03d}" for n in range(1, 151)]
    calls = describe_calls(emu, 0)
    assert [(c["params"]["PageNumber"], c["params"]["PageSize"], c["params"]["RegionId"]) for c in calls] == [
        ("1", "100", "cn-shanghai"), ("2", "100", "cn-shanghai")]


def test_ip_addresses_filter_and_a_missing_address(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"ip_addresses": ["47.100.0.5", "47.100.0.7", "47.250.0.1"]})
    assert sorted(e["allocation_id"] for e in result["eips"]) == ["eip-emu0005", "eip-emu0007"]
    (call,) = describe_calls(emulator, seen)
    assert call["params"]["EipAddress"] == "47.100.0.5,47.100.0.7,47.250.0.1"


def test_a_missing_id_is_absent_not_a_failure(emulator, ansible):
    result = info(ansible, {"allocation_ids": ["eip-emu0010", "eip-emunothere", "eip-emubeijing1"]})
    # eip-emubeijing1 exists, but in cn-beijing: not in this region.
    assert [e["allocation_id"] for e in result["eips"]] == ["eip-emu0010"]


def test_ids_and_addresses_combine_in_one_call(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"allocation_ids": ["eip-emu0001", "eip-emu0002", "eip-emu0003"],
                            "ip_addresses": ["47.100.0.2", "47.100.0.3", "47.100.0.9"]})
    assert sorted(e["allocation_id"] for e in result["eips"]) == ["eip-emu0002", "eip-emu0003"]
    (call,) = describe_calls(emulator, seen)
    assert call["params"]["AllocationId"] == "eip-emu0001,eip-emu0002,eip-emu0003"
    assert call["params"]["EipAddress"] == "47.100.0.2,47.100.0.3,47.100.0.9"


def test_status_filter(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"status": "InUse"})
    assert "eip-emubound01" in [e["allocation_id"] for e in result["eips"]]
    assert {e["status"] for e in result["eips"]} == {"InUse"}
    assert all(c["params"]["Status"] == "InUse" for c in describe_calls(emulator, seen))


def test_empty_id_list_matches_nothing_without_a_call(emulator, ansible):
    seen = len(emulator.calls)
    assert info(ansible, {"allocation_ids": []})["eips"] == []
    assert emulator.calls[seen:] == []


def test_association_equals_what_eip_association_returned_and_instance_filter_finds_it(emulator, ansible):
    book = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: bind
      alicloud.network.eip_association: {allocation_id: eip-emu0003, instance_id: i-emuecs0003}
      register: bound
    - name: by id
      alicloud.network.eip_info: {allocation_ids: [eip-emu0003]}
    - name: by instance
      alicloud.network.eip_info: {associated_instance_id: i-emuecs0003, associated_instance_type: EcsInstance}
    - name: by other type
      alicloud.network.eip_info: {associated_instance_id: i-emuecs0003, associated_instance_type: SlbInstance}
"""
    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    association = run.task("bind")["result"]["association"]
    assert association["status"] == "InUse"
    (by_id,) = run.task("by id")["result"]["eips"]
    assert by_id["association"] == association
    assert (by_id["instance_id"], by_id["instance_type"]) == ("i-emuecs0003", "EcsInstance")
    (by_instance,) = run.task("by instance")["result"]["eips"]
    assert by_instance == by_id
    assert run.task("by other type")["result"]["eips"] == []
    instance_calls = [c for c in emulator.calls if c["params"].get("AssociatedInstanceId") == "i-emuecs0003"]
    assert [c["params"]["AssociatedInstanceType"] for c in instance_calls] == ["EcsInstance", "SlbInstance"]


def test_check_mode_reads_the_same_and_changes_nothing(emulator, ansible):
    plain = info(ansible, {"allocation_ids": ["eip-emubound01", "eip-emu0001"]})
    checked = info(ansible, {"allocation_ids": ["eip-emubound01", "eip-emu0001"]}, check=True, diff=True)
    assert checked["eips"] == plain["eips"] and len(plain["eips"]) == 2
    assert "diff" not in checked
    assert emulator.mutating_calls() == []


def test_bad_filters_fail_before_any_call(emulator, ansible):
    seen = len(emulator.calls)
    for args, words in (({"allocation_ids": ["eip-emu0001", "not an id"]}, "allocation_ids 'not an id'"),
                        ({"ip_addresses": ["47.100.0.300"]}, "47.100.0.300"),
                        ({"ip_addresses": ["2001:db8::1"]}, "IPv4"),
                        ({"associated_instance_id": "i-emuecs0001"}, "associated_instance_type"),
                        ({"status": "Bound"}, "status"),
                        ({"region": "Hangzhou 1"}, "does not look like an Alibaba Cloud region")):
        run = ansible.module("eip_info", args)
        assert run.rc != 0
        assert run.last["status"] == "failed"
        result = run.last["result"]
        assert words in result["msg"], result["msg"]
        assert "Traceback" not in run.stdout + run.stderr
    assert emulator.calls[seen:] == []


def test_module_defaults_group_applies(emulator, ansible):
    book = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/alicloud.network.alicloud:
      region: cn-beijing
  tasks:
    - name: read
      alicloud.network.eip_info: {allocation_ids: [eip-emubeijing1, eip-emu0001]}
"""
    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    assert [e["allocation_id"] for e in run.task("read")["result"]["eips"]] == ["eip-emubeijing1"]
    assert emulator.calls[-1]["params"]["RegionId"] == "cn-beijing"


def test_api_error_fails_with_code_and_action(emulator, ansible):
    run = ansible.module("eip_info", {"status": "InUse"}, env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret"})
    assert run.rc != 0
    result = run.last["result"]
    assert "DescribeEipAddresses failed: SignatureDoesNotMatch" in result["msg"]
    assert result["error"]["code"] == "SignatureDoesNotMatch"
    assert "Traceback" not in run.stdout + run.stderr
