"""VPC 2016-04-28: AssociateEipAddress, UnassociateEipAddress, DescribeEipAddresses.

Every error comes from ``reference.error(action, code)``: the codes of the action's reference page, or an
assumption listed there and in REFERENCE.md.
"""
import ipaddress

from . import reference
from .params import page

INSTANCE_TYPES = ("EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip", "IpAddress")
MODES = ("NAT", "MULTI_BINDED", "BINDED")
EIP_STATUSES = reference.STATUSES["eip"]
BOOLEANS = ("true", "false", "True", "False")
# Instance statuses that allow an EIP to be associated.
USABLE_STATUS = {"EcsInstance": ("Running", "Stopped"), "HaVip": ("Available", "InUse")}


def fail(call, code, detail=None):
    """The error ``code`` as this call's action answers it (reference.py decides status and message)."""
    return reference.error(call.action, code, detail)


def _find_eip(call):
    eip = call.state.eips.get(call.required("AllocationId"))
    # EIPs are regional: one in another region is as unknown as a missing one.
    if eip is None or eip["RegionId"] != call.required("RegionId"):
        raise fail(call, "InvalidAllocationId.NotFound")
    return call.state.settle_eip(eip)


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
    call.required("RegionId")
    eip = _find_eip(call)
    instance_id = call.required("InstanceId")
    instance_type = _instance_type(call)
    call.choice("Force", BOOLEANS)
    if eip["OperationLocks"]:
        raise fail(call, "InvalidEIPStatus.BizDisabled")
    if eip["Status"] != "InUse":
        raise fail(call, "IncorrectEipStatus")
    # InstanceId, InstanceType or PrivateIpAddress that do not match the binding: the page's InvalidParameter.
    if eip["InstanceId"] != instance_id or eip["InstanceType"] != instance_type:
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
    low, high, default = reference.LIMITS["DescribeEipAddresses"]["PageSize"]
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    size = call.integer("PageSize", default, low, high)
    wanted = _eip_filters(call)
    state = call.state
    matching = []
    for eip in state.eips.values():
        if eip["RegionId"] != region:
            continue
        view = state.visible("eip", eip["AllocationId"], state.eip_view(eip))
        if all(view[field] in values for field, values in wanted.items()):
            matching.append(view)
    return {"TotalCount": len(matching), "PageNumber": number, "PageSize": size,
            "EipAddresses": {"EipAddress": page(matching, number, size)}}


def _eip_filters(call):
    """Field of the Describe view -> accepted values, for every filter the caller set."""
    filters = {
        "AllocationId": call.comma_list("AllocationId", reference.LIMITS["DescribeEipAddresses"]["AllocationId"]),
        "IpAddress": call.comma_list("EipAddress", reference.LIMITS["DescribeEipAddresses"]["EipAddress"]),
        "InstanceId": [call.optional("AssociatedInstanceId")] if call.optional("AssociatedInstanceId") else None,
        "InstanceType": [call.choice("AssociatedInstanceType", INSTANCE_TYPES)]
        if call.optional("AssociatedInstanceType") else None,
        "Status": [call.choice("Status", EIP_STATUSES)] if call.optional("Status") else None,
    }
    return {field: values for field, values in filters.items() if values is not None}


ACTIONS = {
    "AssociateEipAddress": associate_eip_address,
    "UnassociateEipAddress": unassociate_eip_address,
    "DescribeEipAddresses": describe_eip_addresses,
}
MUTATING = frozenset({"AssociateEipAddress", "UnassociateEipAddress"})
