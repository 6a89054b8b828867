"""VPC 2016-04-28 AssociateHaVip, UnassociateHaVip, DescribeHaVips (same names as the ENS actions in ens.py;
the version routes a call here).

A VPC HAVIP is an entry of ``state.vpc_instances`` (InstanceType ``HaVip``, the same object AssociateEipAddress
binds EIPs to), wrapped in ``VpcHaVip`` so that its ``Status`` follows its members. Members move like ENS
members (Associating -> InUse, Unassociating -> gone), but the VPC answer shows them as bare IDs with one
``AssociatedInstanceType`` and a ``MasterInstanceId`` (the member holding the address), no per-member status.
Choices the pages leave open are listed in REFERENCE.md ("Assumptions"). Every error is ``call.error(code)``:
the tables reference.py keeps for ``vpc:AssociateHaVip``, ``vpc:UnassociateHaVip``, ``vpc:DescribeHaVips``.
"""
from . import reference
from .params import page
from .state import SEED_TIME

INSTANCE_TYPES = ("EcsInstance", "NetworkInterface")
# Instance statuses that allow a change: ECS "Running or Stopped" (documented); ENI: assumption.
USABLE_STATUS = {"EcsInstance": ("Running", "Stopped"), "NetworkInterface": ("Available", "InUse")}
BOOLEANS = {"true": True, "false": False}
FILTER_FIELDS = {"VpcId": "VpcId", "VSwitchId": "VSwitchId", "Status": "Status", "HaVipId": "HaVipId",
                 "HaVipAddress": "IpAddress"}
MAX_FILTERS = reference.LIMITS["vpc:DescribeHaVips"]["Filter"]  # Filter.N: N 1..5, Filter.N.Value.M: M 1..5
DEFAULT_LIMITS = reference.LIMITS["vpc:AssociateHaVip"]  # the seed's vpc_havip.limits may change them


class VpcHaVip(dict):
    """A VPC HAVIP record. ``Status`` is derived: a stored non-association status (Creating, Deleting) wins;
    else Associating/Unassociating while a member moves, InUse with members, Available without."""

    def __init__(self, data, clock):
        super().__init__(data)
        self.clock = clock

    def __getitem__(self, key):
        if key == "Status":
            return self.status()
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key == "Status" or key in self else default

    def settle(self):
        now = self.clock()
        kept = []
        for member in super().__getitem__("members"):
            if member["until"] is not None and now >= member["until"]:
                if member["Status"] == "Unassociating":
                    continue
                member.update(Status="InUse", until=None)
            kept.append(member)
        super().__getitem__("members")[:] = kept  # in place: callers may hold the list
        in_use = [m["InstanceId"] for m in kept if m["Status"] == "InUse"]
        if super().__getitem__("MasterInstanceId") not in [m["InstanceId"] for m in kept]:
            # No master yet, or it left (Force): the first bound member holds the address, as keepalived would.
            self["MasterInstanceId"] = in_use[0] if in_use else ""
        if not kept:
            self["AssociatedInstanceType"] = ""
        return self

    def status(self):
        self.settle()
        if super().__getitem__("BaseStatus"):
            return super().__getitem__("BaseStatus")
        statuses = {m["Status"] for m in super().__getitem__("members")}
        for moving in ("Associating", "Unassociating"):
            if moving in statuses:
                return moving
        return "InUse" if statuses else "Available"


# ---- seed ---------------------------------------------------------------------------------------
def load(state, seed):
    """Wrap the seed's VPC HAVIPs (``vpc.instances`` of type HaVip and ``vpc_havip.havips``) and add the
    ``vpc_havip.instances`` (ECS instances and ENIs on their vSwitches)."""
    extra = seed.get("vpc_havip", {})
    state.vpc_havip_limits = dict(DEFAULT_LIMITS, **extra.get("limits", {}))
    for instance in extra.get("instances", []):
        state.vpc_instances[instance["InstanceId"]] = dict(instance)
    for havip in extra.get("havips", []):
        state.vpc_instances[havip["HaVipId"]] = dict(havip, InstanceId=havip["HaVipId"], InstanceType="HaVip",
                                                     PrivateIpAddress=havip["IpAddress"])
    for instance_id, entry in list(state.vpc_instances.items()):
        if entry["InstanceType"] == "HaVip":
            state.vpc_instances[instance_id] = _record(state, entry)


def _record(state, entry):
    members = [{"InstanceId": i, "Status": "InUse", "until": None} for i in entry.get("AssociatedInstances", [])]
    status = entry.get("Status", "Available")
    data = {k: v for k, v in entry.items() if k not in ("Status", "AssociatedInstances")}
    data.update(
        HaVipId=entry["InstanceId"], IpAddress=entry.get("IpAddress") or entry.get("PrivateIpAddress", ""),
        BaseStatus=status if status not in ("Available", "InUse") else None, members=members,
        AssociatedInstanceType=entry.get("AssociatedInstanceType", "EcsInstance" if members else ""),
        MasterInstanceId=entry.get("MasterInstanceId", members[0]["InstanceId"] if members else ""),
        Name=entry.get("Name", ""), Description=entry.get("Description", ""))
    return VpcHaVip(data, state.clock)


def havips(state):
    return [e for e in state.vpc_instances.values() if isinstance(e, VpcHaVip)]


def view(state, havip):
    """One item of VPC DescribeHaVips ``HaVips.HaVip``, in the SDK model's shape."""
    status = havip.status()
    eips = [e["IpAddress"] for e in state.eips.values()
            if state.settle_eip(e)["InstanceId"] == havip["HaVipId"] and e["InstanceType"] == "HaVip"]
    return {
        "HaVipId": havip["HaVipId"], "IpAddress": havip["IpAddress"], "Status": status,
        "VpcId": havip.get("VpcId", ""), "VSwitchId": havip.get("VSwitchId", ""), "RegionId": havip["RegionId"],
        "Name": havip["Name"], "Description": havip["Description"], "CreateTime": SEED_TIME,
        "ResourceGroupId": "rg-emu0001", "MasterInstanceId": havip["MasterInstanceId"],
        "AssociatedInstanceType": havip["AssociatedInstanceType"],
        "AssociatedInstances": {"associatedInstance": [m["InstanceId"] for m in havip["members"]]},
        "AssociatedEipAddresses": {"associatedEipAddresse": eips},
        "Tags": {"Tag": []},
    }


def view_of(state, havip_id):
    havip = state.vpc_instances.get(havip_id)
    return view(state, havip) if isinstance(havip, VpcHaVip) else None


# ---- lookups -------------------------------------------------------------------------------------
def _find_havip(call):
    region = call.required("RegionId")
    havip = call.state.vpc_instances.get(call.required("HaVipId"))
    if not isinstance(havip, VpcHaVip) or havip["RegionId"] != region:
        raise call.error("InvalidHaVipId.NotFound")
    havip.settle()
    return havip


def _find_instance(call, instance_type, region):
    instance = call.state.vpc_instances.get(call.required("InstanceId"))
    if instance is None or instance["InstanceType"] != instance_type or instance["RegionId"] != region:
        raise call.error("InvalidInstanceId.NotFound")
    return instance


def _check_instance_status(call, instance):
    if instance["Status"] not in USABLE_STATUS[instance["InstanceType"]]:
        raise call.error("IncorrectInstanceStatus")


# ---- AssociateHaVip -----------------------------------------------------------------------------
def associate_ha_vip(call):
    havip = _find_havip(call)
    instance_type = call.choice("InstanceType", INSTANCE_TYPES, "EcsInstance")
    instance = _find_instance(call, instance_type, havip["RegionId"])
    if havip.status() not in ("Available", "InUse"):
        raise call.error("IncorrectHaVipStatus")
    _check_instance_status(call, instance)
    if instance.get("VSwitchId") != havip["VSwitchId"]:
        raise call.error("NotBelongToSameVSwitch")
    members = havip["members"]
    if any(m["InstanceId"] == instance["InstanceId"] for m in members):
        raise call.error("InvalidParameter", message="The specified instance is already associated with the HaVip.")
    if members and havip["AssociatedInstanceType"] != instance_type:
        raise call.error("InvalidParameter",
                         message="An HaVip cannot be associated with ECS instances and ENIs at the same time.")
    _check_limits(call, havip, instance["InstanceId"])
    call.before_change("vpc_havip", havip["HaVipId"], view(call.state, havip))
    members.append({"InstanceId": instance["InstanceId"], "Status": "Associating", "until": call.deadline()})
    havip["AssociatedInstanceType"] = instance_type
    return {}


def _check_limits(call, havip, instance_id):
    limits = call.state.vpc_havip_limits
    if len(havip["members"]) >= limits["InstanceOnHaVip"]:
        raise call.error("CountLimitExceeded.HaVipOnECSInstance")
    held = sum(1 for h in havips(call.state) if any(m["InstanceId"] == instance_id for m in h.settle()["members"]))
    if held >= limits["HaVipOnInstance"]:
        raise call.error("CountLimitExceed.HaVipOnInstance")


# ---- UnassociateHaVip ---------------------------------------------------------------------------
def unassociate_ha_vip(call):
    havip = _find_havip(call)
    instance_id = call.required("InstanceId")
    instance_type = call.choice("InstanceType", INSTANCE_TYPES)
    force = BOOLEANS[call.choice("Force", ("True", "False", "true", "false"), "False").lower()]
    instance = call.state.vpc_instances.get(instance_id)
    if instance is None or instance["InstanceType"] not in INSTANCE_TYPES:
        raise call.error("InvalidInstanceId.NotFound")
    if havip.status() not in ("Available", "InUse"):
        raise call.error("IncorrectHaVipStatus")
    _check_instance_status(call, instance)
    member = next((m for m in havip["members"] if m["InstanceId"] == instance_id), None)
    if member is None or (instance_type and instance_type != havip["AssociatedInstanceType"]):
        raise call.error("ResourceNotAssociated")
    if instance_id == havip["MasterInstanceId"] and not force:
        raise call.error("Forbidden.UnassociateMaster")
    call.before_change("vpc_havip", havip["HaVipId"], view(call.state, havip))
    member.update(Status="Unassociating", until=call.deadline())
    return {}


# ---- DescribeHaVips -----------------------------------------------------------------------------
def describe_ha_vips(call):
    region = call.required("RegionId")
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    low, high, default = reference.LIMITS["vpc:DescribeHaVips"]["PageSize"]
    size = call.integer("PageSize", default, low, high)
    wanted = _filters(call)
    state = call.state
    matching = []
    for havip in havips(state):
        if havip["RegionId"] != region:
            continue
        shown = state.visible("vpc_havip", havip["HaVipId"], view(state, havip))
        if all(shown[field] in values for field, values in wanted.items()):
            matching.append(shown)
    return {"TotalCount": len(matching), "PageNumber": number, "PageSize": size,
            "HaVips": {"HaVip": page(matching, number, size)}}


def _filters(call):
    """Field of the view -> accepted values, from Filter.N.Key / Filter.N.Value.M (values OR, keys AND)."""
    keys, values = {}, {}
    for name, value in call.params.items():
        parts = name.split(".")
        if parts[0] != "Filter":
            continue
        if len(parts) == 3 and parts[2] == "Key" and parts[1].isdigit():
            keys[int(parts[1])] = value
        elif len(parts) == 4 and parts[2] == "Value" and parts[1].isdigit() and parts[3].isdigit():
            if not 1 <= int(parts[3]) <= MAX_FILTERS:
                raise call.error("InvalidParameter")
            values.setdefault(int(parts[1]), []).append(value)
        else:
            raise call.error("InvalidParameter")
    wanted = {}
    for number, key in keys.items():
        if not 1 <= number <= MAX_FILTERS or key not in FILTER_FIELDS:
            raise call.error("InvalidParameter")
        field = FILTER_FIELDS[key]
        wanted[field] = wanted.get(field, []) + values.get(number, [])
    if set(values) - set(keys):
        raise call.error("InvalidParameter")
    return wanted


ACTIONS = {
    "AssociateHaVip": associate_ha_vip,
    "UnassociateHaVip": unassociate_ha_vip,
    "DescribeHaVips": describe_ha_vips,
}
MUTATING = frozenset({"AssociateHaVip", "UnassociateHaVip"})
