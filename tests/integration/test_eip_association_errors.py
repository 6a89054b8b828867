"""alicloud.network.eip_association: failures are clear, early and leave the EIP as it was."""
from __future__ import annotations

import json

import pytest


def play(tasks):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:"]
    for name, args in tasks:
        lines.append(f"    - name: {json.dumps(name)}")
        lines.append("      alicloud.network.eip_association: " + json.dumps(args))
        lines.append("      ignore_errors: true")
    return "\n".join(lines) + "\n"


def failed(run, name):
    result = run.task(name)
    assert result["status"] == "failed", (name, result)
    return result["result"]


BAD_INPUT = [
    ("neither id nor address", {"instance_id": "i-emuecs0001"}, "one of the following is required"),
    ("both id and address", {"allocation_id": "eip-emu0001", "ip_address": "47.100.0.1",
                             "instance_id": "i-emuecs0001"}, "mutually exclusive"),
    ("present without instance", {"allocation_id": "eip-emu0001"}, "instance_id"),
    ("empty id", {"allocation_id": "", "instance_id": "i-emuecs0001"}, "allocation_id"),
    ("id with a space", {"allocation_id": "eip emu0001", "instance_id": "i-emuecs0001"}, "not a valid ID"),
    ("id far too long", {"allocation_id": "eip-" + "x" * 300, "instance_id": "i-emuecs0001"}, "not a valid ID"),
    ("unicode instance id", {"allocation_id": "eip-emu0001", "instance_id": "i-ém0001"}, "not a valid ID"),
    ("address that is not an IP", {"ip_address": "47.100.0", "instance_id": "i-emuecs0001"},
     "not a valid IP address"),
    ("unknown instance type", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                               "instance_type": "Ecs"}, "instance_type"),
    ("mode without an ENI", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001", "mode": "NAT"},
     "mode is only accepted with instance_type NetworkInterface"),
    ("IpAddress without vpc_id", {"allocation_id": "eip-emu0001", "instance_id": "10.0.6.10",
                                  "instance_type": "IpAddress"}, "vpc_id"),
    ("IpAddress that is no IP", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                                 "instance_type": "IpAddress", "vpc_id": "vpc-emu0001"}, "must be an IP address"),
    ("client token too long", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                               "client_token": "t" * 65}, "client_token"),
    ("bad private ip", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                        "private_ip_address": "10.0.1.300"}, "private_ip_address"),
    ("bad wait_timeout", {"allocation_id": "eip-emu0001", "instance_id": "i-emuecs0001",
                          "wait_timeout": "soon"}, "wait_timeout"),
]


def test_bad_input_fails_before_any_api_call(emulator, ansible):
    run = ansible.playbook(play([(name, args) for name, args, _expected in BAD_INPUT]))
    for name, _args, expected in BAD_INPUT:
        assert expected in failed(run, name)["msg"], name
    assert emulator.calls == []


def test_eip_not_found_names_the_eip_and_the_region(emulator, ansible):
    run = ansible.playbook(play([
        ("missing", {"allocation_id": "eip-emunothere", "instance_id": "i-emuecs0001"}),
        ("other region", {"allocation_id": "eip-emubeijing1", "instance_id": "i-emuecs0001"}),
        ("missing absent", {"allocation_id": "eip-emunothere", "state": "absent"}),
        ("no such address", {"ip_address": "203.0.113.7", "instance_id": "i-emuecs0001"}),
    ]))
    for name, eip in (("missing", "eip-emunothere"), ("other region", "eip-emubeijing1"),
                      ("missing absent", "eip-emunothere"), ("no such address", "203.0.113.7")):
        msg = failed(run, name)["msg"]
        assert eip in msg and "not found" in msg and "cn-hangzhou" in msg, (name, msg)
    assert emulator.mutating_calls() == []
    assert {c["action"] for c in emulator.calls} == {"DescribeEipAddresses"}


@pytest.mark.parametrize("eip_id, args, code, words", [
    ("eip-emu0031", {"instance_id": "i-emunothere"}, "InvalidInstanId.NotFound", "check instance_id"),
    ("eip-emu0032", {"instance_id": "i-emubj0001"}, "InvalidParameter.Mismatch", "different regions"),
])
def test_api_refusal_reaches_the_user_with_code_and_hint(emulator, ansible, eip_id, args, code, words):
    run = ansible.module("eip_association", dict(allocation_id=eip_id, **args))
    assert run.rc != 0
    result = run.last["result"]
    assert code in result["msg"] and "AssociateEipAddress" in result["msg"] and words in result["msg"]
    assert result["error"]["code"] == code
    assert result["error"]["request_id"] and result["error"]["request_id"] in result["msg"]
    assert emulator.eip(eip_id)["Status"] == "Available"
    assert emulator.mutating_calls() == []


def test_instance_type_contradicting_the_id_fails_before_any_call(emulator, ansible):
    """Asked to move an EIP to a NAT gateway with the default EcsInstance type, the module used to unbind the EIP
    before the API refused the type. An ID whose well-known prefix contradicts instance_type now fails first."""
    run = ansible.module("eip_association", {"allocation_id": "eip-emubound01", "instance_id": "ngw-emunat0002",
                                             "allow_reassociation": True})
    assert run.rc != 0
    msg = run.last["result"]["msg"]
    assert "ngw-emunat0002" in msg and "Nat" in msg and "EcsInstance" in msg, msg
    assert emulator.calls == []
    assert emulator.eip("eip-emubound01")["InstanceId"] == "i-emuecsbound1"


def test_eip_in_a_status_that_cannot_be_associated(emulator, ansible):
    run = ansible.playbook(play([
        ("releasing", {"allocation_id": "eip-emureleasing", "instance_id": "i-emuecs0001"}),
        ("locked", {"allocation_id": "eip-emulocked01", "instance_id": "i-emuecs0001"}),
    ]))
    releasing = failed(run, "releasing")
    assert "eip-emureleasing" in releasing["msg"] and "Releasing" in releasing["msg"]
    locked = failed(run, "locked")
    assert "eip-emulocked01" in locked["msg"] and "locked" in locked["msg"] and "financial" in locked["msg"]
    assert emulator.mutating_calls() == []
    assert [c["action"] for c in emulator.calls] == ["DescribeEipAddresses"] * 2


def test_wait_timeout_names_the_last_state(emulator, ansible):
    emulator.set_transition(30)
    run = ansible.module("eip_association", {"allocation_id": "eip-emu0034", "instance_id": "i-emuecs0034",
                                             "wait_timeout": 1})
    assert run.rc != 0
    result = run.last["result"]
    assert "Timed out" in result["msg"] and "Associating" in result["msg"] and "i-emuecs0034" in result["msg"]
    assert result["association"]["status"] == "Associating"
    # The change was made: its request id is reported so it can be traced.
    assert result["request_ids"] == [emulator.mutating_calls()[0]["request_id"]]


def test_busy_answer_is_read_again_and_converges(emulator, ansible):
    emulator.faults.add("task_conflict", action="AssociateEipAddress", count=2)
    run = ansible.module("eip_association", {"allocation_id": "eip-emu0035", "instance_id": "i-emuecs0035"})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["status"] == "changed"
    assert [c.get("code") for c in emulator.calls if c["action"] == "AssociateEipAddress"] == \
        ["TaskConflict", "TaskConflict", None]
    assert len(emulator.mutating_calls()) == 1
    assert emulator.eip("eip-emu0035")["InstanceId"] == "i-emuecs0035"


def test_eip_busy_with_the_same_association_is_waited_for_not_repeated(emulator, ansible):
    # Another actor started the same association: the module waits and reports ok.
    emulator.set_transition(3)
    first = ansible.module("eip_association", {"allocation_id": "eip-emu0036", "instance_id": "i-emuecs0036",
                                               "wait": False})
    assert first.last["result"]["association"]["status"] == "Associating"
    run = ansible.module("eip_association", {"allocation_id": "eip-emu0036", "instance_id": "i-emuecs0036"})
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["status"] == "ok"
    assert run.last["result"]["association"]["status"] == "InUse"
    assert len(emulator.mutating_calls()) == 1


def test_instance_already_holding_another_eip_is_reported(emulator, ansible):
    assert ansible.module("eip_association", {"allocation_id": "eip-emu0037",
                                              "instance_id": "i-emuecs0037"}).last["status"] == "changed"
    run = ansible.module("eip_association", {"allocation_id": "eip-emu0038", "instance_id": "i-emuecs0037"})
    assert run.rc != 0
    result = run.last["result"]
    assert "InvalidAssociation.Duplicated" in result["msg"]
    assert "already has EIP eip-emu0037; disassociate it first" in result["msg"]
    assert emulator.eip("eip-emu0038")["Status"] == "Available"


def test_already_associated_answer_with_a_stale_read_reports_the_truth(emulator, ansible):
    """Describe lags behind a change (eventual consistency): the module reads "Available", the API answers
    InvalidAssociation.Duplicated; the module waits for the read to catch up and reports ok, without failing."""
    emulator.faults.add("stale", action="AssociateEipAddress", seconds=4)
    args = {"allocation_id": "eip-emu0039", "instance_id": "i-emuecs0039"}
    first = ansible.module("eip_association", dict(args, wait=False))
    assert first.last["status"] == "changed"
    run = ansible.module("eip_association", args)
    assert run.rc == 0, run.stdout + run.stderr
    assert run.last["status"] == "ok"
    assert run.last["result"]["association"]["instance_id"] == "i-emuecs0039"
    assert len(emulator.mutating_calls()) == 1
