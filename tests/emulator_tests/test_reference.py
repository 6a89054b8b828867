"""The emulator answers as the published reference says (emulator/reference.py, REFERENCE.md).

Every documented error code of the six module actions is answered in its documented situation, driven by
the official SDKs: from state where the situation can be built (``SITUATIONS``), through the ``error`` fault
otherwise; every documented code of the other actions through the fault. Also: every code a handler can
raise is in its action's tables, REFERENCE.md's tables equal reference.py for every action, and the error
fault's rules. Actions are named by reference key, ``"ens:AssociateHaVip"`` / ``"vpc:AssociateHaVip"``.
"""
import ast
import inspect
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

from emulator import app, ens, ens_eip, reference, sts, vpc, vpc_batch, vpc_havip
from sdk_support import sdk_config

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIX = reference.MODULE_ACTIONS


# ---- one SDK call per action, with overridable arguments ------------------------------------------
def call(vpc, ens, key, **kwargs):
    """Call the action of ``key`` (``"ens:AssociateHaVip"``) with the SDK of its product."""
    product, action = key.split(":")
    if product == "ens":
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
    ("vpc:AssociateEipAddress", "InvalidAllocationId.NotFound"): (None, dict(allocation_id="eip-nope")),
    ("vpc:AssociateEipAddress", "InvalidInstanId.NotFound"): (None, dict(instance_id="i-nope")),
    ("vpc:AssociateEipAddress", "InvalidParameter.Mismatch"): (None, dict(instance_id="i-emubj0001")),
    ("vpc:AssociateEipAddress", "InvalidAssociation.Duplicated"): (None, dict(instance_id="i-emuecsbound1")),
    ("vpc:AssociateEipAddress", "IncorrectEipStatus"): (None, dict(allocation_id="eip-emureleasing")),
    ("vpc:AssociateEipAddress", "InvalidEIPStatus.BizDisabled"): (None, dict(allocation_id="eip-emulocked01")),
    ("vpc:AssociateEipAddress", "IncorrectInstanceStatus"): (None, dict(instance_id="i-emuecspending")),
    ("vpc:AssociateEipAddress", "OperationDenied"): (None, dict(instance_id="i-emuecsclassic")),
    ("vpc:AssociateEipAddress", "InvalidInstanceType.ValueNotSupported"): (None, dict(instance_type="Ecs")),
    ("vpc:AssociateEipAddress", "InvalidParameter.InstanceTypeNotSupport"): (None, dict(instance_id="lb-emuclb0001")),
    ("vpc:AssociateEipAddress", "IncorrectHaVipStatus"): (
        None, dict(instance_id="havip-emuvpcbusy", instance_type="HaVip")),
    ("vpc:AssociateEipAddress", "OperationFailed.Ipv4GatewayNotOpenedInVpc"): (
        None, dict(instance_id="10.0.6.10", instance_type="IpAddress", vpc_id="vpc-emu0002")),
    ("vpc:AssociateEipAddress", "IllegalParam.Mode"): (None, dict(mode="NAT")),
    ("vpc:AssociateEipAddress", "InvalidParameter"): (None, dict(private_ip_address="10.9.9.9")),
    ("vpc:AssociateEipAddress", "InvalidParameter.EniInstanceId"): (
        None, dict(instance_id="eni-emueniprim", instance_type="NetworkInterface")),
    ("vpc:AssociateEipAddress", "QuotaExceeded.NumberOfEip"): (
        lambda emu: emu.state.eips["eip-emu0002"].update(Status="InUse", InstanceId="ngw-emunat0002",
                                                         InstanceType="Nat"),
        dict(instance_id="ngw-emunat0002", instance_type="Nat")),
    ("vpc:UnassociateEipAddress", "IncorrectEipStatus"): (
        None, dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001")),
    ("vpc:UnassociateEipAddress", "InvalidParameter"): (None, dict(instance_id="i-emuecs0001")),
    ("vpc:UnassociateEipAddress", "InvalidInstanceType.ValueNotSupported"): (None, dict(instance_type="Vm")),
    ("vpc:UnassociateEipAddress", "InvalidInstanceId.NotFound"): (None, dict(instance_id="i-nope")),
    ("vpc:UnassociateEipAddress", "InvalidAllocationId.NotFound"): (None, dict(allocation_id="eip-emubeijing1")),
    ("vpc:UnassociateEipAddress", "InvalidEIPStatus.BizDisabled"): (None, dict(allocation_id="eip-emulocked01")),
    ("vpc:DescribeEipAddresses", "InvalidIAssociatedInstanceType.ValueNotSupported"): (
        None, dict(associated_instance_type="Vm")),
    ("vpc:DescribeEipAddresses", "InvalidChargeType.ValueNotSupported"): (None, dict(charge_type="Free")),
    ("vpc:DescribeEipAddresses", "InvalidLockReason.NotFound"): (None, dict(lock_reason="curiosity")),
    ("vpc:DescribeEipAddresses", "InstanceIdLength.Exceed"): (
        None, dict(allocation_id=",".join(f"eip-emu{n:04d}" for n in range(1, 52)))),
    ("ens:AssociateHaVip", "HaVipNotFound"): (None, dict(ha_vip_id="havip-nope")),
    ("ens:AssociateHaVip", "InstanceNotFound"): (None, dict(instance_id="i-nope")),
    ("ens:AssociateHaVip", "NetworkInterfaceNotFound"): (
        None, dict(instance_id="eni-nope", instance_type="NetworkInterface")),
    ("ens:AssociateHaVip", "IncorrectNetworkInterfaceStatus"): (
        None, dict(instance_id="eni-emuens0004", instance_type="NetworkInterface")),
    ("ens:AssociateHaVip", "IncorrectInstanceVSwitch"): (None, dict(instance_id="i-emuens0006")),
    ("ens:AssociateHaVip", "IncorrectHaVipStatus"): (None, dict(ha_vip_id="havip-emuens0004")),
    ("ens:AssociateHaVip", "IncorrectInstanceStatus"): (None, dict(instance_id="i-emuens0007")),
    ("ens:AssociateHaVip", "InstanceAlreadyAssociated"): (
        None, dict(ha_vip_id="havip-emuens0003", instance_id="i-emuens0003")),
    ("ens:AssociateHaVip", "Invalid%s"): (None, dict(instance_type="Vm")),
    ("ens:AssociateHaVip", "Missing%s"): (None, dict(instance_id=None)),
    ("ens:AssociateHaVip", "CountLimitExceed.InstanceOnHaVip"): (
        lambda emu: emu.state.havips["havip-emuens0001"]["members"].extend(
            {"InstanceId": f"i-emuensb{n:03d}", "InstanceType": "EnsInstance", "Status": "InUse",
             "CreationTime": "2024-01-01T00:00:00Z", "until": None} for n in range(1, 6)), {}),
    ("ens:AssociateHaVip", "CountLimitExceed.HaVipOnInstance"): (
        lambda emu: [emu.state.havips[f"havip-emuensb{n:03d}"]["members"].append(
            {"InstanceId": "i-emuens0001", "InstanceType": "EnsInstance", "Status": "InUse",
             "CreationTime": "2024-01-01T00:00:00Z", "until": None}) for n in range(1, 6)], {}),
    ("ens:UnassociateHaVip", "HaVipNotFound"): (None, dict(ha_vip_id="havip-nope")),
    ("ens:UnassociateHaVip", "InstanceNotFound"): (None, dict(instance_id="i-nope")),
    ("ens:UnassociateHaVip", "Missing%s"): (None, dict(instance_id=None)),
    ("ens:UnassociateHaVip", "InstanceNotAssociated"): (None, dict(instance_id="i-emuens0001")),
    ("ens:UnassociateHaVip", "IncorrectInstanceAssociationStatus"): (
        lambda emu: emu.state.havips["havip-emuens0003"]["members"][0].update(Status="Associating",
                                                                              until=10 ** 9), {}),
}
# The missing-parameter case sends the parameter empty, so the expected code names it.
CONCRETE = {("ens:AssociateHaVip", "Missing%s"): "MissingInstanceId",
            ("ens:UnassociateHaVip", "Missing%s"): "MissingInstanceId"}

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
    built = {code for (action, code) in SITUATIONS if action == "ens:UnassociateHaVip"}
    assert {"InstanceNotAssociated", "IncorrectInstanceAssociationStatus", "HaVipNotFound",
            "InstanceNotFound"} <= built
    assert all(code in reference.DOCUMENTED_ERRORS[action] for action, code in SITUATIONS)


def test_every_served_action_has_a_page_and_both_tables():
    served = {reference.key(product, action) for product, handlers in app.PRODUCTS.values()
              for action in handlers.ACTIONS}
    assert served == set(reference.ACTIONS) == set(reference.ASSUMED_ERRORS)
    assert set(reference.MODULE_ACTIONS) | set(reference.NEW_ACTIONS) | {"sts:AssumeRole"} == served
    assert served < set(reference.PAGES)
    for key in served:
        assert not set(reference.DOCUMENTED_ERRORS[key]) & set(reference.ASSUMED_ERRORS[key]), key


def test_every_vpc_mutating_action_answers_a_client_token_mismatch():
    """app.py answers IdempotentParameterMismatch for any VPC mutating action (ClientToken reuse)."""
    handlers = app.PRODUCTS["2016-04-28"][1]
    for action in handlers.MUTATING:
        assert reference.error(reference.key("vpc", action), "IdempotentParameterMismatch").status == 400


# Calls in handler code that end in an error code: ``call.error("Code")``, ``fail(call, "Code")``,
# ``reference.error("key", "Code")``; and parameter readers that answer ``Missing<Name>`` / ``Invalid<Name>``.
MISSING_READERS = ("required",)
INVALID_READERS = ("choice", "integer", "comma_list", "invalid", "_boolean")


def raised_codes(module):
    """[(key or None, code)] for every literal error code ``module``'s source can raise."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        owner = getattr(func.value, "id", None) if isinstance(func, ast.Attribute) else None
        literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if not literals:
            continue
        if name == "error" and owner == "reference":
            found.append((literals[0], literals[1]))
        elif (name == "error" and owner == "call") or name == "fail":
            found.append((None, literals[0]))
        elif name in MISSING_READERS and owner == "call":
            found.append((None, "Missing" + literals[0]))
        elif name in INVALID_READERS and not any(k.arg == "error" for k in node.keywords):
            found.append((None, "Invalid" + literals[0]))
    return found


def module_keys(module):
    return [reference.key(product, action) for product, handlers in app.PRODUCTS.values()
            if module in handlers.modules for action in module.ACTIONS]


@pytest.mark.parametrize("module", [vpc, ens, sts, vpc_batch, vpc_havip, ens_eip], ids=lambda m: m.__name__)
def test_every_code_a_handler_can_raise_is_in_its_tables(module):
    """reference.error raises KeyError for a code in neither table; this finds such a code before a request
    does. A code must be known to at least one action of the module (its helpers serve several)."""
    raised = raised_codes(module)
    assert raised, module.__name__
    for key, code in raised:
        keys = [key] if key else module_keys(module)
        answered = []
        for candidate in keys:
            try:
                answered.append(reference.error(candidate, code))
            except KeyError:
                pass
        assert answered, (module.__name__, code, keys)


def test_reference_md_tables_are_reference_py():
    with open(os.path.join(TESTS_DIR, "emulator", "REFERENCE.md"), encoding="utf-8") as handle:
        text = handle.read()
    for action, table in reference.error_tables().items():
        found = re.search(rf"<!-- errors:{action} -->\n(.*?)\n<!-- /errors:{action} -->", text, re.S)
        assert found, f"REFERENCE.md has no error table for {action}"
        assert found.group(1).strip() == table.strip(), \
            f"REFERENCE.md's {action} table differs from reference.py: run `python -m emulator.reference`"


NEW = reference.documented_codes(reference.NEW_ACTIONS)


@pytest.mark.parametrize("key, code", NEW, ids=[f"{k}-{c}" for k, c in NEW])
def test_every_documented_code_of_the_new_actions_is_answered_through_the_fault(emu, vpc3, ens3, key, code):
    """Their situations built from state are the SDK tests' (test_vpc_batch_sdk.py ...); here the table."""
    emu.faults.add("error", action=key, code=code)
    product, action = key.split(":")
    client, models = (vpc3, vpc_models) if product == "vpc" else (ens3, ens_models)
    err = error_of(lambda: getattr(client, snake(action))(getattr(models, action + "Request")()))
    doc = reference.documented(key, code)
    assert (err.status_code, err.code) == (doc.http_status, code)
    assert err.data["Message"] == reference.error(key, code).message
    assert emu.mutating_calls() == []


def test_documented_codes_are_all_injectable():
    pairs = reference.documented_codes(reference.ACTIONS)
    assert ("ens:UnassociateHaVip", "InstanceNotAssociated") in pairs
    assert ("ens:UnassociateHaVip", "InvalidInstanceId") in pairs
    for action, code in pairs:
        reference.check_injectable(action, code)
        assert reference.error(action, code).status == reference.documented(action, code).http_status


def test_error_never_invents_a_code():
    with pytest.raises(KeyError):
        reference.error("ens:UnassociateHaVip", "InvalidParameter.InstanceId")
    with pytest.raises(KeyError):
        reference.error("ens:UnassociateHaVip", "IncorrectHaVipStatus")  # not on that page (VPC's has it)
    with pytest.raises(KeyError):
        reference.error("vpc:AssociateHaVip", "InstanceAlreadyAssociated")  # ENS's code, not VPC's
    with pytest.raises(KeyError):
        reference.error("AssociateHaVip", "SystemError")  # a bare name two products serve


# ---- the error fault -------------------------------------------------------------------------------
def test_error_faults_are_consumed_in_order_then_state_answers(emu, ens3):
    for code in ("SystemError", "IncorrectInstanceAssociationStatus", "NoPermission"):
        emu.faults.add("error", action="ens:UnassociateHaVip", code=code)
    emu.faults.add("error", action="ens:AssociateHaVip", code="SystemError")  # another action: not consumed
    seen = [error_of(lambda: call(None, ens3, "ens:UnassociateHaVip", instance_id="i-emuens0001")).code
            for attempt in range(3)]
    assert seen == ["SystemError", "IncorrectInstanceAssociationStatus", "NoPermission"]
    assert error_of(lambda: call(None, ens3, "ens:UnassociateHaVip", instance_id="i-emuens0001")).code == \
        "InstanceNotAssociated"
    assert [f["code"] for f in emu.faults.active()] == ["SystemError"]


def test_error_fault_with_count_answers_that_many_times(emu, vpc3):
    emu.faults.add("error", action="UnassociateEipAddress", code="TaskConflict", count=2)  # one product's name
    codes = [error_of(lambda: call(vpc3, None, "vpc:UnassociateEipAddress")).code for attempt in range(2)]
    assert codes == ["TaskConflict", "TaskConflict"]
    call(vpc3, None, "vpc:UnassociateEipAddress")
    assert emu.eip("eip-emubound01")["Status"] == "Unassociating"


@pytest.mark.parametrize("action, code", [
    ("ens:UnassociateHaVip", "InvalidParameter.InstanceId"),  # the invented code this issue removed
    ("ens:UnassociateHaVip", "IncorrectHaVipStatus"),  # VPC's page lists it, ENS's does not
    ("AssociateHaVip", "IncorrectHaVipStatus"),  # both products list it: the bare name is ambiguous
    ("vpc:AssociateEipAddress", "NoSuchCode"),
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


def test_a_bare_name_two_products_serve_goes_to_the_one_whose_page_lists_the_code(emu, ens3):
    """ENS's UnassociateHaVip page lists SystemError, VPC's does not: the fault is ENS's only."""
    emu.faults.add("error", action="UnassociateHaVip", code="SystemError")
    assert [f["action"] for f in emu.faults.active()] == ["ens:UnassociateHaVip"]
    vpc = VpcClient(sdk_config(emu))
    vpc_error = error_of(lambda: vpc.unassociate_ha_vip(vpc_models.UnassociateHaVipRequest(
        region_id="cn-hangzhou", ha_vip_id="havip-emuvpcha01", instance_id="i-emuha0001")))
    assert vpc_error.code == "ResourceNotAssociated"  # state answered: the fault was not VPC's
    assert error_of(lambda: call(None, ens3, "ens:UnassociateHaVip")).code == "SystemError"


def test_a_fault_keyed_by_product_hits_that_product_only(emu, ens3):
    emu.faults.add("unavailable", action="vpc:DescribeHaVips")
    call(None, ens3, "ens:DescribeHaVips")  # ENS's action of the same name: not hit
    vpc = VpcClient(sdk_config(emu))
    err = error_of(lambda: vpc.describe_ha_vips(vpc_models.DescribeHaVipsRequest(region_id="cn-hangzhou")))
    assert (err.status_code, err.code) == (503, "ServiceUnavailable")
    assert emu.faults.active() == []


def test_error_fault_over_http(emu, ens3):
    request = urllib.request.Request(emu.url + "/_emulator/faults", method="POST", data=json.dumps(
        {"kind": "error", "action": "ens:UnassociateHaVip", "code": "SystemError", "count": 1}).encode())
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["faults"][0]["code"] == "SystemError"
    err = error_of(lambda: call(None, ens3, "ens:UnassociateHaVip"))
    assert (err.status_code, err.code) == (400, "SystemError")
