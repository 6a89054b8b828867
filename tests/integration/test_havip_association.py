"""alicloud.network.havip_association against the emulator: the decision, idempotence, check and diff mode.

Seed (tests/emulator/data/seed.json): havip-emuens0001/0002 Available on vsw-emuens01, havip-emuens0003 InUse
with i-emuens0003; i-emuens0001..0004 Running on vsw-emuens01.
"""
from __future__ import annotations

MODULE = "havip_association"
MUTATING = ("AssociateHaVip", "UnassociateHaVip")


def members(emulator, havip_id):
    """{instance_id: (instance_type, status)} as the emulator holds it."""
    return {m["InstanceId"]: (m["InstanceType"], m["Status"])
            for m in emulator.havip(havip_id)["AssociatedInstances"]}


def actions_since(emulator, start):
    return [c["action"] for c in emulator.calls[start:]]


def test_first_run_associates_second_run_changes_nothing(ansible, emulator):
    args = {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"}

    first = ansible.module(MODULE, args).last
    assert first["status"] == "changed", first
    havip = first["result"]["havip"]
    assert havip["havip_id"] == "havip-emuens0001"
    assert havip["ip_address"] == "10.10.0.101"
    assert havip["status"] == "InUse"
    assert havip["vswitch_id"] == "vsw-emuens01"
    assert havip["ens_region_id"] == "cn-beijing-cmcc"
    assert havip["associated_instances"] == [
        {"instance_id": "i-emuens0001", "instance_type": "EnsInstance", "status": "InUse"}]
    assert members(emulator, "havip-emuens0001") == {"i-emuens0001": ("EnsInstance", "InUse")}
    associate_calls = emulator.mutating_calls("AssociateHaVip")
    assert len(associate_calls) == 1
    assert associate_calls[0]["params"]["InstanceType"] == "EnsInstance"
    # ENS takes no RegionId: the endpoint is global.
    assert "RegionId" not in associate_calls[0]["params"]
    assert first["result"]["request_ids"] == [associate_calls[0]["request_id"]]
    # Sent the way the official ENS SDK sends them: DescribeHaVips as GET, changes as POST.
    assert {(c["action"], c["method"]) for c in emulator.calls} == {("DescribeHaVips", "GET"),
                                                                    ("AssociateHaVip", "POST")}

    start = len(emulator.calls)
    second = ansible.module(MODULE, args).last
    assert second["status"] == "ok", second
    assert second["result"]["request_ids"] == []
    assert set(actions_since(emulator, start)) == {"DescribeHaVips"}
    assert len(emulator.mutating_calls()) == 1


def test_check_mode_predicts_and_changes_nothing(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: bind a second member
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_id: i-emuens0002
    - name: exclusive pair
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_ids: [i-emuens0001, i-emuens0002]
        exclusive: true
    - name: unbind the member
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_id: i-emuens0003
        state: absent
    - name: already bound
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_id: i-emuens0003
"""
    run = ansible.playbook(playbook, check=True, diff=True)
    assert run.rc == 0, run.stdout + run.stderr

    second = run.task("bind a second member")
    assert second["status"] == "changed"
    assert second["result"]["diff"]["before"]["associated_instances"] == {"i-emuens0003": "EnsInstance"}
    assert second["result"]["diff"]["after"]["associated_instances"] == {
        "i-emuens0002": "EnsInstance", "i-emuens0003": "EnsInstance"}
    # Check mode reports the HAVIP as it would be (the predicted state, as eip_association does).
    assert [m["instance_id"] for m in second["result"]["havip"]["associated_instances"]] == [
        "i-emuens0003", "i-emuens0002"]

    pair = run.task("exclusive pair")
    assert pair["status"] == "changed"
    assert pair["result"]["diff"]["after"]["associated_instances"] == {
        "i-emuens0001": "EnsInstance", "i-emuens0002": "EnsInstance"}

    unbind = run.task("unbind the member")
    assert unbind["status"] == "changed"
    assert unbind["result"]["diff"]["after"]["associated_instances"] == {}

    assert run.task("already bound")["status"] == "ok"
    assert "--- before" in run.stdout and "+++ after" in run.stdout

    assert emulator.mutating_calls() == []
    assert set(c["action"] for c in emulator.calls) == {"DescribeHaVips"}
    assert members(emulator, "havip-emuens0003") == {"i-emuens0003": ("EnsInstance", "InUse")}


def test_diff_of_a_real_change(ansible, emulator):
    run = ansible.module(MODULE, {"havip_id": "havip-emuens0003", "instance_id": "i-emuens0004"}, diff=True)
    result = run.last
    assert result["status"] == "changed", result
    assert result["result"]["diff"] == {
        "before": {"havip_id": "havip-emuens0003", "associated_instances": {"i-emuens0003": "EnsInstance"}},
        "after": {"havip_id": "havip-emuens0003",
                  "associated_instances": {"i-emuens0003": "EnsInstance", "i-emuens0004": "EnsInstance"}},
    }
    assert set(members(emulator, "havip-emuens0003")) == {"i-emuens0003", "i-emuens0004"}


def test_pair_then_a_third_member_keeps_the_others(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: pair
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_ids: [i-emuens0001, i-emuens0002, i-emuens0001]
    - name: third member
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0004
    - name: pair again
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_ids: [i-emuens0002, i-emuens0001]
"""
    run = ansible.playbook(playbook)
    assert run.rc == 0, run.stdout + run.stderr

    pair = run.task("pair")
    assert pair["status"] == "changed"
    assert {m["instance_id"] for m in pair["result"]["havip"]["associated_instances"]} == {
        "i-emuens0001", "i-emuens0002"}
    assert len(pair["result"]["request_ids"]) == 2     # the duplicate ID is bound once
    assert run.task("third member")["status"] == "changed"
    assert run.task("pair again")["status"] == "ok"

    assert members(emulator, "havip-emuens0001") == {
        "i-emuens0001": ("EnsInstance", "InUse"),
        "i-emuens0002": ("EnsInstance", "InUse"),
        "i-emuens0004": ("EnsInstance", "InUse"),
    }
    # Serialised: each association waited for, so the HAVIP never refused one as busy.
    assert [c["action"] for c in emulator.mutating_calls()] == ["AssociateHaVip"] * 3
    assert not [c for c in emulator.calls if c["action"] in MUTATING and c["http_status"] != 200]
    assert emulator.havip("havip-emuens0001")["Status"] == "InUse"


def test_exclusive_unbinds_the_stranger_after_binding_the_pair(ansible, emulator):
    run = ansible.module(MODULE, {"havip_id": "havip-emuens0003", "instance_ids": ["i-emuens0001", "i-emuens0002"],
                                  "exclusive": True}, diff=True)
    result = run.last
    assert result["status"] == "changed", result
    assert result["result"]["diff"]["before"]["associated_instances"] == {"i-emuens0003": "EnsInstance"}
    assert result["result"]["diff"]["after"]["associated_instances"] == {
        "i-emuens0001": "EnsInstance", "i-emuens0002": "EnsInstance"}
    assert members(emulator, "havip-emuens0003") == {
        "i-emuens0001": ("EnsInstance", "InUse"), "i-emuens0002": ("EnsInstance", "InUse")}
    calls = [(c["action"], c["params"]["InstanceId"]) for c in emulator.mutating_calls()]
    # Additions first, so the address is never left without a holder.
    assert calls == [("AssociateHaVip", "i-emuens0001"), ("AssociateHaVip", "i-emuens0002"),
                     ("UnassociateHaVip", "i-emuens0003")]
    assert len(result["result"]["request_ids"]) == 3


def test_absent(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: unbind
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_id: i-emuens0003
        state: absent
    - name: unbind again
      alicloud.network.havip_association:
        havip_id: havip-emuens0003
        instance_id: i-emuens0003
        state: absent
    - name: never bound
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_ids: [i-emuens0001, i-emuens0002]
        state: absent
"""
    run = ansible.playbook(playbook)
    assert run.rc == 0, run.stdout + run.stderr
    unbind = run.task("unbind")
    assert unbind["status"] == "changed"
    assert unbind["result"]["havip"]["associated_instances"] == []
    assert unbind["result"]["havip"]["status"] == "Available"
    assert run.task("unbind again")["status"] == "ok"
    assert run.task("never bound")["status"] == "ok"
    assert [c["action"] for c in emulator.mutating_calls()] == ["UnassociateHaVip"]
    assert emulator.havip("havip-emuens0003")["AssociatedInstances"] == []


def test_absent_without_instances_unbinds_every_member(ansible, emulator):
    bind = ansible.module(MODULE, {"havip_id": "havip-emuens0003", "instance_id": "i-emuens0001"}).last
    assert bind["status"] == "changed", bind
    run = ansible.module(MODULE, {"havip_id": "havip-emuens0003", "state": "absent"}, diff=True)
    result = run.last
    assert result["status"] == "changed", result
    assert result["result"]["diff"]["after"]["associated_instances"] == {}
    assert emulator.havip("havip-emuens0003")["AssociatedInstances"] == []
    assert sorted(c["params"]["InstanceId"] for c in emulator.mutating_calls("UnassociateHaVip")) == [
        "i-emuens0001", "i-emuens0003"]


def test_network_interface(ansible, emulator):
    args = {"havip_id": "havip-emuens0002", "instance_id": "eni-emuens0001", "instance_type": "NetworkInterface"}
    first = ansible.module(MODULE, args).last
    assert first["status"] == "changed", first
    assert first["result"]["havip"]["associated_instances"] == [
        {"instance_id": "eni-emuens0001", "instance_type": "NetworkInterface", "status": "InUse"}]
    assert emulator.mutating_calls("AssociateHaVip")[0]["params"]["InstanceType"] == "NetworkInterface"
    assert ansible.module(MODULE, args).last["status"] == "ok"


def test_wait_false_returns_while_associating(ansible, emulator):
    emulator.set_transition(3)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001",
                                     "wait": False}).last
    assert result["status"] == "changed", result
    assert result["result"]["havip"]["status"] == "Associating"
    assert result["result"]["havip"]["associated_instances"][0]["status"] == "Associating"
