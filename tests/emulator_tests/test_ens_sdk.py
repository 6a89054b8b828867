"""ENS HAVIP actions driven by the official SDK (V3 and V1 signatures), parsed into its models."""
import pytest
from alibabacloud_ens20171110 import models as m
from alibabacloud_tea_openapi.exceptions import ClientException

from sdk_support import TRANSITION


def describe(ens, **kwargs):
    return ens.describe_ha_vips(m.DescribeHaVipsRequest(**kwargs)).body


def error_of(call):
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def test_associate_several_instances(emu, ens, style, clock):
    for instance in ("i-emuens0001", "i-emuens0002"):
        ens.associate_ha_vip(m.AssociateHaVipRequest(ha_vip_id="havip-emuens0001", instance_id=instance))
        if instance == "i-emuens0001":
            assert describe(ens, ha_vip_id="havip-emuens0001").ha_vips[0].status == "Associating"
            err = error_of(lambda: ens.associate_ha_vip(m.AssociateHaVipRequest(
                ha_vip_id="havip-emuens0001", instance_id="i-emuens0002")))
            assert err.code == "IncorrectHaVipStatus"
            clock.advance(TRANSITION)
    clock.advance(TRANSITION)
    havip = describe(ens, ha_vip_id="havip-emuens0001").ha_vips[0]
    assert havip.status == "InUse"
    assert [(a.instance_id, a.instance_type, a.status) for a in havip.associated_instances] == [
        ("i-emuens0001", "EnsInstance", "InUse"), ("i-emuens0002", "EnsInstance", "InUse")]
    assert len(emu.mutating_calls("AssociateHaVip")) == 2
    assert {c["signature"] for c in emu.mutating_calls()} == {style}


def test_unassociate_to_available(emu, ens, clock):
    ens.unassociate_ha_vip(m.UnassociateHaVipRequest(ha_vip_id="havip-emuens0003", instance_id="i-emuens0003"))
    assert emu.havip("havip-emuens0003")["Status"] == "Unassociating"
    clock.advance(TRANSITION)
    havip = describe(ens, ha_vip_id="havip-emuens0003").ha_vips[0]
    assert (havip.status, havip.associated_instances) == ("Available", [])


def test_eni_association(emu, ens):
    ens.associate_ha_vip(m.AssociateHaVipRequest(ha_vip_id="havip-emuens0002", instance_id="eni-emuens0001",
                                                 instance_type="NetworkInterface"))
    assert emu.havip("havip-emuens0002")["AssociatedInstances"][0]["InstanceType"] == "NetworkInterface"


def test_paging_and_filters(ens):
    body = describe(ens, page_size=20, page_number=3)
    assert (body.total_count, body.page_number, body.page_size, len(body.ha_vips)) == (45, 3, 20, 5)
    assert describe(ens, ha_vip_address="10.10.0.102").ha_vips[0].ha_vip_id == "havip-emuens0002"
    assert describe(ens, status="Creating").ha_vips[0].ha_vip_id == "havip-emuens0004"
    assert describe(ens, ens_region_id="cn-hangzhou").total_count == 0
    assert describe(ens, ens_region_ids=["cn-beijing-cmcc"], v_switch_id="vsw-emuens02").ha_vips[0].name == \
        "ha-other-vsw"


@pytest.mark.parametrize("kwargs, code", [
    (dict(ha_vip_id="havip-nope", instance_id="i-emuens0001"), "HaVipNotFound"),
    (dict(ha_vip_id="havip-emuens0001", instance_id="i-nope"), "InstanceNotFound"),
    (dict(ha_vip_id="havip-emuens0001", instance_id="eni-nope", instance_type="NetworkInterface"),
     "NetworkInterfaceNotFound"),
    (dict(ha_vip_id="havip-emuens0001", instance_id="i-emuens0006"), "IncorrectInstanceVSwitch"),
    (dict(ha_vip_id="havip-emuens0004", instance_id="i-emuens0001"), "IncorrectHaVipStatus"),
    (dict(ha_vip_id="havip-emuens0001", instance_id="i-emuens0007"), "IncorrectInstanceStatus"),
    (dict(ha_vip_id="havip-emuens0003", instance_id="i-emuens0003"), "InstanceAlreadyAssociated"),
    (dict(ha_vip_id="havip-emuens0001", instance_id="i-emuens0001", instance_type="Vm"), "InvalidInstanceType"),
    (dict(ha_vip_id="havip-emuens0001"), "MissingInstanceId"),
])
def test_documented_errors(emu, ens, kwargs, code):
    err = error_of(lambda: ens.associate_ha_vip(m.AssociateHaVipRequest(**kwargs)))
    assert (err.status_code, err.code) == (400, code)
    assert emu.mutating_calls() == []


def test_limits(emu, ens):
    emu.set_transition(0)
    for n in range(1, 6):
        ens.associate_ha_vip(m.AssociateHaVipRequest(ha_vip_id="havip-emuensb001", instance_id=f"i-emuensb{n:03d}"))
    err = error_of(lambda: ens.associate_ha_vip(m.AssociateHaVipRequest(
        ha_vip_id="havip-emuensb001", instance_id="i-emuensb006")))
    assert err.code == "CountLimitExceed.InstanceOnHaVip"
    for n in range(2, 7):
        ens.associate_ha_vip(m.AssociateHaVipRequest(ha_vip_id=f"havip-emuensb{n:03d}", instance_id="i-emuensb010"))
    err = error_of(lambda: ens.associate_ha_vip(m.AssociateHaVipRequest(
        ha_vip_id="havip-emuensb007", instance_id="i-emuensb010")))
    assert err.code == "CountLimitExceed.HaVipOnInstance"


def test_unassociate_not_associated_is_the_documented_code(ens):
    err = error_of(lambda: ens.unassociate_ha_vip(m.UnassociateHaVipRequest(
        ha_vip_id="havip-emuens0001", instance_id="i-emuens0001")))
    assert (err.status_code, err.code) == (400, "InstanceNotAssociated")
