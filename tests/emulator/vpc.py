"""VPC 2016-04-28: AssociateEipAddress, UnassociateEipAddress, DescribeEipAddresses.

Every error comes from ``call.error(code)`` (``reference.error(call.key, code)``): the codes of the action's
reference page, or an assumption listed there and in REFERENCE.md.
"""
import ipaddress

from . import reference
from .params import page

INSTANCE_TYPES = ("EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip", "IpAddress")
MODES = ("NAT", "MULTI_BINDED", "BINDED")
EIP_STATUSES = reference.STATUSES["eip"]
BOOLEANS = ("true", "false", "True", "False")
CHARGE_TYPES = ("PostPaid", "PrePaid")
LOCK_REASONS = ("financial", "security")
# Instance statuses that allow an EIP to be associated.
USABLE_STATUS = {"EcsInstance": ("Running", "Stopped"), "HaVip": ("Available", "InUse")}


def fail(call, code, detail=None):
    """The error ``code`` as this call's action answers it (reference.py decides status and message)."""
    return call.error(code, detail)


def _find_eip(call):
    eip = call.state.eips.get(call.required("AllocationId"))
    # EIPs are regional: one in another region is as unknown as a missing one. (RegionId is required by
    # AssociateEipAddress, optional for UnassociateEipAddress.)
    region = call.required("RegionId") if call.action == "AssociateEipAddress" else call.optional("RegionId")
    if eip is None or region not in (None, eip["RegionId"]):
        raise fail(call, "InvalidAllocationId.NotFound")
    return call.state.settle_eip(eip)


def _is_ip(value):
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _instance_type(call):
    return call.choice("InstanceType", INSTANCE_TYPES, "EcsInstance",
                       error=fail(call, "InvalidInstanceType.ValueNotSupported"))


# ---- AssociateEipAddress -----------------------------------------------------------------------
def associate_eip_address(call):
    call.required("RegionId")
    eip = _find_eip(call)
    instance_id = call.required("InstanceId")
    instance_type = _instance_type(call)
    mode = _mode(call, instance_type)
    _check_eip_can_bind(call, eip)
    instance = _target(call, instance_id, instance_type)
    _check_instance(call, eip, instance, instance_type)
    private_ip = _private_ip(call, instance)
    _check_not_taken(call, instance, private_ip)
    call.before_change("eip", eip["AllocationId"], call.state.eip_view(eip))
    eip.update(Status="Associating", InstanceId=instance_id, InstanceType=instance_type,
               PrivateIpAddress=private_ip, Mode=mode, VpcId=instance.get("VpcId") or "",
               until=call.deadline(), settles_to="InUse")
    return {}


def _mode(call, instance_type):
    mode = call.optional("Mode")
    if mode is None:
        return "NAT"
    if instance_type != "NetworkInterface" or mode not in MODES:
        raise fail(call, "IllegalParam.Mode", "Mode is supported only when InstanceType is NetworkInterface "
                                              "and must be one of NAT, MULTI_BINDED, BINDED.")
    return mode


def _check_eip_can_bind(call, eip):
    if eip["OperationLocks"]:
        raise fail(call, "InvalidEIPStatus.BizDisabled")
    if eip["Status"] == "InUse":
        raise fail(call, "InvalidAssociation.Duplicated")
    if eip["Status"] != "Available":  # Associating, Unassociating, Releasing: "only queries" (page)
        raise fail(call, "IncorrectEipStatus")


def _target(call, instance_id, instance_type):
    """The instance to bind; for ``IpAddress`` an IP inside a VPC whose IPv4 gateway is on."""
    if instance_type != "IpAddress":
        instance = call.state.vpc_instances.get(instance_id)
        if instance is None or instance["InstanceType"] == "IpAddress":
            raise fail(call, "InvalidInstanId.NotFound")
        return instance
    vpc_id = call.optional("VpcId")
    if vpc_id is None:
        raise fail(call, "MissingParameter")
    vpc = call.state.vpcs.get(vpc_id)
    if vpc is None:
        raise fail(call, "InvalidVpcId.NotFound")
    if not vpc.get("Ipv4GatewayEnabled"):
        raise fail(call, "OperationFailed.Ipv4GatewayNotOpenedInVpc")
    try:
        ipaddress.IPv4Address(instance_id)
    except ValueError:
        raise fail(call, "InvalidParameter") from None
    return {"InstanceId": instance_id, "InstanceType": "IpAddress", "RegionId": vpc["RegionId"],
            "VpcId": vpc_id, "Status": "Available", "PrivateIpAddress": instance_id}


def _check_instance(call, eip, instance, instance_type):
    if instance["InstanceType"] != instance_type:
        raise fail(call, "InvalidParameter.InstanceTypeNotSupport")
    if instance["RegionId"] != eip["RegionId"]:
        raise fail(call, "InvalidParameter.Mismatch")
    if instance_type in ("EcsInstance", "SlbInstance") and not instance.get("VpcId"):
        raise fail(call, "OperationDenied")
    usable = USABLE_STATUS.get(instance_type)
    if usable and instance["Status"] not in usable:
        raise fail(call, "IncorrectHaVipStatus" if instance_type == "HaVip" else "IncorrectInstanceStatus")
    if instance_type == "NetworkInterface" and instance.get("Type") == "Primary":
        raise fail(call, "InvalidParameter.EniInstanceId",
                   "Only a secondary network interface can be associated with an EIP.")


def _instance_ips(instance):
    return [ip for ip in [instance.get("PrivateIpAddress")] + instance.get("SecondaryPrivateIps", []) if ip]


def _private_ip(call, instance):
    """The private IP the EIP maps to: the one asked for (it must be the instance's) or the primary."""
    wanted = call.optional("PrivateIpAddress")
    ips = _instance_ips(instance)
    if wanted is None:
        return ips[0] if ips else ""
    if instance["InstanceType"] not in ("EcsInstance", "NetworkInterface") or wanted not in ips:
        raise fail(call, "InvalidParameter")
    return wanted


def _check_not_taken(call, instance, private_ip):
    # Associating, InUse and Unassociating EIPs all still hold the instance.
    bound = [e for e in call.state.eips.values()
             if call.state.settle_eip(e)["InstanceId"] == instance["InstanceId"]]
    if instance["InstanceType"] == "Nat":
        if len(bound) >= instance.get("MaxEips", 20):
            raise fail(call, "QuotaExceeded.NumberOfEip")
    elif instance["InstanceType"] == "NetworkInterface":
        if any(e["PrivateIpAddress"] == private_ip for e in bound):
            raise fail(call, "InvalidAssociation.Duplicated")
    elif bound:
        raise fail(call, "InvalidAssociation.Duplicated")


# ---- UnassociateEipAddress ---------------------------------------------------------------------
def unassociate_eip_address(call):
    """RegionId, InstanceId and InstanceType are optional on this page: what is given must match the binding."""
    eip = _find_eip(call)
    instance_id = call.optional("InstanceId")
    instance_type = _instance_type(call) if call.optional("InstanceType") else None
    call.choice("Force", BOOLEANS)
    if eip["OperationLocks"]:
        raise fail(call, "InvalidEIPStatus.BizDisabled")
    if eip["Status"] != "InUse":
        raise fail(call, "IncorrectEipStatus")
    if instance_id is not None and instance_id != eip["InstanceId"]:
        known = instance_id in call.state.vpc_instances or _is_ip(instance_id)
        raise fail(call, "InvalidParameter" if known else "InvalidInstanceId.NotFound")
    # An InstanceType or PrivateIpAddress that does not match the binding: the page's InvalidParameter.
    if instance_type is not None and instance_type != eip["InstanceType"]:
        raise fail(call, "InvalidParameter")
    wanted_ip = call.optional("PrivateIpAddress")
    if wanted_ip is not None and wanted_ip != eip["PrivateIpAddress"]:
        raise fail(call, "InvalidParameter")
    call.before_change("eip", eip["AllocationId"], call.state.eip_view(eip))
    eip.update(Status="Unassociating", until=call.deadline(), settles_to="Available")
    return {}


# ---- DescribeEipAddresses ----------------------------------------------------------------------
def describe_eip_addresses(call):
    region = call.required("RegionId")
    low, high, default = reference.LIMITS["vpc:DescribeEipAddresses"]["PageSize"]
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    size = call.integer("PageSize", default, low, high)
    wanted = _eip_filters(call)
    state = call.state
    matching = []
    for eip in state.eips.values():
        if eip["RegionId"] != region:
            continue
        view = state.visible("eip", eip["AllocationId"], state.eip_view(eip))
        fields = dict(view, LockReasons=[r["LockReason"] for r in view["OperationLocks"]["LockReason"]])
        if all(_matches(fields[field], values) for field, values in wanted.items()):
            matching.append(view)
    return {"TotalCount": len(matching), "PageNumber": number, "PageSize": size,
            "EipAddresses": {"EipAddress": page(matching, number, size)}}


def _matches(value, accepted):
    return any(v in accepted for v in value) if isinstance(value, list) else value in accepted


def _eip_filters(call):
    """Field of the Describe view -> accepted values, for every filter the caller set."""
    limits = reference.LIMITS["vpc:DescribeEipAddresses"]
    filters = {
        "AllocationId": call.comma_list("AllocationId", limits["AllocationId"],
                                        error=fail(call, "InstanceIdLength.Exceed")),
        "IpAddress": call.comma_list("EipAddress", limits["EipAddress"]),
        "InstanceId": _one(call, "AssociatedInstanceId"),
        "InstanceType": _one(call, "AssociatedInstanceType", INSTANCE_TYPES,
                             fail(call, "InvalidIAssociatedInstanceType.ValueNotSupported")),
        "Status": _one(call, "Status", EIP_STATUSES),
        "ChargeType": _one(call, "ChargeType", CHARGE_TYPES, fail(call, "InvalidChargeType.ValueNotSupported")),
        "LockReasons": _one(call, "LockReason", LOCK_REASONS, fail(call, "InvalidLockReason.NotFound")),
    }
    return {field: values for field, values in filters.items() if values is not None}


def _one(call, name, allowed=None, error=None):
    """[value] of a single-valued filter (checked against ``allowed``), or None when not given."""
    if call.optional(name) is None:
        return None
    return [call.choice(name, allowed, error=error) if allowed else call.optional(name)]


ACTIONS = {
    "AssociateEipAddress": associate_eip_address,
    "UnassociateEipAddress": unassociate_eip_address,
    "DescribeEipAddresses": describe_eip_addresses,
}
MUTATING = frozenset({"AssociateEipAddress", "UnassociateEipAddress"})
