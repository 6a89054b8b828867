"""ENS 2017-11-10: AssociateHaVip, UnassociateHaVip, DescribeHaVips.

A HAVIP may be bound to several instances (``AssociatedInstances``); each binding has its own status and
the HAVIP's status follows them (Associating/Unassociating while any binding moves, then InUse/Available).
ENS documents every error as HTTP 400, "not found" included.
"""
import time

from .errors import ApiError
from .params import page

INSTANCE_TYPES = ("EnsInstance", "NetworkInterface")
HAVIP_STATUSES = ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating")


def havip_not_found():
    return ApiError(400, "HaVipNotFound", "The input parameter haVipId that is not found.")


def incorrect_havip_status():
    return ApiError(400, "IncorrectHaVipStatus", "The status of the haVip is invalid.")


def _find_havip(call):
    havip = call.state.havips.get(call.required("HaVipId"))
    if havip is None:
        raise havip_not_found()
    return call.state.settle_havip(havip)


def _find_instance(call, instance_id, instance_type):
    instance = call.state.ens_instances.get(instance_id)
    if instance is None or instance["InstanceType"] != instance_type:
        if instance_type == "NetworkInterface":
            raise ApiError(400, "NetworkInterfaceNotFound", "The specified network interface does not exist.")
        # Sic: the documented message spells "instancdId".
        raise ApiError(400, "InstanceNotFound", "The input parameter instancdId that is not found.")
    return instance


# ---- AssociateHaVip ----------------------------------------------------------------------------
def associate_ha_vip(call):
    havip = _find_havip(call)
    instance_id = call.required("InstanceId")
    instance_type = call.choice("InstanceType", INSTANCE_TYPES, "EnsInstance")
    instance = _find_instance(call, instance_id, instance_type)
    if call.state.havip_status(havip) not in ("Available", "InUse"):
        raise incorrect_havip_status()
    _check_instance_status(instance)
    if instance["VSwitchId"] != havip["VSwitchId"]:
        raise ApiError(400, "IncorrectInstanceVSwitch", "The binding instance must be under the same VSwitch.")
    if any(m["InstanceId"] == instance_id for m in havip["members"]):
        raise ApiError(400, "InstanceAlreadyAssociated", "The instance is already bound.")
    _check_limits(call, havip, instance_id)
    call.before_change("havip", havip["HaVipId"], call.state.havip_view(havip))
    havip["members"].append({"InstanceId": instance_id, "InstanceType": instance_type, "Status": "Associating",
                             "CreationTime": _now_iso(), "until": call.deadline()})
    return {}


def _check_instance_status(instance):
    if instance["InstanceType"] == "EnsInstance" and instance["Status"] not in ("Running", "Stopped"):
        raise ApiError(400, "IncorrectInstanceStatus",
                       "The current status of the instance does not support this operation.")
    if instance["InstanceType"] == "NetworkInterface" and instance["Status"] not in ("Available", "InUse"):
        raise ApiError(400, "IncorrectNetworkInterfaceStatus",
                       "The operation could not be completed because the status of the specified network "
                       "interface is invalid for this action.")


def _check_limits(call, havip, instance_id):
    limits = call.state.ens_limits
    if len(havip["members"]) >= limits.get("InstanceOnHaVip", 5):
        raise ApiError(400, "CountLimitExceed.InstanceOnHaVip",
                       "The number of instances bound to HaVip has reached the limit.")
    on_instance = sum(1 for h in call.state.havips.values()
                      if any(m["InstanceId"] == instance_id for m in call.state.settle_havip(h)["members"]))
    if on_instance >= limits.get("HaVipOnInstance", 5):
        raise ApiError(400, "CountLimitExceed.HaVipOnInstance",
                       "The amount of HaVip associated with the specified Instance reach its limits.")


def _now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# ---- UnassociateHaVip --------------------------------------------------------------------------
def unassociate_ha_vip(call):
    havip = _find_havip(call)
    instance_id = call.required("InstanceId")
    if instance_id not in call.state.ens_instances:
        raise ApiError(400, "InstanceNotFound", "The input parameter instancdId that is not found.")
    if call.state.havip_status(havip) not in ("Available", "InUse"):
        raise incorrect_havip_status()
    member = next((m for m in havip["members"] if m["InstanceId"] == instance_id), None)
    if member is None:
        # Choice (README): unbinding an instance that is not bound is an error, not a silent success.
        raise ApiError(400, "InvalidParameter.InstanceId", "The specified field InstanceId invalid. "
                                                           "Please check it again.")
    call.before_change("havip", havip["HaVipId"], call.state.havip_view(havip))
    member.update(Status="Unassociating", until=call.deadline())
    return {}


# ---- DescribeHaVips ----------------------------------------------------------------------------
def describe_ha_vips(call):
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    size = call.integer("PageSize", 10, 1, 100)
    wanted = _havip_filters(call)
    state = call.state
    matching = []
    for havip in state.havips.values():
        view = state.visible("havip", havip["HaVipId"], state.havip_view(havip))
        if all(view[field] in values for field, values in wanted.items()):
            matching.append(view)
    return {"TotalCount": len(matching), "PageNumber": number, "PageSize": size,
            "HaVips": page(matching, number, size)}


def _havip_filters(call):
    filters = {field: call.optional(name) for field, name in (
        ("HaVipId", "HaVipId"), ("IpAddress", "HaVipAddress"), ("Name", "Name"),
        ("NetworkId", "NetworkId"), ("VSwitchId", "VSwitchId"))}
    filters = {field: [value] for field, value in filters.items() if value is not None}
    if call.optional("Status") is not None:
        filters["Status"] = [call.choice("Status", HAVIP_STATUSES)]
    regions = [v for k, v in call.params.items() if k.startswith("EnsRegionIds.")]
    if call.optional("EnsRegionId") is not None:
        regions.append(call.optional("EnsRegionId"))
    if regions:
        filters["EnsRegionId"] = regions
    return filters


ACTIONS = {
    "AssociateHaVip": associate_ha_vip,
    "UnassociateHaVip": unassociate_ha_vip,
    "DescribeHaVips": describe_ha_vips,
}
MUTATING = frozenset({"AssociateHaVip", "UnassociateHaVip"})
