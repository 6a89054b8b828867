"""alicloud.network.eip_association: the main path against the emulator.

present (changed, then ok with one read and no change), check mode, diff mode, absent, lookup by address,
wait: false, module_defaults through the action group. Real ansible-playbook / ansible processes.
"""
from __future__ import annotations

import json

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
{tasks}
"""


def play(*tasks):
    """A one-play playbook; each task is (name, module_args) for eip_association."""
    lines = []
    for name, args in tasks:
        lines.append(f"    - name: {name}")
        lines.append("      alicloud.network.eip_association: " + json.dumps(args))
        lines.append("      register: out")
    return PLAY.format(tasks="\n".join(lines))


def new_calls(emulator, since):
    return emulator.calls[since:]


def actions(calls):
    return [c["action"] for c in calls]


def test_present_changes_once_then_reports_ok_with_one_read(emulator, ansible):
    book = play(("bind", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001"}))

    first = ansible.playbook(book)
    assert first.rc == 0, first.stdout + first.stderr
    result = first.task("bind")
    assert result["status"] == "changed"
    eip = emulator.eip("eip-emu0001")
    assert (eip["Status"], eip["InstanceId"], eip["InstanceType"]) == ("InUse", "i-emuecs0001", "EcsInstance")
    association = result["result"]["association"]
    assert association["allocation_id"] == "eip-emu0001"
    assert association["ip_address"] == eip["IpAddress"]
    assert association["instance_id"] == "i-emuecs0001"
    assert association["instance_type"] == "EcsInstance"
    assert association["private_ip_address"] == eip["PrivateIpAddress"]
    assert association["status"] == "InUse"
    assert association["region_id"] == "cn-hangzhou"
    associate_calls = emulator.mutating_calls("AssociateEipAddress")
    assert len(associate_calls) == 1
    assert associate_calls[0]["params"]["InstanceType"] == "EcsInstance"
    assert result["result"]["request_ids"] == [associate_calls[0]["request_id"]]

    seen = len(emulator.calls)
    second = ansible.playbook(book)
    assert second.rc == 0, second.stdout + second.stderr
    assert second.task("bind")["status"] == "ok"
    assert second.task("bind")["result"]["request_ids"] == []
    assert actions(new_calls(emulator, seen)) == ["DescribeEipAddresses"]
    assert len(emulator.mutating_calls()) == 1


def test_check_mode_reports_change_and_changes_nothing(emulator, ansible):
    args = {"allocation_id": "eip-emu0002", "instance_id": "i-emuecs0002"}
    run = ansible.module("eip_association", args, check=True, diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    result = run.last
    assert result["status"] == "changed"
    assert result["result"]["diff"] == {
        "before": {"instance_id": None, "instance_type": None, "private_ip_address": None, "status": "Available"},
        "after": {"instance_id": "i-emuecs0002", "instance_type": "EcsInstance", "private_ip_address": None,
                  "status": "InUse"},
    }
    # The predicted association, and the diff printed for the user.
    assert result["result"]["association"]["instance_id"] == "i-emuecs0002"
    assert "i-emuecs0002" in run.stdout
    assert emulator.eip("eip-emu0002")["Status"] == "Available"
    assert emulator.mutating_calls() == []
    assert set(actions(emulator.calls)) == {"DescribeEipAddresses"}

    # Check mode on an association that already holds: ok, as a real run would say.
    ansible.module("eip_association", args)
    again = ansible.module("eip_association", args, check=True)
    assert again.last["status"] == "ok"
    assert len(emulator.mutating_calls()) == 1


def test_diff_shows_before_and_after_of_a_real_change(emulator, ansible):
    run = ansible.playbook(play(("bind", {"allocation_id": "eip-emu0003", "instance_id": "i-emuecs0003"})),
                           diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    diff = run.task("bind")["result"]["diff"]
    private_ip = emulator.eip("eip-emu0003")["PrivateIpAddress"]
    assert diff["before"] == {"instance_id": None, "instance_type": None, "private_ip_address": None,
                              "status": "Available"}
    assert diff["after"] == {"instance_id": "i-emuecs0003", "instance_type": "EcsInstance",
                             "private_ip_address": private_ip, "status": "InUse"}
    assert "i-emuecs0003" in run.stdout   # the diff callback printed it


def test_absent_unbinds_only_when_bound_to_the_named_instance(emulator, ansible):
    # eip-emubound01 is seeded InUse on i-emuecsbound1.
    book = play(
        ("not mine", {"allocation_id": "eip-emubound01", "instance_id": "i-emuecs0009", "state": "absent"}),
        ("mine", {"allocation_id": "eip-emubound01", "instance_id": "i-emuecsbound1", "state": "absent"}),
        ("again", {"allocation_id": "eip-emubound01", "instance_id": "i-emuecsbound1", "state": "absent"}),
    )
    run = ansible.playbook(book, diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    assert run.task("not mine")["status"] == "ok"
    mine = run.task("mine")
    assert mine["status"] == "changed"
    assert mine["result"]["association"]["status"] == "Available"
    assert mine["result"]["association"]["instance_id"] is None
    assert mine["result"]["diff"]["before"]["instance_id"] == "i-emuecsbound1"
    assert mine["result"]["diff"]["after"]["instance_id"] is None
    assert run.task("again")["status"] == "ok"
    unbinds = emulator.mutating_calls("UnassociateEipAddress")
    assert len(unbinds) == 1
    assert unbinds[0]["params"]["InstanceId"] == "i-emuecsbound1"
    assert emulator.eip("eip-emubound01")["Status"] == "Available"


def test_absent_without_instance_unbinds_whatever_holds_it(emulator, ansible):
    bind = ansible.module("eip_association", {"allocation_id": "eip-emu0004", "instance_id": "lb-emuclb0001",
                                              "instance_type": "SlbInstance"})
    assert bind.last["status"] == "changed", bind.stdout
    check = ansible.module("eip_association", {"allocation_id": "eip-emu0004", "state": "absent"}, check=True)
    assert check.last["status"] == "changed"
    assert emulator.eip("eip-emu0004")["Status"] == "InUse"

    run = ansible.module("eip_association", {"allocation_id": "eip-emu0004", "state": "absent"})
    assert run.last["status"] == "changed", run.stdout
    unbind = emulator.mutating_calls("UnassociateEipAddress")
    assert [(c["params"]["InstanceId"], c["params"]["InstanceType"]) for c in unbind] == \
        [("lb-emuclb0001", "SlbInstance")]
    assert emulator.eip("eip-emu0004")["Status"] == "Available"

    seen = len(emulator.calls)
    idle = ansible.module("eip_association", {"allocation_id": "eip-emu0004", "state": "absent"})
    assert idle.last["status"] == "ok"
    assert actions(new_calls(emulator, seen)) == ["DescribeEipAddresses"]


def test_lookup_by_ip_address_with_own_client_token(emulator, ansible):
    address = emulator.eip("eip-emu0005")["IpAddress"]
    run = ansible.module("eip_association", {"ip_address": address, "instance_id": "i-emuecs0005",
                                             "client_token": "my-token-0005"})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["result"]["association"]["allocation_id"] == "eip-emu0005"
    assert emulator.eip("eip-emu0005")["InstanceId"] == "i-emuecs0005"
    first_read = emulator.calls[0]
    assert first_read["action"] == "DescribeEipAddresses"
    assert first_read["params"].get("EipAddress") == address
    sent = emulator.mutating_calls("AssociateEipAddress")[0]["params"]
    assert (sent["AllocationId"], sent["ClientToken"]) == ("eip-emu0005", "my-token-0005")


def test_wait_false_returns_while_associating(emulator, ansible):
    emulator.set_transition(30)
    run = ansible.module("eip_association", {"allocation_id": "eip-emu0006", "instance_id": "i-emuecs0006",
                                             "wait": False})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["status"] == "changed"
    assert run.last["result"]["association"]["status"] == "Associating"
    assert emulator.eip("eip-emu0006")["Status"] == "Associating"
    # On its way to the wanted state: a second run without waiting has nothing to do.
    again = ansible.module("eip_association", {"allocation_id": "eip-emu0006", "instance_id": "i-emuecs0006",
                                               "wait": False})
    assert again.last["status"] == "ok"
    assert len(emulator.mutating_calls()) == 1


def test_module_defaults_group_sets_shared_options(emulator, ansible):
    book = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/alicloud.network.alicloud:
      region: cn-hangzhou
  tasks:
    - name: bind
      alicloud.network.eip_association:
        allocation_id: eip-emu0007
        instance_id: i-emuecs0007
"""
    run = ansible.playbook(book, env={"ALIBABA_CLOUD_REGION_ID": None})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.task("bind")["result"]["association"]["region_id"] == "cn-hangzhou"
    assert emulator.eip("eip-emu0007")["InstanceId"] == "i-emuecs0007"


def test_busy_eip_is_waited_for_then_decided(emulator, ansible):
    """Unassociating: wait, then bind. Associating to another instance: wait, then refuse naming it."""
    emulator.set_transition(3)
    ansible.module("eip_association", {"allocation_id": "eip-emubound01", "state": "absent", "wait": False})
    assert emulator.eip("eip-emubound01")["Status"] == "Unassociating"
    run = ansible.module("eip_association", {"allocation_id": "eip-emubound01", "instance_id": "i-emuecs0008"})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["status"] == "changed"
    assert emulator.eip("eip-emubound01")["InstanceId"] == "i-emuecs0008"

    ansible.module("eip_association", {"allocation_id": "eip-emu0008", "instance_id": "i-emuecs0018",
                                       "wait": False})
    assert emulator.eip("eip-emu0008")["Status"] == "Associating"
    refused = ansible.module("eip_association", {"allocation_id": "eip-emu0008", "instance_id": "i-emuecs0028"})
    assert refused.rc != 0
    assert "i-emuecs0018" in refused.last["result"]["msg"]
    assert emulator.eip("eip-emu0008")["Status"] == "InUse"   # it was waited for, not interrupted
    assert [c["params"]["InstanceId"] for c in emulator.mutating_calls("AssociateEipAddress")] == \
        ["i-emuecs0008", "i-emuecs0018"]
