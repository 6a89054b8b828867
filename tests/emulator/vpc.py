"""VPC 2016-04-28: AssociateEipAddress, UnassociateEipAddress, DescribeEipAddresses.

Choices where Alibaba's documentation is silent are listed in README.md ("Behaviour choices").
"""
import ipaddress

from .errors import ApiError
from .params import page

INSTANCE_TYPES = ("EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip", "IpAddress")
MODES = ("NAT", "MULTI_BINDED", "BINDED")
EIP_STATUSES = ("Associating", "Unassociating", "InUse", "Available", "Releasing")
BOOLEANS = ("true", "false", "True", "False")
# Instance statuses that allow an EIP to be associated.
USABLE_STATUS = {"EcsInstance": ("Running", "Stopped"), "HaVip": ("Available", "InUse")}


def eip_not_found():
    return ApiError(404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found.")


def instance_not_found():
    # The documented code really is spelled "InvalidInstanId" (seed: vpc-AssociateEipAddress.txt).
    return ApiError(404, "InvalidInstanId.NotFound", "Specified instance does not exist.")


def incorrect_eip_status():
    return ApiError(400, "IncorrectEipStatus", "Current elastic IP status does not support this operation")


def duplicated():
    return ApiError(400, "InvalidAssociation.Duplicated", "Specified instance already is associated.")


def invalid_parameter():
    return ApiError(400, "InvalidParameter", "The specified parameter is not valid.")


def type_not_supported():
    return ApiError(400, "InvalidParameter.InstanceTypeNotSupport", "The specified instance type is not support.")


def _find_eip(call):
    eip = call.state.eips.get(call.required("AllocationId"))
    # EIPs are regional: one in another region is as unknown as a missing one.
    if eip is None or eip["RegionId"] != call.required("RegionId"):
        raise eip_not_found()
    return call.state.settle_eip(eip)


def _instance_type(call):
    return call.choice("InstanceType", INSTANCE_TYPES, "EcsInstance", error=ApiError(
        400, "InvalidInstanceType.ValueNotSupported", "The specified value of InstanceType is not supported."))


# ---- AssociateEipAddress -----------------------------------------------------------------------
def associate_eip_address(call):
    call.required("RegionId")
    eip = _find_eip(call)
    instance_id = call.required("InstanceId")
    instance_type = _instance_type(call)
    mode = _mode(call, instance_type)
    _check_eip_can_bind(eip)
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
        raise ApiError(400, "IllegalParam.Mode",
                       "Mode is supported only when InstanceType is NetworkInterface "
                       "and must be one of NAT, MULTI_BINDED, BINDED.")
    return mode


def _check_eip_can_bind(eip):
    if eip["OperationLocks"]:
        raise ApiError(400, "InvalidEIPStatus.BizDisabled", "The EIP has been locked.")
    if eip["Status"] == "InUse":
        raise duplicated()
    if eip["Status"] != "Available":
        raise incorrect_eip_status()


def _target(call, instance_id, instance_type):
    """The instance to bind; for ``IpAddress`` an IP inside a VPC whose IPv4 gateway is on."""
    if instance_type != "IpAddress":
        instance = call.state.vpc_instances.get(instance_id)
        if instance is None or instance["InstanceType"] == "IpAddress":
            raise instance_not_found()
        return instance
    vpc_id = call.optional("VpcId")
    if vpc_id is None:
        raise ApiError(400, "MissingParameter",
                       "The input parameter VpcId that is mandatory for processing this request is not supplied.")
    vpc = call.state.vpcs.get(vpc_id)
    if vpc is None:
        raise ApiError(404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
    if not vpc.get("Ipv4GatewayEnabled"):
        raise ApiError(400, "OperationFailed.Ipv4GatewayNotOpenedInVpc",
                       "The operation is failed because Ipv4Gateway is not opened in Vpc.")
    try:
        ipaddress.IPv4Address(instance_id)
    except ValueError:
        raise invalid_parameter() from None
    return {"InstanceId": instance_id, "InstanceType": "IpAddress", "RegionId": vpc["RegionId"],
            "VpcId": vpc_id, "Status": "Available", "PrivateIpAddress": instance_id}


def _check_instance(call, eip, instance, instance_type):
    if instance["InstanceType"] != instance_type:
        raise type_not_supported()
    if instance["RegionId"] != eip["RegionId"]:
        raise ApiError(400, "InvalidParameter.Mismatch",
                       "Specified elastic IP address and ECS instance are not in the same region.")
    if instance_type in ("EcsInstance", "SlbInstance") and not instance.get("VpcId"):
        raise ApiError(400, "OperationDenied", "Specified instance is not in VPC.")
    usable = USABLE_STATUS.get(instance_type)
    if usable and instance["Status"] not in usable:
        if instance_type == "HaVip":
            raise ApiError(400, "IncorrectHaVipStatus",
                           "HaVip can be operated by this action only when it's status is Available or InUse.")
        raise ApiError(400, "IncorrectInstanceStatus", "Current instance status does not support this operation.")
    if instance_type == "NetworkInterface" and instance.get("Type") == "Primary":
        raise ApiError(400, "InvalidParameter.EniInstanceId",
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
        raise invalid_parameter()
    return wanted


def _check_not_taken(call, instance, private_ip):
    # Associating, InUse and Unassociating EIPs all still hold the instance.
    bound = [e for e in call.state.eips.values()
             if call.state.settle_eip(e)["InstanceId"] == instance["InstanceId"]]
    if instance["InstanceType"] == "Nat":
        if len(bound) >= instance.get("MaxEips", 20):
            raise ApiError(400, "QuotaExceeded.NumberOfEip", "Binded eip Quota exceed on this NatGw.")
    elif instance["InstanceType"] == "NetworkInterface":
        if any(e["PrivateIpAddress"] == private_ip for e in bound):
            raise duplicated()
    elif bound:
        raise duplicated()


# ---- UnassociateEipAddress ---------------------------------------------------------------------
def unassociate_eip_address(call):
    call.required("RegionId")
    eip = _find_eip(call)
    instance_id = call.required("InstanceId")
    instance_type = _instance_type(call)
    call.choice("Force", BOOLEANS)
    if eip["OperationLocks"]:
        raise ApiError(400, "InvalidEIPStatus.BizDisabled", "The EIP has been locked.")
    if eip["Status"] != "InUse":
        raise incorrect_eip_status()
    if eip["InstanceId"] != instance_id:
        raise ApiError(400, "InvalidParameter", "The specified instance is not associated with the EIP.")
    if eip["InstanceType"] != instance_type:
        raise type_not_supported()
    wanted_ip = call.optional("PrivateIpAddress")
    if wanted_ip is not None and wanted_ip != eip["PrivateIpAddress"]:
        raise invalid_parameter()
    call.before_change("eip", eip["AllocationId"], call.state.eip_view(eip))
    eip.update(Status="Unassociating", until=call.deadline(), settles_to="Available")
    return {}


# ---- DescribeEipAddresses ----------------------------------------------------------------------
def describe_eip_addresses(call):
    region = call.required("RegionId")
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    size = call.integer("PageSize", 10, 1, 100)
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
        "AllocationId": call.comma_list("AllocationId"),
        "IpAddress": call.comma_list("EipAddress"),
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
