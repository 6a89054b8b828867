"""VPC AssociateEipAddressBatch driven by the official SDK (V3 and V1 signatures)."""
import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as m

from sdk_support import TRANSITION


def batch(vpc, ids, instance_id="ngw-emunat0001", instance_type="Nat", **kwargs):
    kwargs.setdefault("region_id", "cn-hangzhou")
    return vpc.associate_eip_address_batch(m.AssociateEipAddressBatchRequest(
        binded_instance_id=instance_id, binded_instance_type=instance_type, instance_ids=ids, **kwargs))


def error_of(call):
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def test_batch_to_nat_moves_each_eip_associating_then_in_use(emu, vpc, style, clock):
    ids = [f"eip-emu{n:04d}" for n in range(101, 111)]
    resp = batch(vpc, ids)
    assert resp.status_code == 200 and resp.body.request_id
    assert {emu.eip(i)["Status"] for i in ids} == {"Associating"}
    assert {(emu.eip(i)["InstanceId"], emu.eip(i)["InstanceType"]) for i in ids} == {("ngw-emunat0001", "Nat")}
    clock.advance(TRANSITION)
    body = vpc.describe_eip_addresses(m.DescribeEipAddressesRequest(
        region_id="cn-hangzhou", allocation_id=",".join(ids), page_size=50)).body
    assert sorted(e.allocation_id for e in body.eip_addresses.eip_address) == ids
    assert {(e.status, e.instance_id, e.mode) for e in body.eip_addresses.eip_address} == {
        ("InUse", "ngw-emunat0001", "NAT")}
    calls = emu.mutating_calls("AssociateEipAddressBatch")
    assert len(calls) == 1 and calls[0]["signature"] == style
    assert calls[0]["params"]["InstanceIds.10"] == "eip-emu0110"


def test_batch_to_eni_needs_multi_binded_and_uses_its_private_ips(emu, vpc, clock):
    err = error_of(lambda: batch(vpc, ["eip-emu0120"], "eni-emueni0001", "NetworkInterface"))
    assert (err.status_code, err.code) == (400, "IllegalParam.Mode")
    batch(vpc, ["eip-emu0120", "eip-emu0121", "eip-emu0122"], "eni-emueni0001", "NetworkInterface",
          mode="MULTI_BINDED")
    clock.advance(TRANSITION)
    got = [(emu.eip(i)["Status"], emu.eip(i)["PrivateIpAddress"], emu.eip(i)["Mode"])
           for i in ("eip-emu0120", "eip-emu0121", "eip-emu0122")]
    assert got == [("InUse", "10.0.4.1", "MULTI_BINDED"), ("InUse", "10.0.4.11", "MULTI_BINDED"),
                   ("InUse", "10.0.4.12", "MULTI_BINDED")]
    err = error_of(lambda: batch(vpc, ["eip-emu0123"], "eni-emueni0001", "NetworkInterface", mode="MULTI_BINDED"))
    assert err.code == "InvalidEip.EipQuotaExceeded"


def test_eni_with_a_nat_mode_eip_takes_no_multi_binded_batch(emu, vpc):
    vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0125", instance_id="eni-emueni0002",
        instance_type="NetworkInterface"))  # Mode NAT by default
    err = error_of(lambda: batch(vpc, ["eip-emu0126"], "eni-emueni0002", "NetworkInterface", mode="MULTI_BINDED"))
    assert (err.status_code, err.code) == (400, "OperationFailed.EipBindModeConflict")


def test_client_token_replay_and_mismatch(emu, vpc):
    first = batch(vpc, ["eip-emu0130", "eip-emu0131"], client_token="batch-tok-1")
    again = batch(vpc, ["eip-emu0130", "eip-emu0131"], client_token="batch-tok-1")
    assert again.body.request_id == first.body.request_id
    assert len(emu.mutating_calls("AssociateEipAddressBatch")) == 1
    err = error_of(lambda: batch(vpc, ["eip-emu0132"], client_token="batch-tok-1"))
    assert (err.status_code, err.code) == (400, "IdempotentParameterMismatch")


def test_one_bad_eip_binds_none(emu, vpc):
    err = error_of(lambda: batch(vpc, ["eip-emu0140", "eip-emubound01", "eip-emu0141"]))
    assert (err.status_code, err.code) == (400, "InvalidAssociation.Duplicated")
    assert emu.eip("eip-emu0140")["Status"] == emu.eip("eip-emu0141")["Status"] == "Available"
    assert emu.mutating_calls() == []


@pytest.mark.parametrize("ids, target, kwargs, status, code", [
    (["eip-nope"], ("ngw-emunat0001", "Nat"), {}, 404, "InvalidAllocationId.NotFound"),
    (["eip-emubeijing1"], ("ngw-emunat0001", "Nat"), {}, 404, "InvalidAllocationId.NotFound"),
    (["eip-emureleasing"], ("ngw-emunat0001", "Nat"), {}, 400, "IncorrectEipStatus"),
    (["eip-emulocked01"], ("ngw-emunat0001", "Nat"), {}, 400, "InvalidEIPStatus.BizDisabled"),
    (["eip-emu0150"], ("ngw-nope", "Nat"), {}, 404, "InvalidInstanId.NotFound"),
    (["eip-emu0150"], ("i-emuecs0001", "EcsInstance"), {}, 400, "InvalidInstanceType.ValueNotSupported"),
    (["eip-emu0150"], ("eni-emueni0001", "Nat"), {}, 400, "InvalidParameter.InstanceTypeNotSupport"),
    (["eip-emu0150"], ("eni-emueniprim", "NetworkInterface"), {"mode": "MULTI_BINDED"}, 400,
     "InvalidParameter.EniInstanceId"),
    (["eip-emu0150"], ("ngw-emunat0001", "Nat"), {"mode": "MULTI_BINDED"}, 400, "IllegalParam.Mode"),
    (["eip-emu0150", "eip-emu0151"], ("ngw-emunat0002", "Nat"), {}, 400, "QuotaExceeded.NumberOfEip"),
    (["eip-emu0150", "eip-emu0150"], ("ngw-emunat0001", "Nat"), {}, 400, "InvalidParameter"),
    ([f"eip-emu{n:04d}" for n in range(1, 52)], ("ngw-emunat0001", "Nat"), {}, 400, "InvalidParameter"),
    ([], ("ngw-emunat0001", "Nat"), {}, 400, "MissingInstanceIds"),
])
def test_documented_errors(emu, vpc, ids, target, kwargs, status, code):
    err = error_of(lambda: batch(vpc, ids, *target, **kwargs))
    assert (err.status_code, err.code) == (status, code)
    assert emu.mutating_calls() == []


def test_batch_eip_then_single_unassociate(emu, vpc, clock):
    batch(vpc, ["eip-emu0160"])
    clock.advance(TRANSITION)
    vpc.unassociate_eip_address(m.UnassociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id="eip-emu0160", instance_id="ngw-emunat0001", instance_type="Nat"))
    clock.advance(TRANSITION)
    assert (emu.eip("eip-emu0160")["Status"], emu.eip("eip-emu0160")["InstanceId"]) == ("Available", "")
