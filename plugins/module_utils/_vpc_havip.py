# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about VPC HAVIPs (VPC API 2016-04-28): reads, statuses, limits and views.

A VPC HAVIP is read into the internal shape of an ENS HAVIP (module_utils/_havip.py) so havip_association's
membership logic serves both. The VPC answer differs in three ways this module absorbs:

* members are bare IDs (AssociatedInstances.associatedInstance) with one AssociatedInstanceType for all;
* no member has a status of its own: while one moves, the HAVIP is Associating / Unassociating. Each member is
  given the HAVIP's status, which says the same (the HAVIP settles when its moving member does);
* MasterInstanceId names the member holding the address; UnassociateHaVip refuses it unless Force is True.
"""

from __future__ import annotations

from ansible_collections.alicloud.network.plugins.module_utils import _havip
from ansible_collections.alicloud.network.plugins.module_utils._paging import batches, read_all_pages

# DescribeHaVips statuses (the SDK model), plus Associating / Unassociating (the Associate/Unassociate pages).
TRANSIENT = _havip.TRANSIENT
CHANGEABLE = _havip.CHANGEABLE

# AssociateHaVip: "a HAVIP can be associated with at most two ECS instances" (the English reference), and never
# with ECS instances and ENIs at once (DescribeHaVips has one AssociatedInstanceType).
MAX_MEMBERS = 2

# DescribeHaVips: PageSize at most 50; Filter.N (N 1..5) with Filter.N.Value.M (M 1..5).
PAGE_SIZE = 50
MAX_FILTER_VALUES = 5


# ---- reading --------------------------------------------------------------------------------------------------

def filter_params(filters):
    """DescribeHaVips' Filter.N.Key / Filter.N.Value.M from {key: [values]} (keys AND, values OR)."""
    return {"Filter": [{"Key": key, "Value": list(values)} for key, values in sorted(filters.items())]}


def _raw_havips_of(answer):
    return (answer.get("HaVips") or {}).get("HaVip") or []


def _bare_ids(raw):
    listed = raw.get("AssociatedInstances") or []
    if isinstance(listed, dict):
        listed = listed.get("associatedInstance") or listed.get("AssociatedInstance") or []
    return [i for i in listed if i]


def normalized(raw):
    """The VPC item in the internal (ENS) shape; the VPC-only fields stay as they are."""
    havip = dict(raw)
    kind = raw.get("AssociatedInstanceType") or None
    havip["AssociatedInstances"] = [dict(InstanceId=i, InstanceType=kind, Status=raw.get("Status"))
                                    for i in _bare_ids(raw)]
    return havip


def read_havip(call, havip_id):
    """The HAVIP with this ID in the module's region (normalized), or None when there is none."""
    answer = call("DescribeHaVips", dict(filter_params({"HaVipId": [havip_id]}), PageSize=PAGE_SIZE))
    return next((normalized(h) for h in _raw_havips_of(answer) if h.get("HaVipId") == havip_id), None)


def list_havips(call, filters=None):
    """Every HAVIP of the region matching `filters` ({key: [values]}, keys VpcId, VSwitchId, Status, HaVipId,
    HaVipAddress; at most 5 values each), every page read, normalized."""
    params = filter_params(filters or {})
    return [normalized(h) for h in read_all_pages(call, "DescribeHaVips", params, _raw_havips_of, PAGE_SIZE)]


def describe_filters(ip_address=None, vswitch_id=None, status=None):
    """The DescribeHaVips filters ({key: [values]}) for havip_info's options (the ones given)."""
    filters = dict(HaVipAddress=ip_address, VSwitchId=vswitch_id, Status=status)
    return dict((key, [value]) for key, value in filters.items() if value is not None)


def read_havips(call, havip_ids=None, filters=None):
    """Every HAVIP matching `filters` and, when given, one of `havip_ids`, in the order of `havip_ids`.

    A filter takes up to 5 values, so the IDs go 5 to a listing; an ID that does not exist is simply absent.
    """
    filters = dict(filters or {})
    if havip_ids is None:
        return list_havips(call, filters)
    found = {}
    for batch in batches(havip_ids, MAX_FILTER_VALUES):
        found.update((h["HaVipId"], h) for h in list_havips(call, dict(filters, HaVipId=batch)))
    return [found[i] for i in dict.fromkeys(havip_ids) if i in found]


# ---- the shapes modules return ----------------------------------------------------------------------------------

def havip_view(havip):
    """The same keys as an ENS HAVIP's view (ens_region_id is null: a VPC HAVIP is regional), plus region_id,
    vpc_id and master_instance_id. A member's status is the HAVIP's (the VPC reports none per member)."""
    view = _havip.havip_view(havip)
    view.update(ens_region_id=None, region_id=havip.get("RegionId"), vpc_id=havip.get("VpcId"),
                master_instance_id=havip.get("MasterInstanceId") or None)
    return view


def describe_state(havip):
    text = _havip.describe_state(havip)
    if havip and havip.get("MasterInstanceId"):
        text += "; master %s" % havip["MasterInstanceId"]
    return text


# ---- the service, as havip_association uses it ------------------------------------------------------------------

class VpcHaVips(_havip.HaVipService):
    """VPC 2016-04-28 AssociateHaVip / UnassociateHaVip / DescribeHaVips: regional endpoint, RegionId and a
    ClientToken on changes (both added by AlicloudModule for product vpc)."""

    name = product = "vpc"
    instance_types = ("EcsInstance", "NetworkInterface")
    default_instance_type = "EcsInstance"
    options_not_applying = ()

    def read(self, call, havip_id):
        return read_havip(call, havip_id)

    def not_found(self, havip_id):
        return ("HAVIP %s does not exist in this region. Hint: check havip_id and region: no VPC HAVIP %s is "
                "visible there to these credentials." % (havip_id, havip_id))

    def unassociate_params(self, havip, instance_id, force):
        params = dict(HaVipId=havip["HaVipId"], InstanceId=instance_id,
                      InstanceType=havip.get("AssociatedInstanceType") or "EcsInstance")
        if force:
            params["Force"] = True
        return params

    def membership_problem(self, members):
        kinds = sorted(set(members.values()))
        if len(kinds) > 1:
            return ("a VPC HAVIP cannot hold ECS instances and ENIs at once (it would hold %s)"
                    % ", ".join("%s %s" % (kind, i) for i, kind in sorted(members.items())))
        if len(members) > MAX_MEMBERS:
            return ("a VPC HAVIP holds at most %d instances; it would hold %s (unbind one first, or list the "
                    "wanted ones with exclusive: true)" % (MAX_MEMBERS, ", ".join(sorted(members))))
        return None

    def removal_problem(self, havip, instance_id, force):
        if not force and instance_id == havip.get("MasterInstanceId"):
            return ("%s is the master of HAVIP %s (it holds the address); set force: true to unbind it (the "
                    "address then moves to another member, if any)" % (instance_id, havip.get("HaVipId")))
        return None

    def view(self, havip):
        return havip_view(havip)

    def describe_state(self, havip):
        return describe_state(havip)


VPC_HAVIPS = VpcHaVips()
