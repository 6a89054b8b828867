# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about Edge Node Service (ENS) HAVIPs: statuses, reads and the shapes modules return.

Used by havip_association (the association engine) and havip_info, so both read and show a HAVIP the same way.
The VPC HAVIP API (module_utils/_vpc_havip.py) is read into the same internal shape, so the membership logic of
havip_association serves both; ENS_HAVIPS / _vpc_havip.VPC_HAVIPS are the two services' descriptions.
"""

from __future__ import annotations

from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._paging import (
    pages_for,
    read_all_pages,
    read_pages_after,
    total_count,
)

# DescribeHaVips documents the HAVIP statuses Creating, Available, InUse and Deleting; while one member is being
# bound or unbound, that member (and, in practice, the HAVIP) shows Associating / Unassociating.
TRANSIENT = frozenset(["Creating", "Associating", "Unassociating"])
TERMINAL = frozenset(["Deleting"])
CHANGEABLE = frozenset(["Available", "InUse"])
MEMBER_TRANSIENT = frozenset(["Associating", "Unassociating"])

PAGE_SIZE = 100


# ---- reading --------------------------------------------------------------------------------------------------

def _havips_of(answer):
    return answer.get("HaVips") or []


def read_havip(call, havip_id):
    """The HAVIP with this ID, or None when it does not exist. DescribeHaVips filters one HaVipId per call."""
    answer = call("DescribeHaVips", dict(HaVipId=havip_id))
    return next((h for h in _havips_of(answer) if h.get("HaVipId") == havip_id), None)


def list_havips(call, filters=None):
    """Every HAVIP matching the server-side `filters` (DescribeHaVips parameters), every page read."""
    return read_all_pages(call, "DescribeHaVips", dict(filters or {}), _havips_of, PAGE_SIZE)


def describe_filters(ip_address=None, vswitch_id=None, status=None):
    """The DescribeHaVips parameters for these filters (the ones given)."""
    params = dict(HaVipAddress=ip_address, VSwitchId=vswitch_id, Status=status)
    return dict((name, value) for name, value in params.items() if value is not None)


def read_havips(call, havip_ids=None, filters=None):
    """Every HAVIP matching `filters` (DescribeHaVips parameters) and, when given, one of `havip_ids`.

    DescribeHaVips takes one HaVipId per call. With several IDs, page 1 of the filtered list is read first: its
    TotalCount says how many more calls listing the rest would take, against one call per ID not yet found on
    that page; the cheaper way is taken (see listing_is_cheaper). An ID that does not exist is simply absent.
    Results follow the order of `havip_ids`.
    """
    filters = dict(filters or {})
    if havip_ids is None:
        return list_havips(call, filters)
    ids = list(dict.fromkeys(havip_ids))
    if len(ids) <= 1:
        return [h for h in (read_havip_matching(call, i, filters) for i in ids) if h is not None]
    first = call("DescribeHaVips", dict(filters, PageNumber=1, PageSize=PAGE_SIZE))
    found = _by_id(_havips_of(first), ids)
    missing = [i for i in ids if i not in found]
    if missing:
        if listing_is_cheaper(len(missing), total_count(first)):
            found = _by_id(read_pages_after(call, "DescribeHaVips", filters, _havips_of, PAGE_SIZE, first), ids)
        else:
            for havip_id in missing:
                havip = read_havip_matching(call, havip_id, filters)
                if havip is not None:
                    found[havip_id] = havip
    return [found[i] for i in ids if i in found]


def listing_is_cheaper(ids_left, total, page_size=PAGE_SIZE):
    """After page 1 of the list: True when reading its other pages takes fewer calls than one call per ID left.

    `total` is the list's TotalCount; when the API did not send one, the listing cannot be priced: one call per ID.
    """
    if total is None:
        return False
    return pages_for(total, page_size) - 1 < ids_left


def read_havip_matching(call, havip_id, filters=None):
    """The HAVIP with this ID if it also matches `filters`, else None (one call)."""
    try:
        answer = call("DescribeHaVips", dict(filters or {}, HaVipId=havip_id))
    except ApiError as err:
        # The reference does not say how DescribeHaVips answers an unknown HaVipId (the emulator: an empty list).
        # HaVipNotFound, the code the ENS write actions document for it, is read as "absent" too: not an error.
        if err.code == "HaVipNotFound":
            return None
        raise
    return next((h for h in _havips_of(answer) if h.get("HaVipId") == havip_id), None)


def _by_id(havips, ids):
    wanted = set(ids)
    return dict((h["HaVipId"], h) for h in havips if h.get("HaVipId") in wanted)


# ---- reading a HAVIP's fields --------------------------------------------------------------------------------

def member_list(havip):
    """AssociatedInstances as a list, whether the API wraps it or not."""
    members = havip.get("AssociatedInstances") or []
    if isinstance(members, dict):
        members = members.get("AssociatedInstance") or []
    return members


def members(havip):
    """{instance_id: instance_type} of every instance or ENI associated with the HAVIP."""
    return {m["InstanceId"]: m.get("InstanceType") for m in member_list(havip)}


def member(havip, instance_id):
    return next((m for m in member_list(havip) if m.get("InstanceId") == instance_id), None)


def is_settled(havip):
    """Neither the HAVIP nor any of its members is changing."""
    if havip.get("Status") in TRANSIENT:
        return False
    return not any(m.get("Status") in MEMBER_TRANSIENT for m in member_list(havip))


def describe_state(havip):
    """One line for messages: status and members."""
    if not havip:
        return "the HAVIP was not found"
    listed = ", ".join("%s (%s)" % (m.get("InstanceId"), m.get("Status")) for m in member_list(havip))
    return "status %s, associated with %s" % (havip.get("Status"), listed or "nothing")


# ---- the shapes modules return ----------------------------------------------------------------------------------

def havip_view(havip):
    """The HAVIP as havip_association returns it (and havip_info for each HAVIP)."""
    return dict(
        havip_id=havip.get("HaVipId"),
        ip_address=havip.get("IpAddress"),
        status=havip.get("Status"),
        vswitch_id=havip.get("VSwitchId"),
        ens_region_id=havip.get("EnsRegionId"),
        associated_instances=[dict(instance_id=m.get("InstanceId"), instance_type=m.get("InstanceType"),
                                   status=m.get("Status")) for m in member_list(havip)],
    )


# ---- the service, as havip_association uses it ------------------------------------------------------------------

class HaVipService:
    """What havip_association needs to know about one HAVIP API. The internal shape of a HAVIP is the ENS
    DescribeHaVips item: AssociatedInstances is a list of {InstanceId, InstanceType, Status}."""

    name = None
    product = None
    instance_types = ()
    default_instance_type = None
    # Options that mean nothing for this service: set (true), they fail the task before any call.
    options_not_applying = ()

    def read(self, call, havip_id):
        """The HAVIP in the internal shape, or None when it does not exist."""
        raise NotImplementedError

    def not_found(self, havip_id):
        raise NotImplementedError

    def associate_params(self, havip_id, instance_id, instance_type):
        return dict(HaVipId=havip_id, InstanceId=instance_id, InstanceType=instance_type)

    def unassociate_params(self, havip, instance_id, force):
        return dict(HaVipId=havip["HaVipId"], InstanceId=instance_id)

    def membership_problem(self, members):
        """A message when the HAVIP cannot hold `members` ({instance_id: instance_type}) at once, else None."""
        return None

    def removal_problem(self, havip, instance_id, force):
        """A message when `instance_id` cannot be unbound as the options stand, else None."""
        return None

    def view(self, havip):
        return havip_view(havip)

    def describe_state(self, havip):
        return describe_state(havip)


class EnsHaVips(HaVipService):
    """ENS 2017-11-10 AssociateHaVip / UnassociateHaVip / DescribeHaVips: one global endpoint, no RegionId, no
    ClientToken; every member listed with its own type and status."""

    name = product = "ens"
    instance_types = ("EnsInstance", "NetworkInterface")
    default_instance_type = "EnsInstance"
    options_not_applying = ("force",)

    def read(self, call, havip_id):
        try:
            return read_havip(call, havip_id)
        except ApiError as err:
            if err.code == "HaVipNotFound":
                return None
            raise

    def not_found(self, havip_id):
        return ("HaVipNotFound: HAVIP %s does not exist. Hint: check havip_id: no ENS HAVIP %s is visible to these "
                "credentials." % (havip_id, havip_id))


ENS_HAVIPS = EnsHaVips()
