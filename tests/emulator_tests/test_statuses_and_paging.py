"""Documented statuses that pass by themselves (Creating, Deleting, Releasing), comma lists and paging.

Driven by the official SDKs; time moves only through the manual clock (no sleeps).
"""
import json
import urllib.request

import pytest
from alibabacloud_ens20171110 import models as em
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as vm

from emulator import Emulator
from sdk_support import TRANSITION


def havips(ens, **kwargs):
    return ens.describe_ha_vips(em.DescribeHaVipsRequest(**kwargs)).body


def eips(vpc, **kwargs):
    return vpc.describe_eip_addresses(vm.DescribeEipAddressesRequest(region_id="cn-hangzhou", **kwargs)).body


def error_of(thunk):
    with pytest.raises(ClientException) as caught:
        thunk()
    return caught.value


def associate_havip(ens, havip="havip-emuens0001", instance="i-emuens0001"):
    return ens.associate_ha_vip(em.AssociateHaVipRequest(ha_vip_id=havip, instance_id=instance))


def unassociate_havip(ens, havip="havip-emuens0003", instance="i-emuens0003"):
    return ens.unassociate_ha_vip(em.UnassociateHaVipRequest(ha_vip_id=havip, instance_id=instance))


# ---- HAVIP: Creating -> Available, Deleting -> gone ----------------------------------------------
def test_creating_havip_becomes_available_then_takes_members(emu, ens, clock):
    emu.set_havip_status("havip-emuens0001", "Creating", settles_after=20)
    assert havips(ens, ha_vip_id="havip-emuens0001").ha_vips[0].status == "Creating"
    assert error_of(lambda: associate_havip(ens)).code == "IncorrectHaVipStatus"
    clock.advance(19.9)
    assert havips(ens, status="Creating", ha_vip_id="havip-emuens0001").total_count == 1
    clock.advance(0.2)
    assert havips(ens, ha_vip_id="havip-emuens0001").ha_vips[0].status == "Available"
    associate_havip(ens)
    clock.advance(TRANSITION)
    assert emu.havip("havip-emuens0001")["Status"] == "InUse"


def test_creating_without_a_time_stays(emu, ens, clock):
    clock.advance(10 ** 6)
    assert havips(ens, ha_vip_id="havip-emuens0004").ha_vips[0].status == "Creating"  # the seed's fixture


def test_deleting_havip_disappears(emu, ens, clock):
    emu.set_havip_status("havip-emuens0003", "Deleting", settles_after=5)
    assert havips(ens, ha_vip_id="havip-emuens0003").ha_vips[0].status == "Deleting"
    assert error_of(lambda: associate_havip(ens, "havip-emuens0003", "i-emuens0002")).code == \
        "IncorrectHaVipStatus"
    assert error_of(lambda: unassociate_havip(ens)).code == "IncorrectInstanceAssociationStatus"
    clock.advance(5)
    assert havips(ens, ha_vip_id="havip-emuens0003").total_count == 0
    assert emu.havip("havip-emuens0003") is None
    assert error_of(lambda: unassociate_havip(ens)).code == "HaVipNotFound"


def test_set_status_refuses_undocumented_statuses(emu):
    with pytest.raises(ValueError):
        emu.set_havip_status("havip-emuens0001", "Pending")
    with pytest.raises(ValueError):
        emu.set_eip_status("eip-emu0001", "Creating")
    with pytest.raises(KeyError):
        emu.set_havip_status("havip-nope", "Creating")


def test_status_control_over_http(emu, ens, clock):
    request = urllib.request.Request(emu.url + "/_emulator/status", method="POST", data=json.dumps(
        {"kind": "havip", "id": "havip-emuens0002", "status": "Creating", "settles_after": 3}).encode())
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    assert emu.havip("havip-emuens0002")["Status"] == "Creating"
    clock.advance(3)
    assert havips(ens, ha_vip_id="havip-emuens0002").ha_vips[0].status == "Available"
    bad = urllib.request.Request(emu.url + "/_emulator/status", method="POST", data=json.dumps(
        {"kind": "havip", "id": "havip-emuens0002", "status": "Broken"}).encode())
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(bad, timeout=5)
    assert caught.value.code == 400


def test_seed_settles_after(clock):
    seed = {"ens": {"havips": [{"HaVipId": "havip-seeded", "IpAddress": "10.9.0.1", "EnsRegionId": "cn-x",
                                "VSwitchId": "vsw-x", "Status": "Creating", "settles_after": 2}]}}
    emu = Emulator(seed=seed, clock=clock)
    assert emu.havip("havip-seeded")["Status"] == "Creating"
    clock.advance(2)
    assert emu.havip("havip-seeded")["Status"] == "Available"


# ---- HAVIP members: per-member busy and not-associated ----------------------------------------------
def test_unassociate_while_the_member_moves_is_busy_then_works(emu, ens, clock):
    associate_havip(ens)
    assert error_of(lambda: unassociate_havip(ens, "havip-emuens0001", "i-emuens0001")).code == \
        "IncorrectInstanceAssociationStatus"
    clock.advance(TRANSITION)
    unassociate_havip(ens, "havip-emuens0001", "i-emuens0001")
    assert error_of(lambda: unassociate_havip(ens, "havip-emuens0001", "i-emuens0001")).code == \
        "IncorrectInstanceAssociationStatus"
    clock.advance(TRANSITION)
    assert error_of(lambda: unassociate_havip(ens, "havip-emuens0001", "i-emuens0001")).code == \
        "InstanceNotAssociated"
    assert len(emu.mutating_calls("UnassociateHaVip")) == 1


def test_unassociate_one_member_while_another_moves(emu, ens, clock):
    associate_havip(ens, "havip-emuens0003", "i-emuens0002")  # the HAVIP is now Associating
    assert emu.havip("havip-emuens0003")["Status"] == "Associating"
    unassociate_havip(ens)  # i-emuens0003's own association is InUse: allowed
    clock.advance(TRANSITION)
    members = emu.havip("havip-emuens0003")["AssociatedInstances"]
    assert [(m["InstanceId"], m["Status"]) for m in members] == [("i-emuens0002", "InUse")]


# ---- EIP: Releasing -> gone ----------------------------------------------------------------------
def test_releasing_eip_disappears(emu, vpc, clock):
    emu.set_eip_status("eip-emu0005", "Releasing", settles_after=4)
    assert eips(vpc, allocation_id="eip-emu0005").eip_addresses.eip_address[0].status == "Releasing"
    err = error_of(lambda: vpc.associate_eip_address(vm.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0005", instance_id="i-emuecs0005")))
    assert err.code == "IncorrectEipStatus"
    clock.advance(4)
    assert eips(vpc, allocation_id="eip-emu0005").total_count == 0
    err = error_of(lambda: vpc.associate_eip_address(vm.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0005", instance_id="i-emuecs0005")))
    assert (err.status_code, err.code) == (404, "InvalidAllocationId.NotFound")


def test_seeded_releasing_eip_stays_without_a_time(emu, vpc, clock):
    clock.advance(10 ** 6)
    assert eips(vpc, status="Releasing").eip_addresses.eip_address[0].allocation_id == "eip-emureleasing"


# ---- DescribeEipAddresses: comma lists and paging --------------------------------------------------
def test_allocation_id_list_up_to_fifty(vpc):
    fifty = ",".join(f"eip-emu{n:04d}" for n in range(1, 51))
    body = eips(vpc, allocation_id=fifty, page_size=100)
    assert (body.total_count, len(body.eip_addresses.eip_address)) == (50, 50)
    err = error_of(lambda: eips(vpc, allocation_id=fifty + ",eip-emu0051"))
    assert (err.status_code, err.code) == (400, "InstanceIdLength.Exceed")


def test_eip_address_list(vpc):
    body = eips(vpc, eip_address="47.100.0.7,47.100.0.9,1.2.3.4")
    assert sorted(e.allocation_id for e in body.eip_addresses.eip_address) == ["eip-emu0007", "eip-emu0009"]
    both = eips(vpc, eip_address="47.100.0.7,47.100.0.9", allocation_id="eip-emu0009,eip-emu0010")
    assert [e.allocation_id for e in both.eip_addresses.eip_address] == ["eip-emu0009"]
    many = ",".join(f"47.100.0.{n}" for n in range(1, 52))
    assert error_of(lambda: eips(vpc, eip_address=many)).code == "InvalidEipAddress"


def test_eip_charge_type_and_lock_reason_filters(vpc):
    locked = eips(vpc, lock_reason="financial")
    assert [e.allocation_id for e in locked.eip_addresses.eip_address] == ["eip-emulocked01"]
    assert eips(vpc, lock_reason="security").total_count == 0
    assert eips(vpc, charge_type="PrePaid").total_count == 0
    assert eips(vpc, charge_type="PostPaid").total_count == eips(vpc).total_count


def test_unassociate_with_only_the_allocation_id(emu, vpc):
    # InstanceId, InstanceType and RegionId are optional on the UnassociateEipAddress page.
    vpc.unassociate_eip_address(vm.UnassociateEipAddressRequest(allocation_id="eip-emubound01"))
    assert emu.eip("eip-emubound01")["Status"] == "Unassociating"


def test_eip_paging(vpc):
    first = eips(vpc)
    assert (first.page_number, first.page_size, len(first.eip_addresses.eip_address)) == (1, 10, 10)
    seen = []
    for number in range(1, 4):
        body = eips(vpc, page_size=100, page_number=number)
        assert body.total_count == first.total_count
        seen += [e.allocation_id for e in body.eip_addresses.eip_address]
    assert len(seen) == len(set(seen)) == first.total_count
    assert eips(vpc, page_size=100, page_number=9).eip_addresses.eip_address == []
    assert error_of(lambda: eips(vpc, page_size=101)).code == "InvalidPageSize"
    assert error_of(lambda: eips(vpc, page_number=0)).code == "InvalidPageNumber"


# ---- DescribeHaVips: paging and filters ------------------------------------------------------------
def test_havip_paging_and_limits(ens):
    body = havips(ens)
    assert (body.page_number, body.page_size, len(body.ha_vips)) == (1, 10, 10)
    everything = [h.ha_vip_id for n in (1, 2) for h in havips(ens, page_size=100, page_number=n).ha_vips]
    assert len(everything) == len(set(everything)) == body.total_count
    assert error_of(lambda: havips(ens, page_size=101)).code == "InvalidPageSize"
    assert error_of(lambda: havips(ens, status="Broken")).code == "InvalidStatus"
    err = error_of(lambda: havips(ens, ens_region_ids=[f"r{n}" for n in range(101)]))
    assert (err.status_code, err.code) == (400, "InvalidEnsRegionIds")


def test_havip_filters_combine(ens):
    body = havips(ens, ens_region_ids=["cn-beijing-cmcc", "cn-x"], network_id="n-emu0001", name="ha-pair")
    assert [h.ha_vip_id for h in body.ha_vips] == ["havip-emuens0003"]
    assert havips(ens, status="InUse").ha_vips[0].associated_instances[0].instance_id == "i-emuens0003"
