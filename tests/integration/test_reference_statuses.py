"""What the real services answer that the first emulator did not (issue 11): transient and terminal statuses,
a member removed by someone else, a member still changing. Real ansible-playbook runs."""
from __future__ import annotations

import time

from reliability_support import ActorFirst, bind_directly

HAVIP = "havip_association"
EIP = "eip_association"


def unbind_directly(emulator, havip_id, instance_id, settle):
    """Another actor unbinds a member through the API (not through the module)."""
    from ansible_collections.alicloud.network.plugins.module_utils import _endpoints
    from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, new_session
    from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials, StaticProvider
    from ansible_process import TEST_ACCESS_KEY, TEST_SECRET_KEY

    client = AlibabaClient(emulator.url, _endpoints.PRODUCTS["ens"].version,
                           StaticProvider(Credentials(TEST_ACCESS_KEY, TEST_SECRET_KEY)), session=new_session())
    client.call("UnassociateHaVip", {"HaVipId": havip_id, "InstanceId": instance_id})
    if settle:
        time.sleep(emulator.transition_seconds + 0.2)


def test_a_havip_still_creating_is_waited_for_within_wait_timeout(ansible, emulator):
    emulator.set_havip_status("havip-emuens0001", "Creating", settles_after=2)
    result = ansible.module(HAVIP, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001",
                                    "wait_timeout": 60}).last
    assert result["status"] == "changed", result
    assert result["result"]["havip"]["status"] == "InUse"
    # Waited for Available before the one call: never refused for the Creating status.
    calls = [c for c in emulator.calls if c["action"] == "AssociateHaVip"]
    assert [c["code"] for c in calls] == [None]


def test_a_deleting_havip_is_a_clear_failure_without_a_call(ansible, emulator):
    emulator.set_havip_status("havip-emuens0001", "Deleting")
    result = ansible.module(HAVIP, {"havip_id": "havip-emuens0001", "instance_id": "i-emuens0001"}).last
    assert result["status"] == "failed", result
    assert "havip-emuens0001 is Deleting" in result["result"]["msg"]
    assert emulator.mutating_calls() == []


def test_member_removed_by_someone_else_between_read_and_call_is_ok(ansible, emulator):
    bind_directly(emulator, havips=[("havip-emuens0003", "i-emuens0002")])
    ActorFirst(emulator, "UnassociateHaVip",
               lambda: unbind_directly(emulator, "havip-emuens0003", "i-emuens0003", settle=True))
    result = ansible.module(HAVIP, {"havip_id": "havip-emuens0003", "instance_id": "i-emuens0003",
                                    "state": "absent"}).last
    assert result["status"] == "ok", result
    module_calls = [c for c in emulator.calls if c["action"] == "UnassociateHaVip"]
    assert module_calls[-1]["code"] == "InstanceNotAssociated"
    assert [m["instance_id"] for m in result["result"]["havip"]["associated_instances"]] == ["i-emuens0002"]


def test_member_still_changing_is_waited_out_then_decided(ansible, emulator):
    emulator.set_transition(1.5)
    ActorFirst(emulator, "UnassociateHaVip",
               lambda: unbind_directly(emulator, "havip-emuens0003", "i-emuens0003", settle=False))
    result = ansible.module(HAVIP, {"havip_id": "havip-emuens0003", "instance_id": "i-emuens0003",
                                    "state": "absent"}).last
    assert result["status"] == "ok", result
    codes = [c["code"] for c in emulator.calls if c["action"] == "UnassociateHaVip"]
    assert "IncorrectInstanceAssociationStatus" in codes, codes
    assert result["result"]["havip"]["associated_instances"] == []


def test_a_releasing_eip_cannot_be_associated_and_a_released_one_is_not_found(ansible, emulator):
    emulator.set_eip_status("eip-emu0050", "Releasing")
    releasing = ansible.module(EIP, {"allocation_id": "eip-emu0050", "instance_id": "i-emuecs0050"}).last
    assert releasing["status"] == "failed"
    assert "eip-emu0050 is Releasing" in releasing["result"]["msg"]
    emulator.set_eip_status("eip-emu0051", "Releasing", settles_after=0.5)
    time.sleep(0.6)
    gone = ansible.module(EIP, {"allocation_id": "eip-emu0051", "instance_id": "i-emuecs0051"}).last
    assert gone["status"] == "failed" and "not found" in gone["result"]["msg"]
    assert emulator.mutating_calls() == []


def test_a_releasing_eip_is_already_unbound_for_state_absent(ansible, emulator):
    emulator.set_eip_status("eip-emu0052", "Releasing")
    result = ansible.module(EIP, {"allocation_id": "eip-emu0052", "state": "absent"}).last
    assert result["status"] == "ok", result
