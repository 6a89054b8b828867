"""VPC 2016-04-28 AssociateEipAddressBatch: several EIPs onto one NAT gateway or secondary ENI.

Each EIP moves exactly as with AssociateEipAddress (Associating, then InUse). The whole list is checked
before any EIP changes: a request either binds every EIP or none (REFERENCE.md, assumptions).
Every error is ``call.error(code)``: the table reference.py keeps for ``vpc:AssociateEipAddressBatch``, which
is AssociateEipAddress's (the page the batch page refers to). Its "not found" code really is spelled
``InvalidInstanId.NotFound``.
"""
from . import reference

BINDED_INSTANCE_TYPES = ("Nat", "NetworkInterface")
MAX_EIPS = reference.LIMITS["vpc:AssociateEipAddressBatch"]["InstanceIds"]  # "at least 1 EIP and up to 50 EIPs"


def _eip_ids(call):
    """InstanceIds.N, in N order; 1..50 IDs, no repeats."""
    numbered = []
    for key, value in call.params.items():
        prefix, number = key.partition(".")[::2]
        if prefix == "InstanceIds" and number.isdigit() and value:
            numbered.append((int(number), value))
    ids = [value for number, value in sorted(numbered)]
    if not ids:
        raise call.error("MissingInstanceIds", "InstanceIds")
    if len(ids) > MAX_EIPS or len(set(ids)) != len(ids):
        raise call.error("InvalidParameter")
    return ids


def _target(call, region):
    instance_type = call.required("BindedInstanceType")
    if instance_type not in BINDED_INSTANCE_TYPES:
        raise call.error("InvalidInstanceType.ValueNotSupported")
    instance = call.state.vpc_instances.get(call.required("BindedInstanceId"))
    if instance is None or instance["InstanceType"] == "IpAddress":
        raise call.error("InvalidInstanId.NotFound")
    if instance["InstanceType"] != instance_type:
        raise call.error("InvalidParameter.InstanceTypeNotSupport")
    if instance["RegionId"] != region:
        raise call.error("InvalidParameter.Mismatch")
    if instance_type == "NetworkInterface" and instance.get("Type") == "Primary":
        # The page's message is "%s": the service fills in what went wrong.
        raise call.error("InvalidParameter.EniInstanceId",
                         "Only a secondary network interface can be associated with an EIP.")
    return instance


def _mode(call, instance_type):
    """NAT gateways take no mode (NAT); an ENI takes the documented MULTI_BINDED, which it requires."""
    mode = call.optional("Mode")
    if instance_type == "NetworkInterface" and mode == "MULTI_BINDED":
        return mode
    if instance_type == "Nat" and mode is None:
        return "NAT"
    raise call.error("IllegalParam.Mode", "Mode must be MULTI_BINDED when BindedInstanceType is NetworkInterface "
                                          "and is not supported for Nat.")


def _bound_to(call, instance_id):
    # Associating, InUse and Unassociating EIPs all still hold the instance.
    return [e for e in call.state.eips.values() if call.state.settle_eip(e)["InstanceId"] == instance_id]


def _private_ips(call, instance, count):
    """The private IP each new EIP maps to: "" for a NAT gateway; the ENI's free IPs, one EIP each."""
    if instance["InstanceType"] == "Nat":
        bound = len(_bound_to(call, instance["InstanceId"]))
        if bound + count > instance.get("MaxEips", 20):
            raise call.error("QuotaExceeded.NumberOfEip")
        return [""] * count
    bound = _bound_to(call, instance["InstanceId"])
    if any(e["Mode"] != "MULTI_BINDED" for e in bound):
        raise call.error("OperationFailed.EipBindModeConflict")
    taken = {e["PrivateIpAddress"] for e in bound}
    ips = [instance.get("PrivateIpAddress")] + instance.get("SecondaryPrivateIps", [])
    free = [ip for ip in ips if ip and ip not in taken]
    if len(free) < count:
        raise call.error("InvalidEip.EipQuotaExceeded")
    return free[:count]


def _check_eip(call, allocation_id, region):
    eip = call.state.eips.get(allocation_id)
    if eip is None or eip["RegionId"] != region:  # EIPs are regional, as in AssociateEipAddress
        raise call.error("InvalidAllocationId.NotFound")
    call.state.settle_eip(eip)
    if eip["OperationLocks"]:
        raise call.error("InvalidEIPStatus.BizDisabled")
    if eip["Status"] == "InUse":
        raise call.error("InvalidAssociation.Duplicated")
    if eip["Status"] != "Available":
        raise call.error("IncorrectEipStatus")
    return eip


def associate_eip_address_batch(call):
    region = call.required("RegionId")
    instance = _target(call, region)
    mode = _mode(call, instance["InstanceType"])
    eips = [_check_eip(call, allocation_id, region) for allocation_id in _eip_ids(call)]
    private_ips = _private_ips(call, instance, len(eips))
    for eip, private_ip in zip(eips, private_ips):
        call.before_change("eip", eip["AllocationId"], call.state.eip_view(eip))
        eip.update(Status="Associating", InstanceId=instance["InstanceId"], InstanceType=instance["InstanceType"],
                   PrivateIpAddress=private_ip, Mode=mode, VpcId=instance.get("VpcId") or "",
                   until=call.deadline(), settles_to="InUse")
    return {}


ACTIONS = {"AssociateEipAddressBatch": associate_eip_address_batch}
MUTATING = frozenset(ACTIONS)
