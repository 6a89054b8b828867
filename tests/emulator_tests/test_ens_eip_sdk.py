"""ENS AssociateEnsEipAddress / UnAssociateEnsEipAddress / DescribeEnsEipAddresses driven by the official SDK."""
import pytest
from alibabacloud_ens20171110 import models as m
from alibabacloud_tea_openapi.exceptions import ClientException

from sdk_support import TRANSITION


def describe(ens, **kwargs):
    return ens.describe_ens_eip_addresses(m.DescribeEnsEipAddressesRequest(**kwargs)).body


def one(ens, allocation_id):
    [eip] = describe(ens, allocation_id=allocation_id).eip_addresses.eip_address
    return eip


def associate(ens, allocation_id, instance_id, **kwargs):
    return ens.associate_ens_eip_address(m.AssociateEnsEipAddressRequest(
        allocation_id=allocation_id, instance_id=instance_id, **kwargs))


def unassociate(ens, allocation_id, **kwargs):
    return ens.un_associate_ens_eip_address(m.UnAssociateEnsEipAddressRequest(allocation_id=allocation_id, **kwargs))


def error_of(call):
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def test_associate_then_in_use_then_unassociate(emu, ens, style, clock):
    resp = associate(ens, "eip-emuens001", "i-emuens0001")
    assert resp.status_code == 200 and resp.body.request_id
    eip = one(ens, "eip-emuens001")
    assert (eip.status, eip.instance_id, eip.instance_type, eip.standby) == (
        "Associating", "i-emuens0001", "EnsInstance", False)
    clock.advance(TRANSITION)
    eip = one(ens, "eip-emuens001")
    assert (eip.status, eip.ip_address, eip.ens_region_id, eip.bandwidth) == (
        "InUse", "101.10.0.1", "cn-beijing-cmcc", 5)
    unassociate(ens, "eip-emuens001")
    assert one(ens, "eip-emuens001").status == "Unassociating"
    clock.advance(TRANSITION)
    eip = one(ens, "eip-emuens001")
    assert (eip.status, eip.instance_id, eip.instance_type) == ("Available", "", "")
    calls = emu.mutating_calls()
    assert [(c["action"], c["product"], c["signature"]) for c in calls] == [
        ("AssociateEnsEipAddress", "ens", style), ("UnAssociateEnsEipAddress", "ens", style)]


def test_standby_eip_and_its_order(emu, ens, clock):
    associate(ens, "eip-emuens002", "i-emuens0001")
    associate(ens, "eip-emuens003", "i-emuens0001", standby=True)
    clock.advance(TRANSITION)
    assert one(ens, "eip-emuens003").standby is True
    err = error_of(lambda: unassociate(ens, "eip-emuens002"))
    assert (err.status_code, err.code) == (400, "InvalidUnAssociation.UnAssociateStandbyEipFist")
    unassociate(ens, "eip-emuens003")
    clock.advance(TRANSITION)
    unassociate(ens, "eip-emuens002")
    clock.advance(TRANSITION)
    assert one(ens, "eip-emuens002").status == "Available"


def test_snat_eip_needs_force(emu, ens, clock):
    err = error_of(lambda: unassociate(ens, "eip-emuenssnat"))
    assert (err.status_code, err.code) == (400, "InvalidIpStatus.HasBeenUsedBySnatTable")
    unassociate(ens, "eip-emuenssnat", force=True)
    clock.advance(TRANSITION)
    assert one(ens, "eip-emuenssnat").status == "Available"


def test_several_eips_on_a_nat_or_nat_slb(emu, ens, clock):
    associate(ens, "eip-emuens004", "nat-emuens0001", instance_type="Nat")
    associate(ens, "eip-emuens005", "lb-emuens0002", instance_type="NatSlbInstance")
    associate(ens, "eip-emuens006", "lb-emuens0002", instance_type="NatSlbInstance")
    clock.advance(TRANSITION)
    on_slb = describe(ens, associated_instance_id="lb-emuens0002").eip_addresses.eip_address
    assert sorted(e.allocation_id for e in on_slb) == ["eip-emuens005", "eip-emuens006"]


@pytest.mark.parametrize("allocation_id, instance_id, kwargs, code", [
    ("eip-nope", "i-emuens0001", {}, "EipNotFound"),
    ("eip-emuens010", "i-nope", {}, "InstanceNotFound"),
    ("eip-emuens010", "eni-emuens0001", {}, "InstanceNotFound"),  # an ENI asked as EnsInstance
    ("eip-emuensbound", "i-emuens0001", {}, "IncorrectEipStatus"),
    ("eip-emuenslock", "i-emuens0001", {}, "IncorrectEipStatus"),
    ("eip-emuensgz01", "i-emuens0001", {}, "InvalidParameter.InstanceId"),  # another edge node
    ("eip-emuens010", "i-emuens0004", {}, "InvalidParameter.InstanceId"),  # already holds an EIP
    ("eip-emuens010", "i-emuens0004", {"standby": True}, "InvalidParameter.InstanceId"),  # and a standby
    ("eip-emuens010", "i-emuens0001", {"instance_type": "EcsInstance"}, "InvalidInstanceType"),
    ("", "i-emuens0001", {}, "MissingAllocationId"),
    ("eip-emuens010", "", {}, "MissingInstanceId"),
])
def test_documented_associate_errors(emu, ens, allocation_id, instance_id, kwargs, code):
    err = error_of(lambda: associate(ens, allocation_id, instance_id, **kwargs))
    assert (err.status_code, err.code) == (400, code)  # ENS documents every error as HTTP 400
    assert {"RequestId", "HostId", "Code", "Message", "Recommend"} <= set(err.data)
    assert emu.mutating_calls() == []


@pytest.mark.parametrize("allocation_id, code", [
    ("eip-nope", "EipNotFound"),
    ("eip-emuens011", "IncorrectEipStatus"),  # Available
    ("", "MissingAllocationId"),
])
def test_documented_unassociate_errors(emu, ens, allocation_id, code):
    err = error_of(lambda: unassociate(ens, allocation_id))
    assert (err.status_code, err.code) == (400, code)
    assert emu.mutating_calls() == []


def test_busy_eip_rejects_changes(ens):
    associate(ens, "eip-emuens012", "i-emuens0002")
    assert error_of(lambda: unassociate(ens, "eip-emuens012")).code == "IncorrectEipStatus"
    assert error_of(lambda: associate(ens, "eip-emuens012", "i-emuens0003")).code == "IncorrectEipStatus"


def test_describe_paging_and_filters(ens):
    body = describe(ens)
    assert (body.total_count, body.page_number, body.page_size, len(body.eip_addresses.eip_address)) == (
        36, 1, 10, 10)
    pages = [describe(ens, page_size=16, page_number=n).eip_addresses.eip_address for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [16, 16, 4]
    assert len({e.allocation_id for p in pages for e in p}) == 36
    picked = describe(ens, allocation_id="eip-emuens001,eip-emuens030,eip-emuensgz01", page_size=50)
    assert sorted(e.allocation_id for e in picked.eip_addresses.eip_address) == [
        "eip-emuens001", "eip-emuens030", "eip-emuensgz01"]
    assert one(ens, "eip-emuenslock").operation_locks.lock[0].lock_reason == "financial"
    assert [e.allocation_id for e in describe(ens, lock_reason="financial").eip_addresses.eip_address] == [
        "eip-emuenslock"]
    assert [e.allocation_id for e in describe(ens, standby="true").eip_addresses.eip_address] == ["eip-emuensstby"]
    in_use = describe(ens, status="InUse", associated_instance_type="EnsInstance").eip_addresses.eip_address
    assert sorted(e.allocation_id for e in in_use) == ["eip-emuensbound", "eip-emuensstby"]
    assert describe(ens, eip_address="101.10.1.3").eip_addresses.eip_address[0].instance_id == "lb-emuens0001"
    gz = describe(ens, ens_region_ids=["cn-guangzhou-telecom"]).eip_addresses.eip_address
    assert [e.allocation_id for e in gz] == ["eip-emuensgz01"]
    assert describe(ens, ens_region_id="cn-beijing-cmcc").total_count == 35
    assert describe(ens, eip_name="snat").eip_addresses.eip_address[0].allocation_id == "eip-emuenssnat"


@pytest.mark.parametrize("kwargs, code", [
    ({"page_size": 101}, "InvalidPageSize"),
    ({"status": "Busy"}, "InvalidStatus"),
    ({"allocation_id": ",".join(f"eip-emuens{n:03d}" for n in range(1, 31)) + "," +
      ",".join(f"eip-x{n}" for n in range(21))}, "InvalidAllocationId"),
])
def test_describe_rejects_bad_input(ens, kwargs, code):
    err = error_of(lambda: describe(ens, **kwargs))
    assert (err.status_code, err.code) == (400, code)


def test_stale_fault_hides_an_ens_eip_change(emu, ens, clock):
    emu.faults.add("stale", action="AssociateEnsEipAddress", seconds=5)
    associate(ens, "eip-emuens020", "i-emuens0002")
    clock.advance(TRANSITION)
    assert one(ens, "eip-emuens020").status == "Available"
    assert emu.ens_eip("eip-emuens020")["Status"] == "InUse"
    clock.advance(5)
    assert one(ens, "eip-emuens020").status == "InUse"
