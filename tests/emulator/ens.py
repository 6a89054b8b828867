"""ENS 2017-11-10: AssociateHaVip, UnassociateHaVip, DescribeHaVips.

A HAVIP may be bound to several instances (``AssociatedInstances``); each binding has its own status and
the HAVIP's status follows them (Associating/Unassociating while any binding moves, then InUse/Available),
unless the HAVIP itself is Creating or Deleting. ENS documents every error as HTTP 400, "not found" included.
Every error comes from ``call.error(code)`` (``reference.error(call.key, code)``).
"""
import time

from . import reference
from .params import page

INSTANCE_TYPES = ("EnsInstance", "NetworkInterface")
MOVING = ("Associating", "Unassociating")


def fail(call, code, detail=None):
    return call.error(code, detail)


def _find_havip(call):
    havip = call.state.havips.get(call.required("HaVipId"))
    if havip is None:
        raise fail(call, "HaVipNotFound")
    return call.state.settle_havip(havip)


def _find_instance(call, instance_id, instance_type):
    instance = call.state.ens_instances.get(instance_id)
    if instance is None or instance["InstanceType"] != instance_type:
        raise fail(call, "NetworkInterfaceNotFound" if instance_type == "NetworkInterface" else "InstanceNotFound")
    return instance


# ---- AssociateHaVip ----------------------------------------------------------------------------
def associate_ha_vip(call):
    havip = _find_havip(call)
    instance_id = call.required("InstanceId")
    instance_type = call.choice("InstanceType", INSTANCE_TYPES, "EnsInstance")
    instance = _find_instance(call, instance_id, instance_type)
    # Documented: the HAVIP must be Available or InUse (so not Creating, Deleting, nor moving).
    if call.state.havip_status(havip) not in ("Available", "InUse"):
        raise fail(call, "IncorrectHaVipStatus")
    _check_instance_status(call, instance)
    if instance["VSwitchId"] != havip["VSwitchId"]:
        raise fail(call, "IncorrectInstanceVSwitch")
    if any(m["InstanceId"] == instance_id for m in havip["members"]):
        raise fail(call, "InstanceAlreadyAssociated")
    _check_limits(call, havip, instance_id)
    call.before_change("havip", havip["HaVipId"], call.state.havip_view(havip))
    havip["members"].append({"InstanceId": instance_id, "InstanceType": instance_type, "Status": "Associating",
                             "CreationTime": _now_iso(), "until": call.deadline()})
    return {}


def _check_instance_status(call, instance):
    if instance["InstanceType"] == "EnsInstance" and instance["Status"] not in ("Running", "Stopped"):
        raise fail(call, "IncorrectInstanceStatus")
    if instance["InstanceType"] == "NetworkInterface" and instance["Status"] not in ("Available", "InUse"):
        raise fail(call, "IncorrectNetworkInterfaceStatus")


def _check_limits(call, havip, instance_id):
    limits = call.state.ens_limits
    if len(havip["members"]) >= limits.get("InstanceOnHaVip", 5):
        raise fail(call, "CountLimitExceed.InstanceOnHaVip")
    on_instance = sum(1 for h in call.state.havips.values()
                      if any(m["InstanceId"] == instance_id for m in call.state.settle_havip(h)["members"]))
    if on_instance >= limits.get("HaVipOnInstance", 5):
        raise fail(call, "CountLimitExceed.HaVipOnInstance")


def _now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# ---- UnassociateHaVip --------------------------------------------------------------------------
def unassociate_ha_vip(call):
    """The page lists no HAVIP-status error: what matters is this member's association.

    Not a member -> InstanceNotAssociated (what was asked already holds); the member still moving, or the
    HAVIP being deleted -> IncorrectInstanceAssociationStatus (busy). Other members moving do not block it.
    """
    havip = _find_havip(call)
    instance_id = call.required("InstanceId")
    if instance_id not in call.state.ens_instances:
        raise fail(call, "InstanceNotFound")
    member = next((m for m in havip["members"] if m["InstanceId"] == instance_id), None)
    if member is None:
        raise fail(call, "InstanceNotAssociated")
    if member["Status"] in MOVING or havip["BaseStatus"] == "Deleting":
        raise fail(call, "IncorrectInstanceAssociationStatus")
    call.before_change("havip", havip["HaVipId"], call.state.havip_view(havip))
    member.update(Status="Unassociating", until=call.deadline())
    return {}


# ---- DescribeHaVips ----------------------------------------------------------------------------
def describe_ha_vips(call):
    low, high, default = reference.LIMITS["ens:DescribeHaVips"]["PageSize"]
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    size = call.integer("PageSize", default, low, high)
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
        filters["Status"] = [call.choice("Status", reference.STATUSES["havip_reported"])]
    regions = call.ens_regions(limit=reference.LIMITS["ens:DescribeHaVips"]["EnsRegionIds"])
    if regions:
        filters["EnsRegionId"] = regions
    return filters


ACTIONS = {
    "AssociateHaVip": associate_ha_vip,
    "UnassociateHaVip": unassociate_ha_vip,
    "DescribeHaVips": describe_ha_vips,
}
MUTATING = frozenset({"AssociateHaVip", "UnassociateHaVip"})
