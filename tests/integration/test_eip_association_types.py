"""alicloud.network.eip_association: every instance type with the options it needs, and reassociation."""
from __future__ import annotations

import json

# (task name, EIP, module options) — one EIP per instance type.
TYPED = [
    ("ecs", "eip-emu0011", {"instance_id": "i-emuecs0011"}),
    ("slb", "eip-emu0012", {"instance_id": "lb-emuclb0001", "instance_type": "SlbInstance"}),
    ("nat", "eip-emu0013", {"instance_id": "ngw-emunat0001", "instance_type": "Nat"}),
    ("eni", "eip-emu0014", {"instance_id": "eni-emueni0001", "instance_type": "NetworkInterface",
                            "mode": "MULTI_BINDED", "private_ip_address": "10.0.4.11"}),
    ("havip", "eip-emu0015", {"instance_id": "havip-emuvpc0001", "instance_type": "HaVip"}),
    ("ip", "eip-emu0016", {"instance_id": "10.0.6.10", "instance_type": "IpAddress", "vpc_id": "vpc-emu0001"}),
]


def play(tasks, ignore_errors=False):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:"]
    for name, args in tasks:
        lines.append(f"    - name: {name}")
        lines.append("      alicloud.network.eip_association: " + json.dumps(args))
        if ignore_errors:
            lines.append("      ignore_errors: true")
    return "\n".join(lines) + "\n"


def test_every_instance_type_binds_and_stays_bound(emulator, ansible):
    book = play([(name, dict(allocation_id=eip, **opts)) for name, eip, opts in TYPED])
    first = ansible.playbook(book)
    assert first.rc == 0, first.stdout + first.stderr
    for name, eip_id, opts in TYPED:
        assert first.task(name)["status"] == "changed", name
        eip = emulator.eip(eip_id)
        expected_type = opts.get("instance_type", "EcsInstance")
        assert (eip["Status"], eip["InstanceId"], eip["InstanceType"]) == \
            ("InUse", opts["instance_id"], expected_type), name
        sent = [c["params"] for c in emulator.mutating_calls("AssociateEipAddress")
                if c["params"]["AllocationId"] == eip_id]
        assert len(sent) == 1 and sent[0]["InstanceType"] == expected_type, name
    eni = emulator.eip("eip-emu0014")
    assert (eni["Mode"], eni["PrivateIpAddress"]) == ("MULTI_BINDED", "10.0.4.11")
    assert first.task("eni")["result"]["association"]["mode"] == "MULTI_BINDED"
    ip_call = [c for c in emulator.mutating_calls("AssociateEipAddress")
               if c["params"]["AllocationId"] == "eip-emu0016"][0]
    assert ip_call["params"]["VpcId"] == "vpc-emu0001"

    seen = len(emulator.calls)
    second = ansible.playbook(book)
    assert second.rc == 0, second.stdout + second.stderr
    assert [second.task(name)["status"] for name, _eip, _opts in TYPED] == ["ok"] * len(TYPED)
    assert [c["action"] for c in emulator.calls[seen:]] == ["DescribeEipAddresses"] * len(TYPED)


def test_same_instance_other_mode_counts_as_bound_elsewhere(emulator, ansible):
    base = {"allocation_id": "eip-emu0017", "instance_id": "eni-emueni0001", "instance_type": "NetworkInterface",
            "mode": "MULTI_BINDED", "private_ip_address": "10.0.4.12"}
    assert ansible.module("eip_association", base).last["status"] == "changed"
    other_mode = dict(base, mode="NAT")
    run = ansible.module("eip_association", other_mode)
    assert run.rc != 0
    msg = run.last["result"]["msg"]
    assert "eni-emueni0001" in msg and "MULTI_BINDED" in msg and "allow_reassociation" in msg
    assert len(emulator.mutating_calls()) == 1


def test_reassociation_refused_then_allowed(emulator, ansible):
    # eip-emubound01 is seeded InUse on i-emuecsbound1.
    wanted = {"allocation_id": "eip-emubound01", "instance_id": "i-emuecs0020"}
    refused = ansible.module("eip_association", wanted)
    assert refused.rc != 0
    result = refused.last["result"]
    assert "i-emuecsbound1" in result["msg"] and "EcsInstance" in result["msg"]
    assert "allow_reassociation" in result["msg"]
    assert emulator.mutating_calls() == []

    preview = ansible.module("eip_association", dict(wanted, allow_reassociation=True), check=True, diff=True)
    assert preview.last["status"] == "changed"
    assert preview.last["result"]["diff"]["before"]["instance_id"] == "i-emuecsbound1"
    assert preview.last["result"]["diff"]["after"]["instance_id"] == "i-emuecs0020"
    assert emulator.mutating_calls() == []

    moved = ansible.module("eip_association", dict(wanted, allow_reassociation=True), diff=True)
    assert moved.rc == 0, moved.stdout + moved.stderr
    assert moved.last["status"] == "changed"
    diff = moved.last["result"]["diff"]
    assert (diff["before"]["instance_id"], diff["before"]["status"]) == ("i-emuecsbound1", "InUse")
    assert (diff["after"]["instance_id"], diff["after"]["status"]) == ("i-emuecs0020", "InUse")
    eip = emulator.eip("eip-emubound01")
    assert (eip["Status"], eip["InstanceId"]) == ("InUse", "i-emuecs0020")
    assert [c["action"] for c in emulator.mutating_calls()] == ["UnassociateEipAddress", "AssociateEipAddress"]
    unbind = emulator.mutating_calls("UnassociateEipAddress")[0]["params"]
    assert (unbind["InstanceId"], unbind["InstanceType"]) == ("i-emuecsbound1", "EcsInstance")
    assert len(moved.last["result"]["request_ids"]) == 2


def test_reassociation_unbinds_with_the_current_owners_type(emulator, ansible):
    # Bound to a NAT gateway; moved to an ECS instance: the unbind must name the NAT gateway as a Nat.
    on_nat = {"allocation_id": "eip-emu0021", "instance_id": "ngw-emunat0001", "instance_type": "Nat"}
    assert ansible.module("eip_association", on_nat).last["status"] == "changed"
    moved = ansible.module("eip_association", {"allocation_id": "eip-emu0021", "instance_id": "i-emuecs0021",
                                               "allow_reassociation": True, "force": True})
    assert moved.rc == 0, moved.stdout + moved.stderr
    unbind = emulator.mutating_calls("UnassociateEipAddress")[0]["params"]
    assert (unbind["InstanceId"], unbind["InstanceType"]) == ("ngw-emunat0001", "Nat")
    assert unbind.get("Force") in ("True", "true")
    eip = emulator.eip("eip-emu0021")
    assert (eip["InstanceId"], eip["InstanceType"]) == ("i-emuecs0021", "EcsInstance")


def test_failed_reassociation_puts_the_eip_back(emulator, ansible):
    """Unbound from its owner, then the new instance is refused: the EIP goes back, never left half-done."""
    run = ansible.module("eip_association", {"allocation_id": "eip-emubound01", "instance_id": "i-emunothere",
                                             "allow_reassociation": True})
    assert run.rc != 0
    msg = run.last["result"]["msg"]
    assert "InvalidInstanId.NotFound" in msg
    assert "disassociated from EcsInstance i-emuecsbound1" in msg and "associated with it again" in msg
    assert [(c["action"], c["params"]["InstanceId"]) for c in emulator.mutating_calls()] == [
        ("UnassociateEipAddress", "i-emuecsbound1"), ("AssociateEipAddress", "i-emuecsbound1")]
    assert emulator.eip("eip-emubound01")["InstanceId"] == "i-emuecsbound1"
