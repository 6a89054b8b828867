"""ENS 2017-11-10 AssociateEnsEipAddress, UnAssociateEnsEipAddress, DescribeEnsEipAddresses.

ENS EIPs live on edge nodes (``EnsRegionId``) and move like VPC EIPs: Associating -> InUse,
Unassociating -> Available. An instance holds one EIP and, with ``Standby=true``, one standby EIP; a NAT
gateway or ``NatSlbInstance`` takes several. UnAssociateEnsEipAddress names only the EIP (no instance).
ENS documents every error as HTTP 400. Choices the pages leave open: REFERENCE.md ("Assumptions"). Every error
is ``call.error(code)``: the tables reference.py keeps for ``ens:AssociateEnsEipAddress`` and the others.
"""
from . import reference
from .params import page
from .state import SEED_TIME, expand_bulk

INSTANCE_TYPES = ("EnsInstance", "Nat", "SlbInstance", "NetworkInterface", "NatSlbInstance")
# The stored type of the instance each InstanceType value names (NatSlbInstance: several EIPs on one SLB).
STORED_TYPE = {"NatSlbInstance": "SlbInstance"}
MULTI_EIP_TYPES = ("Nat", "NatSlbInstance")
EIP_STATUSES = reference.STATUSES["ens_eip"]
BOOLEANS = {"true": True, "false": False}


# ---- seed ---------------------------------------------------------------------------------------
def load(state, seed):
    """``ens_eip.instances`` join ``state.ens_instances``; ``ens_eip.eips`` / ``bulk`` fill ``state.ens_eips``."""
    extra = seed.get("ens_eip", {})
    for instance in extra.get("instances", []):
        state.ens_instances[instance["InstanceId"]] = dict(instance)
    state.ens_eips = {}
    for entry in extra.get("bulk", []):
        for item in expand_bulk(entry):
            _add(state, dict(item, AllocationId=item["Id"], IpAddress=item["first_ip"]))
    for eip in extra.get("eips", []):
        _add(state, eip)


def _add(state, seed):
    state.ens_eips[seed["AllocationId"]] = {
        "AllocationId": seed["AllocationId"], "IpAddress": seed["IpAddress"], "EnsRegionId": seed["EnsRegionId"],
        "Status": seed.get("Status", "Available"), "InstanceId": seed.get("InstanceId", ""),
        "InstanceType": seed.get("InstanceType", ""), "Standby": bool(seed.get("Standby", False)),
        "Name": seed.get("Name", ""), "Description": seed.get("Description", ""),
        "Bandwidth": int(seed.get("Bandwidth", 5)), "Isp": seed.get("Isp", "cmcc"),
        "OperationLocks": list(seed.get("OperationLocks", [])), "UsedBySnat": bool(seed.get("UsedBySnat", False)),
        "until": None, "settles_to": None,
    }


# ---- transitions and the Describe shape ---------------------------------------------------------
def settle(state, eip):
    if eip["until"] is not None and state.clock() >= eip["until"]:
        eip["Status"], eip["until"] = eip["settles_to"], None
        if eip["Status"] == "Available":
            eip.update(InstanceId="", InstanceType="", Standby=False, UsedBySnat=False)
    return eip


def view(state, eip):
    """One item of DescribeEnsEipAddresses ``EipAddresses.EipAddress``, in the SDK model's shape."""
    settle(state, eip)
    return {
        "AllocationId": eip["AllocationId"], "IpAddress": eip["IpAddress"], "EnsRegionId": eip["EnsRegionId"],
        "Status": eip["Status"], "InstanceId": eip["InstanceId"], "InstanceType": eip["InstanceType"],
        "Standby": eip["Standby"], "Name": eip["Name"], "Description": eip["Description"],
        "Bandwidth": eip["Bandwidth"], "Isp": eip["Isp"], "AllocationTime": SEED_TIME, "ChargeType": "PostPaid",
        "InternetChargeType": "", "IcmpReplyEnabled": True, "IpStatus": "", "BandwidthPackageId": "",
        "OperationLocks": {"Lock": [{"LockReason": r} for r in eip["OperationLocks"]]},
        "Tags": {"Tag": []},
    }


def view_of(state, allocation_id):
    eip = state.ens_eips.get(allocation_id)
    return view(state, eip) if eip else None


# ---- parameters and lookups ---------------------------------------------------------------------
def _boolean(call, name):
    value = call.optional(name)
    if value is None:
        return None
    if value.lower() not in BOOLEANS:
        raise call.invalid(name)
    return BOOLEANS[value.lower()]


def _find_eip(call):
    eip = call.state.ens_eips.get(call.required("AllocationId"))
    if eip is None:
        raise call.error("EipNotFound")
    return settle(call.state, eip)


def _holders(call, instance_id):
    """EIPs that still hold ``instance_id`` (Associating, InUse, Unassociating)."""
    return [e for e in call.state.ens_eips.values() if settle(call.state, e)["InstanceId"] == instance_id]


# ---- AssociateEnsEipAddress ---------------------------------------------------------------------
def associate_ens_eip_address(call):
    eip = _find_eip(call)
    instance_id = call.required("InstanceId")
    instance_type = call.choice("InstanceType", INSTANCE_TYPES, "EnsInstance")
    standby = bool(_boolean(call, "Standby"))
    instance = call.state.ens_instances.get(instance_id)
    if instance is None or instance["InstanceType"] != STORED_TYPE.get(instance_type, instance_type):
        raise call.error("InstanceNotFound")
    if eip["Status"] != "Available" or eip["OperationLocks"]:
        raise call.error("IncorrectEipStatus")
    if instance["EnsRegionId"] != eip["EnsRegionId"]:
        raise call.error("InvalidParameter.InstanceId")
    if instance_type not in MULTI_EIP_TYPES:
        if any(e["Standby"] == standby for e in _holders(call, instance_id)):
            raise call.error("InvalidParameter.InstanceId")
    call.before_change("ens_eip", eip["AllocationId"], view(call.state, eip))
    eip.update(Status="Associating", InstanceId=instance_id, InstanceType=instance_type, Standby=standby,
               until=call.deadline(), settles_to="InUse")
    return {}


# ---- UnAssociateEnsEipAddress -------------------------------------------------------------------
def un_associate_ens_eip_address(call):
    eip = _find_eip(call)
    force = bool(_boolean(call, "Force"))
    if eip["Status"] != "InUse":
        raise call.error("IncorrectEipStatus")
    if not eip["Standby"] and any(e["Standby"] for e in _holders(call, eip["InstanceId"])):
        raise call.error("InvalidUnAssociation.UnAssociateStandbyEipFist")
    if eip["UsedBySnat"] and not force:
        raise call.error("InvalidIpStatus.HasBeenUsedBySnatTable")
    call.before_change("ens_eip", eip["AllocationId"], view(call.state, eip))
    eip.update(Status="Unassociating", until=call.deadline(), settles_to="Available")
    return {}


# ---- DescribeEnsEipAddresses --------------------------------------------------------------------
def describe_ens_eip_addresses(call):
    number = call.integer("PageNumber", 1, 1, 10 ** 6)
    low, high, default = reference.LIMITS["ens:DescribeEnsEipAddresses"]["PageSize"]
    size = call.integer("PageSize", default, low, high)
    wanted = _filters(call)
    locks = call.optional("LockReason")
    state = call.state
    matching = []
    for eip in state.ens_eips.values():
        shown = state.visible("ens_eip", eip["AllocationId"], view(state, eip))
        if locks is not None and locks not in [lock["LockReason"] for lock in shown["OperationLocks"]["Lock"]]:
            continue
        if all(shown[field] in values for field, values in wanted.items()):
            matching.append(shown)
    return {"TotalCount": len(matching), "PageNumber": number, "PageSize": size,
            "EipAddresses": {"EipAddress": page(matching, number, size)}}


def _filters(call):
    """Field of the view -> accepted values, for every filter the caller set."""
    single = {"InstanceId": "AssociatedInstanceId", "Name": "EipName"}
    filters = {field: [call.optional(name)] for field, name in single.items() if call.optional(name) is not None}
    for field, name in (("AllocationId", "AllocationId"), ("IpAddress", "EipAddress")):
        values = call.comma_list(name)
        if values is not None:
            filters[field] = values
    if call.optional("AssociatedInstanceType") is not None:
        filters["InstanceType"] = [call.choice("AssociatedInstanceType", INSTANCE_TYPES)]
    if call.optional("Status") is not None:
        filters["Status"] = [call.choice("Status", EIP_STATUSES)]
    for field in ("Standby", "IcmpReplyEnabled"):
        value = _boolean(call, field)
        if value is not None:
            filters[field] = [value]
    regions = call.ens_regions()
    if regions:
        filters["EnsRegionId"] = regions
    return filters


ACTIONS = {
    "AssociateEnsEipAddress": associate_ens_eip_address,
    "UnAssociateEnsEipAddress": un_associate_ens_eip_address,
    "DescribeEnsEipAddresses": describe_ens_eip_addresses,
}
MUTATING = frozenset({"AssociateEnsEipAddress", "UnAssociateEnsEipAddress"})
