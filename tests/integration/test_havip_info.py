"""alicloud.network.havip_info against the emulator: real ansible-playbook / ansible runs, every call counted.

0 and 1 matches, a missing ID, each filter, the shape next to havip_association's, check mode, bad input before
any call; and on a seed with 200+ HAVIPs: paging, and the choice between one call per ID and listing the pages.
"""
from __future__ import annotations

import json

import pytest

CROWDED_VSWITCH = "vsw-emuensc01"
CROWDED_COUNT = 160   # on their own vSwitch: a filter on it matches 160 HAVIPs, two pages of 100


@pytest.fixture
def crowded(ansible, tmp_path):
    """(emulator, runner) on the seed plus 160 HAVIPs havip-emuensc001..160, so lists run past one page."""
    from ansible_process import AnsibleRunner
    from emulator import Emulator
    from emulator.state import load_seed

    seed = load_seed()
    seed["ens"]["bulk"].append({"kind": "havip", "prefix": "havip-emuensc", "count": CROWDED_COUNT, "digits": 3,
                                "EnsRegionId": "cn-beijing-cmcc", "NetworkId": "n-emu0001",
                                "VSwitchId": CROWDED_VSWITCH, "first_ip": "10.10.8.1", "Status": "Available"})
    emu = Emulator(seed=seed, transition_seconds=0.3).start()
    workdir = tmp_path / "crowded"
    workdir.mkdir()
    try:
        yield emu, AnsibleRunner(emu, workdir, ansible.collections_root)
    finally:
        emu.stop()


def describe_calls(emulator, since):
    calls = emulator.calls[since:]
    assert all(c["action"] == "DescribeHaVips" for c in calls), [c["action"] for c in calls]
    return calls


def info(ansible, args, **kwargs):
    run = ansible.module("havip_info", args, **kwargs)
    assert run.rc == 0, run.stdout + run.stderr
    result = run.last
    assert result["status"] == "ok"
    assert result["result"]["changed"] is False
    return result["result"]


def ids(result):
    return [h["havip_id"] for h in result["havips"]]


def test_no_match_is_an_empty_list_after_one_call(emulator, ansible):
    seen = len(emulator.calls)
    assert info(ansible, {"havip_ids": ["havip-emunothere"]})["havips"] == []
    (call,) = describe_calls(emulator, seen)
    assert call["params"]["HaVipId"] == "havip-emunothere"


def test_one_match_in_the_association_shape(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"havip_ids": ["havip-emuens0003"]})
    assert result["havips"] == [{
        "havip_id": "havip-emuens0003", "ip_address": "10.10.0.103", "status": "InUse",
        "vswitch_id": "vsw-emuens01", "ens_region_id": "cn-beijing-cmcc",
        "associated_instances": [{"instance_id": "i-emuens0003", "instance_type": "EnsInstance", "status": "InUse"}],
    }]
    assert len(describe_calls(emulator, seen)) == 1


def test_several_ids_with_a_missing_one_take_one_listing_call(emulator, ansible):
    # The seed's HAVIPs fit on one page: page 1 answers every ID, so one call instead of three.
    seen = len(emulator.calls)
    result = info(ansible, {"havip_ids": ["havip-emuensb007", "havip-emunothere", "havip-emuens0001"]})
    assert ids(result) == ["havip-emuensb007", "havip-emuens0001"]
    (call,) = describe_calls(emulator, seen)
    assert "HaVipId" not in call["params"]
    assert (call["params"]["PageNumber"], call["params"]["PageSize"]) == ("1", "100")


@pytest.mark.parametrize("args, param, expected", [
    ({"vswitch_id": "vsw-emuens02"}, ("VSwitchId", "vsw-emuens02"), ["havip-emuens0005"]),
    ({"ip_address": "10.10.0.102"}, ("HaVipAddress", "10.10.0.102"), ["havip-emuens0002"]),
    ({"status": "Creating"}, ("Status", "Creating"), ["havip-emuens0004"]),
])
def test_each_filter_goes_to_the_api(emulator, ansible, args, param, expected):
    seen = len(emulator.calls)
    assert ids(info(ansible, args)) == expected
    (call,) = describe_calls(emulator, seen)
    assert call["params"][param[0]] == param[1]


def test_status_filter_in_use(emulator, ansible):
    result = info(ansible, {"status": "InUse"})
    assert "havip-emuens0003" in ids(result)
    assert {h["status"] for h in result["havips"]} == {"InUse"}


def test_ids_combine_with_the_other_filters(emulator, ansible):
    seen = len(emulator.calls)
    result = info(ansible, {"havip_ids": ["havip-emuens0001", "havip-emuens0005"], "vswitch_id": "vsw-emuens02"})
    assert ids(result) == ["havip-emuens0005"]
    assert all(c["params"]["VSwitchId"] == "vsw-emuens02" for c in describe_calls(emulator, seen))


def test_empty_id_list_matches_nothing_without_a_call(emulator, ansible):
    seen = len(emulator.calls)
    assert info(ansible, {"havip_ids": []})["havips"] == []
    assert emulator.calls[seen:] == []


def test_havip_equals_what_havip_association_returned(emulator, ansible):
    book = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: bind
      alicloud.network.havip_association: {havip_id: havip-emuens0002, instance_ids: [i-emuensb001, i-emuensb002]}
      register: bound
    - name: read
      alicloud.network.havip_info: {havip_ids: [havip-emuens0002]}
"""
    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    bound = run.task("bind")["result"]["havip"]
    assert [m["instance_id"] for m in bound["associated_instances"]] == ["i-emuensb001", "i-emuensb002"]
    assert run.task("read")["result"]["havips"] == [bound]


def test_check_mode_reads_the_same_and_changes_nothing(emulator, ansible):
    plain = info(ansible, {"havip_ids": ["havip-emuens0003", "havip-emuens0001"]})
    checked = info(ansible, {"havip_ids": ["havip-emuens0003", "havip-emuens0001"]}, check=True, diff=True)
    assert checked["havips"] == plain["havips"] and ids(plain) == ["havip-emuens0003", "havip-emuens0001"]
    assert "diff" not in checked
    assert emulator.mutating_calls() == []


def test_bad_filters_fail_before_any_call(emulator, ansible):
    seen = len(emulator.calls)
    for args, words in (({"havip_ids": ["havip-emuens0001", "havip 2"]}, "havip_ids 'havip 2'"),
                        ({"ip_address": "10.10.0.999"}, "10.10.0.999"),
                        ({"vswitch_id": ""}, "vswitch_id"),
                        ({"status": "Bound"}, "status")):
        run = ansible.module("havip_info", args)
        assert run.rc != 0
        assert run.last["status"] == "failed"
        assert words in run.last["result"]["msg"], run.last["result"]["msg"]
        assert "Traceback" not in run.stdout + run.stderr
    assert emulator.calls[seen:] == []


def test_api_error_fails_with_code_and_action(emulator, ansible):
    run = ansible.module("havip_info", {"status": "InUse"}, env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret"})
    assert run.rc != 0
    result = run.last["result"]
    assert "DescribeHaVips failed: SignatureDoesNotMatch" in result["msg"]
    assert result["error"]["code"] == "SignatureDoesNotMatch"


# ---- past one page ------------------------------------------------------------------------------------------

def read_book(*tasks):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:"]
    for name, args in tasks:
        lines += [f"    - name: {name}", "      alicloud.network.havip_info: " + json.dumps(args)]
    return "\n".join(lines) + "\n"


def test_lists_read_every_page(crowded):
    emu, runner = crowded
    seen = len(emu.calls)
    run = runner.playbook(read_book(("all", {}), ("crowded", {"vswitch_id": CROWDED_VSWITCH})))
    assert run.rc == 0, run.stdout + run.stderr
    everything = ids(run.task("all")["result"])
    assert len(everything) == len(set(everything)) > 200
    on_vswitch = ids(run.task("crowded")["result"])
    assert sorted(on_vswitch) == [f"havip-emuensc{n:03d}" for n in range(1, CROWDED_COUNT + 1)]
    calls = describe_calls(emu, seen)
    pages = [(c["params"].get("VSwitchId"), c["params"]["PageNumber"], c["params"]["PageSize"]) for c in calls]
    assert pages == [(None, "1", "100"), (None, "2", "100"), (None, "3", "100"),
                     (CROWDED_VSWITCH, "1", "100"), (CROWDED_VSWITCH, "2", "100")]


def test_ids_past_page_one_take_the_cheaper_way(crowded):
    emu, runner = crowded
    listing = runner.playbook(read_book(("all", {})))
    assert listing.rc == 0, listing.stdout + listing.stderr
    order = ids(listing.task("all")["result"])
    assert len(order) > 200
    first_page, last_page = order[:100], order[200:]
    cases = [
        # 2 IDs on page 3: page 1 (a look at TotalCount), then one call per ID beats two more pages.
        ("two late", last_page[-2:], {"per_id": 2, "pages": ["1"]}),
        # 10 IDs on page 3: page 1, then pages 2 and 3 beat ten calls.
        ("ten late", last_page[-10:], {"per_id": 0, "pages": ["1", "2", "3"]}),
        # One ID on page 1 and one on page 3: page 1 answers the first, one call by ID the other.
        ("early and late", [first_page[0], last_page[-1]], {"per_id": 1, "pages": ["1"]}),
    ]
    for name, wanted, expected in cases:
        seen = len(emu.calls)
        result = runner.module("havip_info", {"havip_ids": wanted})
        assert result.rc == 0, result.stdout + result.stderr
        assert ids(result.last["result"]) == wanted, name
        calls = describe_calls(emu, seen)
        by_id = [c["params"]["HaVipId"] for c in calls if "HaVipId" in c["params"]]
        listed = [c["params"]["PageNumber"] for c in calls if "HaVipId" not in c["params"]]
        assert (len(by_id), listed) == (expected["per_id"], expected["pages"]), name
        assert set(by_id) <= set(wanted), name
