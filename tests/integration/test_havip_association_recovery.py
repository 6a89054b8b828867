"""alicloud.network.havip_association when the HAVIP is busy or the API misbehaves: re-read, settle, decide again."""
from __future__ import annotations

MODULE = "havip_association"


def test_busy_havip_is_waited_for_before_the_next_change(ansible, emulator):
    # The first task leaves the HAVIP Associating for 2 s; the second must not be refused for it.
    emulator.set_transition(2)
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: start binding
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0001
        wait: false
    - name: bind the peer
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0002
"""
    run = ansible.playbook(playbook)
    assert run.rc == 0, run.stdout + run.stderr
    assert run.task("start binding")["status"] == "changed"
    peer = run.task("bind the peer")
    assert peer["status"] == "changed"
    assert {m["instance_id"]: m["status"] for m in peer["result"]["havip"]["associated_instances"]} == {
        "i-emuens0001": "InUse", "i-emuens0002": "InUse"}
    assert len(emulator.mutating_calls("AssociateHaVip")) == 2


def test_conflict_is_tried_again(ansible, emulator):
    emulator.faults.add("task_conflict", action="AssociateHaVip", count=1)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"}).last
    assert result["status"] == "changed", result
    codes = [c["code"] for c in emulator.calls if c["action"] == "AssociateHaVip"]
    assert codes[0] == "TaskConflict" and len(codes) == 2
    assert len(emulator.mutating_calls("AssociateHaVip")) == 1


def test_lost_answer_is_not_resent_when_the_change_happened(ansible, emulator):
    # The association is made but the connection drops before the answer: the module must read the truth
    # instead of binding again (which ENS would refuse with InstanceAlreadyAssociated).
    emulator.faults.add("drop", action="AssociateHaVip", count=1, after=True)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"}).last
    assert result["status"] == "changed", result
    assert [m["instance_id"] for m in result["result"]["havip"]["associated_instances"]] == ["i-emuens0001"]
    assert len([c for c in emulator.calls if c["action"] == "AssociateHaVip"]) == 1


def test_stale_reads_do_not_fool_the_wait(ansible, emulator):
    # Describe keeps showing the state from before each change for a while: the module keeps reading,
    # and does not send the second association while the first is not visible yet.
    emulator.faults.add("stale", action="AssociateHaVip", count=2, seconds=1)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001",
                                     "instance_ids": ["i-emuens0001", "i-emuens0002"]}).last
    assert result["status"] == "changed", result
    assert {m["instance_id"] for m in result["result"]["havip"]["associated_instances"]} == {
        "i-emuens0001", "i-emuens0002"}
    assert not [c for c in emulator.calls if c["action"] == "AssociateHaVip" and c["http_status"] != 200]


def test_lost_answer_to_an_unbind(ansible, emulator):
    emulator.faults.add("drop", action="UnassociateHaVip", count=1, after=True)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0003", "instance_id": "i-emuens0003",
                                     "state": "absent"}).last
    assert result["status"] == "changed", result
    assert result["result"]["havip"]["associated_instances"] == []
    assert len([c for c in emulator.calls if c["action"] == "UnassociateHaVip"]) == 1
    assert emulator.havip("havip-emuens0003")["Status"] == "Available"
