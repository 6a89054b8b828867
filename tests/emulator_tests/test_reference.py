"""The emulator answers as the published reference says (emulator/reference.py, REFERENCE.md).

Every documented error code of the six actions is answered in its documented situation, driven by the
official SDKs: from state where the situation can be built (``SITUATIONS``), through the ``error`` fault
otherwise. Also: REFERENCE.md's tables equal reference.py, and the error fault's rules.
"""
import json
import os
import re
import urllib.request

import pytest
from alibabacloud_ens20171110 import models as ens_models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from alibabacloud_vpc20160428 import models as vpc_models

from alibabacloud_ens20171110.client import Client as EnsClient
from alibabacloud_vpc20160428.client import Client as VpcClient

from emulator import reference
from sdk_support import sdk_config

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIX = reference.MODULE_ACTIONS


# ---- one SDK call per action, with overridable arguments ------------------------------------------
def call(vpc, ens, action, **kwargs):
    if action in ("AssociateHaVip", "UnassociateHaVip", "DescribeHaVips"):
        base = {"AssociateHaVip": dict(ha_vip_id="havip-emuens0001", instance_id="i-emuens0001"),
                "UnassociateHaVip": dict(ha_vip_id="havip-emuens0003", instance_id="i-emuens0003"),
                "DescribeHaVips": {}}[action]
        request = getattr(ens_models, action + "Request")(**{**base, **kwargs})
        return getattr(ens, snake(action))(request)
    base = {"AssociateEipAddress": dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001"),
            "UnassociateEipAddress": dict(allocation_id="eip-emubound01", instance_id="i-emuecsbound1"),
            "DescribeEipAddresses": {}}[action]
    request = getattr(vpc_models, action + "Request")(region_id="cn-hangzhou", **{**base, **kwargs})
    return getattr(vpc, snake(action))(request)


def snake(action):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def error_of(thunk):
    with pytest.raises((ClientException, ServerException)) as caught:
        thunk()
    return caught.value


def concrete(code):
    """A code the server would send for a documented pattern code (Invalid%s -> InvalidInstanceType)."""
    return reference.concrete(code, "InstanceType")


# Documented situations the emulator builds from state: (action, code) -> (setup(emu) or None, kwargs).
SITUATIONS = {
    ("AssociateEipAddress", "InvalidAllocationId.NotFound"): (None, dict(allocation_id="eip-nope")),
    ("AssociateEipAddress", "InvalidInstanId.NotFound"): (None, dict(instance_id="i-nope")),
    ("AssociateEipAddress", "InvalidParameter.Mismatch"): (None, dict(instance_id="i-emubj0001")),
    ("AssociateEipAddress", "InvalidAssociation.Duplicated"): (None, dict(instance_id="i-emuecsbound1")),
    ("AssociateEipAddress", "IncorrectEipStatus"): (None, dict(allocation_id="eip-emureleasing")),
    ("AssociateEipAddress", "InvalidEIPStatus.BizDisabled"): (None, dict(allocation_id="eip-emulocked01")),
    ("AssociateEipAddress", "IncorrectInstanceStatus"): (None, dict(instance_id="i-emuecspending")),
    ("AssociateEipAddress", "OperationDenied"): (None, dict(instance_id="i-emuecsclassic")),
    ("AssociateEipAddress", "InvalidInstanceType.ValueNotSupported"): (None, dict(instance_type="Ecs")),
    ("AssociateEipAddress", "InvalidParameter.InstanceTypeNotSupport"): (None, dict(instance_id="lb-emuclb0001")),
    ("AssociateEipAddress", "IncorrectHaVipStatus"): (None, dict(instance_id="havip-emuvpcbusy",
                                                                 instance_type="HaVip")),
    ("AssociateEipAddress", "OperationFailed.Ipv4GatewayNotOpenedInVpc"): (
        None, dict(instance_id="10.0.6.10", instance_type="IpAddress", vpc_id="vpc-emu0002")),
    ("AssociateEipAddress", "IllegalParam.Mode"): (None, dict(mode="NAT")),
    ("AssociateEipAddress", "InvalidParameter"): (None, dict(private_ip_address="10.9.9.9")),
    ("AssociateEipAddress", "InvalidParameter.EniInstanceId"): (None, dict(instance_id="eni-emueniprim",
                                                                           instance_type="NetworkInterface")),
    ("AssociateEipAddress", "QuotaExceeded.NumberOfEip"): (
        lambda emu: emu.state.eips["eip-emu0002"].update(Status="InUse", InstanceId="ngw-emunat0002",
                                                         InstanceType="Nat"),
        dict(instance_id="ngw-emunat0002", instance_type="Nat")),
    ("UnassociateEipAddress", "IncorrectEipStatus"): (None, dict(allocation_id="eip-emu0001",
                                                                 instance_id="i-emuecs0001")),
    ("UnassociateEipAddress", "InvalidParameter"): (None, dict(instance_id="i-emuecs0001")),
    ("UnassociateEipAddress", "InvalidInstanceType.ValueNotSupported"): (None, dict(instance_type="Vm")),
    ("UnassociateEipAddress", "InvalidInstanceId.NotFound"): (None, dict(instance_id="i-nope")),
    ("UnassociateEipAddress", "InvalidAllocationId.NotFound"): (None, dict(allocation_id="eip-emubeijing1")),
    ("UnassociateEipAddress", "InvalidEIPStatus.BizDisabled"): (None, dict(allocation_id="eip-emulocked01")),
    ("DescribeEipAddresses", "InvalidIAssociatedInstanceType.ValueNotSupported"): (
        None, dict(associated_instance_type="Vm")),
    ("DescribeEipAddresses", "InvalidChargeType.ValueNotSupported"): (None, dict(charge_type="Free")),
    ("DescribeEipAddresses", "InvalidLockReason.NotFound"): (None, dict(lock_reason="curiosity")),
    ("DescribeEipAddresses", "InstanceIdLength.Exceed"): (
        None, dict(allocation_id=",".join(f"eip-emu{n:04d}" for n in range(1, 52)))),
    ("AssociateHaVip", "HaVipNotFound"): (None, dict(ha_vip_id="havip-nope")),
    ("AssociateHaVip", "InstanceNotFound"): (None, dict(instance_id="i-nope")),
    ("AssociateHaVip", "NetworkInterfaceNotFound"): (None, dict(instance_id="eni-nope",
                                                                instance_type="NetworkInterface")),
    ("AssociateHaVip", "IncorrectNetworkInterfaceStatus"): (None, dict(instance_id="eni-emuens0004",
                                                                       instance_type="NetworkInterface")),
    ("AssociateHaVip", "IncorrectInstanceVSwitch"): (None, dict(instance_id="i-emuens0006")),
    ("AssociateHaVip", "IncorrectHaVipStatus"): (None, dict(ha_vip_id="havip-emuens0004")),
    ("AssociateHaVip", "IncorrectInstanceStatus"): (None, dict(instance_id="i-emuens0007")),
    ("AssociateHaVip", "InstanceAlreadyAssociated"): (None, dict(ha_vip_id="havip-emuens0003",
                                                                 instance_id="i-emuens0003")),
    ("AssociateHaVip", "Invalid%s"): (None, dict(instance_type="Vm")),
    ("AssociateHaVip", "Missing%s"): (None, dict(instance_id=None)),
    ("AssociateHaVip", "CountLimitExceed.InstanceOnHaVip"): (
        lambda emu: emu.state.havips["havip-emuens0001"]["members"].extend(
            {"InstanceId": f"i-emuensb{n:03d}", "InstanceType": "EnsInstance", "Status": "InUse",
             "CreationTime": "2024-01-01T00:00:00Z", "until": None} for n in range(1, 6)), {}),
    ("AssociateHaVip", "CountLimitExceed.HaVipOnInstance"): (
        lambda emu: [emu.state.havips[f"havip-emuensb{n:03d}"]["members"].append(
            {"InstanceId": "i-emuens0001", "InstanceType": "EnsInstance", "Status": "InUse",
             "CreationTime": "2024-01-01T00:00:00Z", "until": None}) for n in range(1, 6)], {}),
    ("UnassociateHaVip", "HaVipNotFound"): (None, dict(ha_vip_id="havip-nope")),
    ("UnassociateHaVip", "InstanceNotFound"): (None, dict(instance_id="i-nope")),
    ("UnassociateHaVip", "Missing%s"): (None, dict(instance_id=None)),
    ("UnassociateHaVip", "InstanceNotAssociated"): (None, dict(instance_id="i-emuens0001")),
    ("UnassociateHaVip", "IncorrectInstanceAssociationStatus"): (
        lambda emu: emu.state.havips["havip-emuens0003"]["members"][0].update(Status="Associating",
                                                                              until=10 ** 9), {}),
}
# The missing-parameter case sends the parameter empty, so the expected code names it.
CONCRETE = {("AssociateHaVip", "Missing%s"): "MissingInstanceId",
            ("UnassociateHaVip", "Missing%s"): "MissingInstanceId"}

DOCUMENTED = [(action, code) for action in SIX for code in reference.DOCUMENTED_ERRORS[action]]


# One signature style is enough here (both are proven in test_vpc_sdk/test_ens_sdk); ~100 cases stay quick.
@pytest.fixture
def vpc3(emu):
    return VpcClient(sdk_config(emu))


@pytest.fixture
def ens3(emu):
    return EnsClient(sdk_config(emu))


@pytest.mark.parametrize("action, code", DOCUMENTED, ids=[f"{a}-{c}" for a, c in DOCUMENTED])
def test_every_documented_code_is_answered(emu, vpc3, ens3, action, code):
    doc = reference.documented(action, code)
    if (action, code) in SITUATIONS:
        setup, kwargs = SITUATIONS[(action, code)]
        if setup:
            setup(emu)
        expected = CONCRETE.get((action, code), concrete(code))
    else:
        kwargs, expected = {}, concrete(code)
        emu.faults.add("error", action=action, code=expected)
    err = error_of(lambda: call(vpc3, ens3, action, **kwargs))
    assert (err.status_code, err.code) == (doc.http_status, expected)
    assert emu.mutating_calls() == []
    assert err.data["Message"] in [m.replace("%s", expected[len(code) - 2:] if "%s" in code else "")
                                   for m in doc.messages] or "%s" in doc.messages[0]


def test_state_situations_cover_the_codes_the_emulator_decides_itself():
    """A guard against silently dropping a situation: these are built from state, not injected."""
    built = {code for (action, code) in SITUATIONS if action == "UnassociateHaVip"}
    assert {"InstanceNotAssociated", "IncorrectInstanceAssociationStatus", "HaVipNotFound",
            "InstanceNotFound"} <= built
    assert all(code in reference.DOCUMENTED_ERRORS[action] for action, code in SITUATIONS)


def test_reference_md_tables_are_reference_py():
    with open(os.path.join(TESTS_DIR, "emulator", "REFERENCE.md"), encoding="utf-8") as handle:
        text = handle.read()
    for action, table in reference.error_tables().items():
        found = re.search(rf"<!-- errors:{action} -->\n(.*?)\n<!-- /errors:{action} -->", text, re.S)
        assert found, f"REFERENCE.md has no error table for {action}"
        assert found.group(1).strip() == table.strip(), \
            f"REFERENCE.md's {action} table differs from reference.py: run `python -m emulator.reference`"


def test_documented_codes_are_all_injectable():
    pairs = reference.documented_codes()
    assert ("UnassociateHaVip", "InstanceNotAssociated") in pairs and ("UnassociateHaVip", "InvalidInstanceId") in pairs
    for action, code in pairs:
        reference.check_injectable(action, code)
        assert reference.error(action, code).status == reference.documented(action, code).http_status


def test_error_never_invents_a_code():
    with pytest.raises(KeyError):
        reference.error("UnassociateHaVip", "InvalidParameter.InstanceId")
    with pytest.raises(KeyError):
        reference.error("UnassociateHaVip", "IncorrectHaVipStatus")  # not on that page


# ---- the error fault -------------------------------------------------------------------------------
def test_error_faults_are_consumed_in_order_then_state_answers(emu, ens3):
    for code in ("SystemError", "IncorrectInstanceAssociationStatus", "NoPermission"):
        emu.faults.add("error", action="UnassociateHaVip", code=code)
    emu.faults.add("error", action="AssociateHaVip", code="SystemError")  # another action: not consumed
    seen = [error_of(lambda: call(None, ens3, "UnassociateHaVip", instance_id="i-emuens0001")).code
            for _ in range(3)]
    assert seen == ["SystemError", "IncorrectInstanceAssociationStatus", "NoPermission"]
    assert error_of(lambda: call(None, ens3, "UnassociateHaVip", instance_id="i-emuens0001")).code == \
        "InstanceNotAssociated"
    assert [f["code"] for f in emu.faults.active()] == ["SystemError"]


def test_error_fault_with_count_answers_that_many_times(emu, vpc3):
    emu.faults.add("error", action="UnassociateEipAddress", code="TaskConflict", count=2)
    codes = [error_of(lambda: call(vpc3, None, "UnassociateEipAddress")).code for _ in range(2)]
    assert codes == ["TaskConflict", "TaskConflict"]
    call(vpc3, None, "UnassociateEipAddress")
    assert emu.eip("eip-emubound01")["Status"] == "Unassociating"


@pytest.mark.parametrize("action, code", [
    ("UnassociateHaVip", "InvalidParameter.InstanceId"),  # the invented code this issue removed
    ("UnassociateHaVip", "IncorrectHaVipStatus"),
    ("AssociateEipAddress", "NoSuchCode"),
    (None, "SystemError"),
])
def test_error_fault_refuses_codes_the_page_does_not_list(emu, action, code):
    with pytest.raises(ValueError):
        emu.faults.add("error", action=action, code=code)
    request = urllib.request.Request(emu.url + "/_emulator/faults", method="POST",
                                     data=json.dumps({"kind": "error", "action": action, "code": code}).encode())
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400


def test_error_fault_over_http(emu, ens3):
    request = urllib.request.Request(emu.url + "/_emulator/faults", method="POST", data=json.dumps(
        {"kind": "error", "action": "UnassociateHaVip", "code": "SystemError", "count": 1}).encode())
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["faults"][0]["code"] == "SystemError"
    err = error_of(lambda: call(None, ens3, "UnassociateHaVip"))
    assert (err.status_code, err.code) == (400, "SystemError")
