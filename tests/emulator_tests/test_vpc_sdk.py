"""VPC EIP actions driven by the official SDK (V3 and V1 signatures), parsed into its models."""
import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as m
from alibabacloud_vpc20160428.client import Client as VpcClient

from sdk_support import TRANSITION, sdk_config


def describe(vpc, **kwargs):
    return vpc.describe_eip_addresses(m.DescribeEipAddressesRequest(region_id="cn-hangzhou", **kwargs)).body


def associate(vpc, **kwargs):
    kwargs.setdefault("region_id", "cn-hangzhou")
    return vpc.associate_eip_address(m.AssociateEipAddressRequest(**kwargs))


def error_of(call):
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def test_associate_then_in_use_after_transition(emu, vpc, style, clock):
    resp = associate(vpc, allocation_id="eip-emu0001", instance_id="i-emuecs0001")
    assert resp.status_code == 200 and resp.body.request_id
    eip = describe(vpc, allocation_id="eip-emu0001").eip_addresses.eip_address[0]
    assert (eip.status, eip.instance_id, eip.instance_type) == ("Associating", "i-emuecs0001", "EcsInstance")
    clock.advance(TRANSITION)
    eip = describe(vpc, allocation_id="eip-emu0001").eip_addresses.eip_address[0]
    assert (eip.status, eip.private_ip_address, eip.ip_address) == ("InUse", "10.0.1.1", "47.100.0.1")
    assert [c["signature"] for c in emu.mutating_calls("AssociateEipAddress")] == [style]


def test_unassociate_then_available(emu, vpc, clock):
    vpc.unassociate_eip_address(m.UnassociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emubound01", instance_id="i-emuecsbound1"))
    assert emu.eip("eip-emubound01")["Status"] == "Unassociating"
    clock.advance(TRANSITION)
    eip = describe(vpc, allocation_id="eip-emubound01").eip_addresses.eip_address[0]
    assert (eip.status, eip.instance_id) == ("Available", "")


def test_paging_and_filters(vpc):
    body = describe(vpc, page_size=100, page_number=3)
    assert body.total_count == 243  # 240 bulk + 3 explicit EIPs in cn-hangzhou
    assert (body.page_number, body.page_size, len(body.eip_addresses.eip_address)) == (3, 100, 43)
    body = describe(vpc, allocation_id="eip-emu0002,eip-emu0240,eip-emubeijing1")
    assert sorted(e.allocation_id for e in body.eip_addresses.eip_address) == ["eip-emu0002", "eip-emu0240"]
    assert describe(vpc, eip_address="47.100.0.240").eip_addresses.eip_address[0].allocation_id == "eip-emu0240"
    bound = describe(vpc, associated_instance_id="i-emuecsbound1", associated_instance_type="EcsInstance")
    assert [e.allocation_id for e in bound.eip_addresses.eip_address] == ["eip-emubound01"]
    assert describe(vpc, status="Releasing").eip_addresses.eip_address[0].allocation_id == "eip-emureleasing"
    locked = describe(vpc, allocation_id="eip-emulocked01").eip_addresses.eip_address[0]
    assert locked.operation_locks.lock_reason[0].lock_reason == "financial"


def test_client_token_replay_is_a_noop(emu, vpc):
    first = associate(vpc, allocation_id="eip-emu0003", instance_id="i-emuecs0003", client_token="tok-1")
    again = associate(vpc, allocation_id="eip-emu0003", instance_id="i-emuecs0003", client_token="tok-1")
    assert again.body.request_id == first.body.request_id
    assert len(emu.mutating_calls("AssociateEipAddress")) == 1
    err = error_of(lambda: associate(vpc, allocation_id="eip-emu0004", instance_id="i-emuecs0003",
                                     client_token="tok-1"))
    assert err.code == "IdempotentParameterMismatch"


@pytest.mark.parametrize("kwargs, status, code", [
    (dict(allocation_id="eip-nope", instance_id="i-emuecs0001"), 404, "InvalidAllocationId.NotFound"),
    (dict(allocation_id="eip-emu0001", instance_id="i-nope"), 404, "InvalidInstanId.NotFound"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emubj0001"), 400, "InvalidParameter.Mismatch"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecsbound1"), 400, "InvalidAssociation.Duplicated"),
    (dict(allocation_id="eip-emubound01", instance_id="i-emuecs0001"), 400, "InvalidAssociation.Duplicated"),
    (dict(allocation_id="eip-emureleasing", instance_id="i-emuecs0001"), 400, "IncorrectEipStatus"),
    (dict(allocation_id="eip-emulocked01", instance_id="i-emuecs0001"), 400, "InvalidEIPStatus.BizDisabled"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecspending"), 400, "IncorrectInstanceStatus"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecsclassic"), 400, "OperationDenied"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001", instance_type="Ecs"), 400,
     "InvalidInstanceType.ValueNotSupported"),
    (dict(allocation_id="eip-emu0001", instance_id="lb-emuclb0001"), 400,
     "InvalidParameter.InstanceTypeNotSupport"),
    (dict(allocation_id="eip-emu0001", instance_id="havip-emuvpcbusy", instance_type="HaVip"), 400,
     "IncorrectHaVipStatus"),
    (dict(allocation_id="eip-emu0001", instance_id="10.0.6.10", instance_type="IpAddress"), 400,
     "MissingParameter"),
    (dict(allocation_id="eip-emu0001", instance_id="10.0.6.10", instance_type="IpAddress", vpc_id="vpc-emu0002"),
     400, "OperationFailed.Ipv4GatewayNotOpenedInVpc"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001", mode="NAT"), 400, "IllegalParam.Mode"),
    (dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001", private_ip_address="10.9.9.9"), 400,
     "InvalidParameter"),
    (dict(allocation_id="eip-emu0001", instance_id=""), 400, "MissingInstanceId"),
])
def test_documented_associate_errors(emu, vpc, kwargs, status, code):
    err = error_of(lambda: associate(vpc, **kwargs))
    assert (err.status_code, err.code) == (status, code)
    assert {"RequestId", "HostId", "Code", "Message", "Recommend"} <= set(err.data)
    assert emu.mutating_calls() == []


def test_other_associations(emu, vpc):
    associate(vpc, allocation_id="eip-emu0010", instance_id="10.0.6.10", instance_type="IpAddress",
              vpc_id="vpc-emu0001")
    associate(vpc, allocation_id="eip-emu0011", instance_id="eni-emueni0001", instance_type="NetworkInterface",
              mode="MULTI_BINDED", private_ip_address="10.0.4.12")
    associate(vpc, allocation_id="eip-emu0012", instance_id="ngw-emunat0002", instance_type="Nat")
    err = error_of(lambda: associate(vpc, allocation_id="eip-emu0013", instance_id="ngw-emunat0002",
                                     instance_type="Nat"))
    assert err.code == "QuotaExceeded.NumberOfEip"
    assert emu.eip("eip-emu0011")["Mode"] == "MULTI_BINDED"
    assert emu.eip("eip-emu0011")["PrivateIpAddress"] == "10.0.4.12"


def test_busy_eip_rejects_other_changes(vpc):
    associate(vpc, allocation_id="eip-emu0020", instance_id="i-emuecs0020")
    err = error_of(lambda: vpc.unassociate_eip_address(m.UnassociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0020", instance_id="i-emuecs0020")))
    assert err.code == "IncorrectEipStatus"


def test_wrong_secret_is_signature_mismatch(emu, style):
    client = VpcClient(sdk_config(emu, key=("LTAI5tEmuTestAccessKey", "not-the-secret"), style=style))
    err = error_of(lambda: describe(client))
    assert (err.status_code, err.code) == (400, "SignatureDoesNotMatch")


def test_unknown_key_is_not_found(emu, style):
    client = VpcClient(sdk_config(emu, key=("LTAI5tNobody", "x"), style=style))
    assert error_of(lambda: describe(client)).code == "InvalidAccessKeyId.NotFound"


def test_sts_token_accepted_and_checked(emu, style):
    from sdk_support import EXPIRED_STS_KEY, STS_KEY
    ok = VpcClient(sdk_config(emu, key=STS_KEY[:2], token=STS_KEY[2], style=style))
    assert describe(ok).total_count > 0
    wrong = VpcClient(sdk_config(emu, key=STS_KEY[:2], token="EmuStsToken-wrong", style=style))
    assert error_of(lambda: describe(wrong)).code == "InvalidSecurityToken.MismatchWithAccessKey"
    missing = VpcClient(sdk_config(emu, key=STS_KEY[:2], style=style))
    assert error_of(lambda: describe(missing)).code.startswith("InvalidSecurityToken.")
    expired = VpcClient(sdk_config(emu, key=EXPIRED_STS_KEY[:2], token=EXPIRED_STS_KEY[2], style=style))
    assert error_of(lambda: describe(expired)).code == "InvalidSecurityToken.Expired"


@pytest.mark.parametrize("kwargs", [
    dict(instance_id="i-emuecs0001"),                                  # not the bound instance
    dict(instance_id="i-emuecsbound1", instance_type="SlbInstance"),   # not the binding's type
    dict(instance_id="i-emuecsbound1", private_ip_address="10.0.2.99"),
])
def test_unassociate_not_matching_the_binding_is_invalid_parameter(emu, vpc, kwargs):
    err = error_of(lambda: vpc.unassociate_eip_address(m.UnassociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emubound01", **kwargs)))
    assert (err.status_code, err.code) == (400, "InvalidParameter")  # documented on the Unassociate page
    assert emu.eip("eip-emubound01")["Status"] == "InUse"
