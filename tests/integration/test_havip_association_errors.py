"""alicloud.network.havip_association: preconditions, not found, bad input and wait timeout reach the user clearly.

Seed: havip-emuens0004 is Creating, havip-emuens0005 on vsw-emuens02; i-emuens0005 Stopped, i-emuens0006 on
vsw-emuens02, i-emuens0007 Starting; eni-emuens0003 on vsw-emuens02.
"""
from __future__ import annotations

MODULE = "havip_association"


def test_documented_preconditions_fail_with_code_and_hint(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: other vswitch
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0006
      ignore_errors: true
    - name: eni on other vswitch
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: eni-emuens0003
        instance_type: NetworkInterface
      ignore_errors: true
    - name: instance starting
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0007
      ignore_errors: true
    - name: havip missing
      alicloud.network.havip_association:
        havip_id: havip-emuens9999
        instance_id: i-emuens0001
      ignore_errors: true
    - name: instance missing
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens9999
      ignore_errors: true
    - name: eni given as instance
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: eni-emuens0001
      ignore_errors: true
    - name: stopped instance is fine
      alicloud.network.havip_association:
        havip_id: havip-emuens0002
        instance_id: i-emuens0005
"""
    run = ansible.playbook(playbook)
    assert run.rc == 0, run.stdout + run.stderr

    def failure(task, code, *fragments):
        result = run.task(task)
        assert result["status"] == "failed", result
        msg = result["result"]["msg"]
        assert code in msg and "Hint:" in msg, msg
        for fragment in fragments:
            assert fragment in msg, msg
        return result["result"]

    vswitch = failure("other vswitch", "IncorrectInstanceVSwitch", "i-emuens0006", "vsw-emuens01")
    assert vswitch["error"]["code"] == "IncorrectInstanceVSwitch"
    assert vswitch["error"]["request_id"]
    failure("eni on other vswitch", "IncorrectInstanceVSwitch", "eni-emuens0003")
    failure("instance starting", "IncorrectInstanceStatus", "i-emuens0007", "Running or Stopped")
    failure("havip missing", "HaVipNotFound", "havip-emuens9999")
    failure("instance missing", "InstanceNotFound", "i-emuens9999")
    failure("eni given as instance", "InstanceNotFound", "NetworkInterface")
    assert run.task("stopped instance is fine")["status"] == "changed"

    # Only the last task changed anything; the refused ones were not retried blindly.
    assert [c["params"]["InstanceId"] for c in emulator.mutating_calls()] == ["i-emuens0005"]
    refused = [c for c in emulator.calls if c["action"] == "AssociateHaVip" and c["http_status"] != 200]
    assert len(refused) == 5
    assert emulator.havip("havip-emuens0001")["AssociatedInstances"] == []


def test_bad_input_fails_before_any_call(ansible, emulator):
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: both instance options
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0001
        instance_ids: [i-emuens0002]
      ignore_errors: true
    - name: no instance
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
      ignore_errors: true
    - name: empty list
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_ids: []
      ignore_errors: true
    - name: unknown type
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0001
        instance_type: EcsInstance
      ignore_errors: true
    - name: exclusive absent
      alicloud.network.havip_association:
        havip_id: havip-emuens0001
        instance_id: i-emuens0001
        state: absent
        exclusive: true
      ignore_errors: true
    - name: no havip
      alicloud.network.havip_association:
        instance_id: i-emuens0001
      ignore_errors: true
"""
    run = ansible.playbook(playbook)
    assert run.rc == 0, run.stdout + run.stderr
    expected = {
        "both instance options": "mutually exclusive",
        "no instance": "instance_id, instance_ids",
        "empty list": "at least one instance",
        "unknown type": "EnsInstance, NetworkInterface",
        "exclusive absent": "exclusive applies only to state=present",
        "no havip": "havip_id",
    }
    for task, fragment in expected.items():
        result = run.task(task)
        assert result["status"] == "failed", result
        assert fragment in result["result"]["msg"], (task, result["result"]["msg"])
    assert emulator.calls == []


def test_no_region_needed_for_ens(ansible, emulator):
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"},
                            env={"ALIBABA_CLOUD_REGION_ID": None}).last
    assert result["status"] == "changed", result


def test_wait_timeout_names_the_last_state(ansible, emulator):
    emulator.set_transition(30)
    result = ansible.module(MODULE, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001",
                                     "wait_timeout": 1}).last
    assert result["status"] == "failed", result
    msg = result["result"]["msg"]
    assert "Timed out after 1s" in msg, msg
    assert "i-emuens0001" in msg and "Associating" in msg, msg
    # The association was asked for once and is on its way: the request id is reported.
    assert len(emulator.mutating_calls("AssociateHaVip")) == 1
    assert result["result"]["request_ids"] == [emulator.mutating_calls()[0]["request_id"]]
    assert result["result"]["havip"]["status"] == "Associating"


def test_limit_reached_is_reported(ansible, emulator):
    # The seed allows 5 instances on one HAVIP; the sixth is refused with the documented code.
    ids = ["i-emuensb%03d" % n for n in range(1, 7)]
    result = ansible.module(MODULE, {"havip_id": "havip-emuensb001", "instance_ids": ids}).last
    assert result["status"] == "failed", result
    assert "CountLimitExceed.InstanceOnHaVip" in result["result"]["msg"]
    assert "exclusive" in result["result"]["msg"]     # the hint says how to make room
    assert len(emulator.mutating_calls("AssociateHaVip")) == 5
    assert len(result["result"]["request_ids"]) == 5
