"""VPC (2016-04-28) AssociateHaVip / UnassociateHaVip / DescribeHaVips driven by the official SDK.

Same action names as the ENS ones (test_ens_sdk.py): the version routes them, so the ENS HAVIPs must not
appear here and the other way round.
"""
import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as m

from sdk_support import TRANSITION


def describe(vpc, filters=None, **kwargs):
    kwargs.setdefault("region_id", "cn-hangzhou")
    flt = [m.DescribeHaVipsRequestFilter(key=k, value=v) for k, v in (filters or {}).items()]
    return vpc.describe_ha_vips(m.DescribeHaVipsRequest(filter=flt or None, **kwargs)).body


def one(vpc, havip_id):
    [havip] = describe(vpc, {"HaVipId": [havip_id]}).ha_vips.ha_vip
    return havip


def associate(vpc, havip_id, instance_id, **kwargs):
    kwargs.setdefault("region_id", "cn-hangzhou")
    return vpc.associate_ha_vip(m.AssociateHaVipRequest(ha_vip_id=havip_id, instance_id=instance_id, **kwargs))


def unassociate(vpc, havip_id, instance_id, **kwargs):
    kwargs.setdefault("region_id", "cn-hangzhou")
    return vpc.unassociate_ha_vip(m.UnassociateHaVipRequest(ha_vip_id=havip_id, instance_id=instance_id, **kwargs))


def error_of(call):
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def test_associate_two_ecs_then_in_use_with_a_master(emu, vpc, style, clock):
    associate(vpc, "havip-emuvpcha01", "i-emuha0004")
    havip = one(vpc, "havip-emuvpcha01")
    assert (havip.status, havip.associated_instances.associated_instance) == ("Associating", ["i-emuha0004"])
    assert (havip.associated_instance_type, havip.master_instance_id) == ("EcsInstance", "")
    err = error_of(lambda: associate(vpc, "havip-emuvpcha01", "i-emuha0005"))
    assert (err.status_code, err.code) == (400, "IncorrectHaVipStatus")  # busy while a member moves
    clock.advance(TRANSITION)
    havip = one(vpc, "havip-emuvpcha01")
    assert (havip.status, havip.master_instance_id) == ("InUse", "i-emuha0004")
    associate(vpc, "havip-emuvpcha01", "i-emuha0005")  # a Stopped instance is allowed
    clock.advance(TRANSITION)
    havip = one(vpc, "havip-emuvpcha01")
    assert havip.associated_instances.associated_instance == ["i-emuha0004", "i-emuha0005"]
    assert (havip.vpc_id, havip.v_switch_id, havip.ip_address, havip.region_id) == (
        "vpc-emu0001", "vsw-emuha01", "10.0.7.101", "cn-hangzhou")
    assert [c["signature"] for c in emu.mutating_calls("AssociateHaVip")] == [style, style]
    assert all(c["product"] == "vpc" for c in emu.mutating_calls())


def test_master_needs_force_and_the_address_moves(emu, vpc, clock):
    err = error_of(lambda: unassociate(vpc, "havip-emuvpcha02", "i-emuha0001"))
    assert (err.status_code, err.code) == (400, "Forbidden.UnassociateMaster")
    unassociate(vpc, "havip-emuvpcha02", "i-emuha0002")  # the backup goes without Force
    assert one(vpc, "havip-emuvpcha02").status == "Unassociating"
    clock.advance(TRANSITION)
    unassociate(vpc, "havip-emuvpcha02", "i-emuha0001", force="True")
    clock.advance(TRANSITION)
    havip = one(vpc, "havip-emuvpcha02")
    assert (havip.status, havip.associated_instances.associated_instance, havip.master_instance_id,
            havip.associated_instance_type) == ("Available", [], "", "")


def test_forced_master_removal_hands_over_to_the_other_member(emu, vpc, clock):
    unassociate(vpc, "havip-emuvpcha02", "i-emuha0001", force="True")
    clock.advance(TRANSITION)
    havip = one(vpc, "havip-emuvpcha02")
    assert (havip.status, havip.associated_instances.associated_instance, havip.master_instance_id) == (
        "InUse", ["i-emuha0002"], "i-emuha0002")


def test_client_token_replay_and_mismatch(emu, vpc):
    first = associate(vpc, "havip-emuvpcha05", "i-emuha0004", client_token="ha-tok")
    again = associate(vpc, "havip-emuvpcha05", "i-emuha0004", client_token="ha-tok")
    assert again.body.request_id == first.body.request_id
    assert len(emu.mutating_calls("AssociateHaVip")) == 1
    err = error_of(lambda: associate(vpc, "havip-emuvpcha05", "i-emuha0005", client_token="ha-tok"))
    assert err.code == "IdempotentParameterMismatch"


@pytest.mark.parametrize("havip_id, instance_id, kwargs, status, code", [
    ("havip-nope", "i-emuha0004", {}, 404, "InvalidHaVipId.NotFound"),
    ("havip-emuens0001", "i-emuha0004", {}, 404, "InvalidHaVipId.NotFound"),  # an ENS HAVIP
    ("havip-emuvpcbj01", "i-emuha0004", {}, 404, "InvalidHaVipId.NotFound"),  # another region
    ("havip-emuvpcha01", "i-nope", {}, 404, "InvalidInstanceId.NotFound"),
    ("havip-emuvpcha01", "eni-emuha0002", {}, 404, "InvalidInstanceId.NotFound"),  # an ENI asked as ECS
    ("havip-emuvpcbusy", "i-emuecs0001", {}, 400, "IncorrectHaVipStatus"),  # Creating
    ("havip-emuvpcha01", "i-emuhapend", {}, 400, "IncorrectInstanceStatus"),
    ("havip-emuvpcha01", "i-emuhaother", {}, 400, "NotBelongToSameVSwitch"),
    ("havip-emuvpcha02", "i-emuha0004", {}, 400, "CountLimitExceeded.HaVipOnECSInstance"),
    ("havip-emuvpcha03", "i-emuha0003", {}, 400, "InvalidParameter"),  # already a member
    ("havip-emuvpcha04", "i-emuha0004", {}, 400, "InvalidParameter"),  # ECS on an ENI HAVIP
    ("havip-emuvpcha01", "i-emuha0004", {"instance_type": "HaVip"}, 400, "InvalidInstanceType"),
    ("havip-emuvpcha01", "", {}, 400, "MissingInstanceId"),
])
def test_documented_associate_errors(emu, vpc, havip_id, instance_id, kwargs, status, code):
    err = error_of(lambda: associate(vpc, havip_id, instance_id, **kwargs))
    assert (err.status_code, err.code) == (status, code)
    assert {"RequestId", "HostId", "Code", "Message", "Recommend"} <= set(err.data)
    assert emu.mutating_calls() == []


def test_eni_members(emu, vpc, clock):
    associate(vpc, "havip-emuvpcha04", "eni-emuha0002", instance_type="NetworkInterface")
    clock.advance(TRANSITION)
    havip = one(vpc, "havip-emuvpcha04")
    assert (havip.associated_instance_type, havip.associated_instances.associated_instance) == (
        "NetworkInterface", ["eni-emuha0001", "eni-emuha0002"])
    unassociate(vpc, "havip-emuvpcha04", "eni-emuha0002", instance_type="NetworkInterface")
    clock.advance(TRANSITION)
    assert one(vpc, "havip-emuvpcha04").associated_instances.associated_instance == ["eni-emuha0001"]


@pytest.mark.parametrize("havip_id, instance_id, kwargs, status, code", [
    ("havip-nope", "i-emuha0003", {}, 404, "InvalidHaVipId.NotFound"),
    ("havip-emuvpcha03", "i-nope", {}, 404, "InvalidInstanceId.NotFound"),
    ("havip-emuvpcha03", "i-emuha0004", {}, 400, "ResourceNotAssociated"),
    ("havip-emuvpcha01", "i-emuha0004", {}, 400, "ResourceNotAssociated"),  # Available, no members
    ("havip-emuvpcha03", "i-emuha0003", {}, 400, "Forbidden.UnassociateMaster"),
    ("havip-emuvpcha03", "i-emuha0003", {"force": "False"}, 400, "Forbidden.UnassociateMaster"),
    ("havip-emuvpcbusy", "i-emuha0003", {}, 400, "IncorrectHaVipStatus"),
    ("havip-emuvpcha03", "i-emuha0003", {"force": "maybe"}, 400, "InvalidForce"),
])
def test_documented_unassociate_errors(emu, vpc, havip_id, instance_id, kwargs, status, code):
    err = error_of(lambda: unassociate(vpc, havip_id, instance_id, **kwargs))
    assert (err.status_code, err.code) == (status, code)
    assert emu.mutating_calls() == []


def test_describe_filters_and_paging(emu, vpc):
    body = describe(vpc)
    ids = [h.ha_vip_id for h in body.ha_vips.ha_vip]
    assert body.total_count == 7 and (body.page_number, body.page_size) == (1, 10)
    assert "havip-emuvpc0001" in ids and "havip-emuvpcha05" in ids
    assert not any(i.startswith("havip-emuens") for i in ids) and "havip-emuvpcbj01" not in ids
    pages = [describe(vpc, page_size=3, page_number=n).ha_vips.ha_vip for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [h.ha_vip_id for p in pages for h in p] == ids
    in_use = describe(vpc, {"Status": ["InUse"]}).ha_vips.ha_vip
    assert sorted(h.ha_vip_id for h in in_use) == ["havip-emuvpcha02", "havip-emuvpcha03", "havip-emuvpcha04"]
    two = describe(vpc, {"HaVipId": ["havip-emuvpcha01", "havip-emuvpcha02"], "VSwitchId": ["vsw-emuha01"]})
    assert [h.ha_vip_id for h in two.ha_vips.ha_vip] == ["havip-emuvpcha01", "havip-emuvpcha02"]
    by_ip = describe(vpc, {"HaVipAddress": ["10.0.7.103"], "VpcId": ["vpc-emu0001"]}).ha_vips.ha_vip
    assert [h.ha_vip_id for h in by_ip] == ["havip-emuvpcha03"]
    assert describe(vpc, region_id="cn-beijing").ha_vips.ha_vip[0].ha_vip_id == "havip-emuvpcbj01"
    busy = one(vpc, "havip-emuvpcbusy")
    assert (busy.status, busy.associated_instances.associated_instance) == ("Creating", [])


@pytest.mark.parametrize("kwargs, filters, code", [
    ({"page_size": 51}, None, "InvalidPageSize"),
    ({}, {"Name": ["x"]}, "InvalidParameter"),
])
def test_describe_rejects_bad_input(vpc, kwargs, filters, code):
    err = error_of(lambda: describe(vpc, filters, **kwargs))
    assert (err.status_code, err.code) == (400, code)


def test_eip_on_a_vpc_havip_shows_in_describe(emu, vpc, clock):
    vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0170", instance_id="havip-emuvpcha03", instance_type="HaVip"))
    clock.advance(TRANSITION)
    assert one(vpc, "havip-emuvpcha03").associated_eip_addresses.associated_eip_addresse == ["47.100.0.170"]
    # A HAVIP whose member is still moving is not Available/InUse for AssociateEipAddress either.
    associate(vpc, "havip-emuvpcha01", "i-emuha0004")
    err = error_of(lambda: vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0171", instance_id="havip-emuvpcha01", instance_type="HaVip")))
    assert err.code == "IncorrectHaVipStatus"
    clock.advance(TRANSITION)
    vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0171", instance_id="havip-emuvpcha01", instance_type="HaVip"))


def test_stale_fault_hides_a_havip_change(emu, vpc, clock):
    emu.faults.add("stale", action="AssociateHaVip", seconds=5)
    associate(vpc, "havip-emuvpcha01", "i-emuha0004")
    clock.advance(TRANSITION)
    assert one(vpc, "havip-emuvpcha01").status == "Available"
    assert emu.vpc_havip("havip-emuvpcha01")["Status"] == "InUse"
    clock.advance(5)
    assert one(vpc, "havip-emuvpcha01").status == "InUse"
