# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about Edge Node Service (ENS) elastic IP addresses, and eip_association's task for
them (service=ens): reads, statuses, views, input checks and the decisions the association engine asks for.

ENS API 2017-11-10 AssociateEnsEipAddress / UnAssociateEnsEipAddress / DescribeEnsEipAddresses. Unlike a VPC EIP:
one global endpoint, no RegionId, no ClientToken; an instance holds one EIP and, with Standby=true, one standby
EIP; UnAssociateEnsEipAddress names only the EIP, so the module decides from what it read which instance that is.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.alicloud.network.plugins.module_utils import _eip
from ansible_collections.alicloud.network.plugins.module_utils._association import AssociationTask, Change
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem

# DescribeEnsEipAddresses statuses (the reference's Status values).
SETTLED = frozenset(["InUse", "Available"])
TRANSIENT = frozenset(["Associating", "Unassociating"])

# AssociateEnsEipAddress InstanceType (EnsInstance the default; NatSlbInstance = several EIPs on one SLB).
INSTANCE_TYPES = ("EnsInstance", "Nat", "SlbInstance", "NetworkInterface", "NatSlbInstance")
DEFAULT_INSTANCE_TYPE = "EnsInstance"

# eip_association options that only the VPC API has: set with service=ens, they fail the task before any call.
VPC_ONLY_OPTIONS = ("private_ip_address", "mode", "vpc_id", "instance_region_id", "client_token")


# Well-known ENS ID prefixes: only to catch an instance_type that contradicts the ID, never to guess it.
ID_PREFIX_TYPES = (("i-", ("EnsInstance",)), ("lb-", ("SlbInstance", "NatSlbInstance")), ("nat-", ("Nat",)),
                   ("eni-", ("NetworkInterface",)))


# ---- reading --------------------------------------------------------------------------------------------------

def read_eips(call, allocation_ids=None, ip_addresses=None, filters=None):
    """Every ENS EIP matching the filters (DescribeEnsEipAddresses parameters: AssociatedInstanceId,
    AssociatedInstanceType, EnsRegionId, Status, Standby ...), 50 IDs or addresses a call, every page read."""
    return _eip.read_eips(call, allocation_ids, ip_addresses, filters, action="DescribeEnsEipAddresses")


def read_eip(call, allocation_id=None, ip_address=None):
    """The ENS EIP with this ID (or public address), or None when there is none."""
    return _eip.read_eip(call, allocation_id, ip_address, read=read_eips)


# ---- reading an EIP's fields ----------------------------------------------------------------------------------

is_bound = _eip.is_bound


def is_standby(eip):
    return eip.get("Standby") in (True, "true", "True")


def lock_reasons(eip):
    """OperationLocks.Lock[].LockReason as a list of strings."""
    locks = eip.get("OperationLocks") or {}
    listed = locks.get("Lock") if isinstance(locks, dict) else locks
    return [lock.get("LockReason", str(lock)) if isinstance(lock, dict) else str(lock) for lock in listed or []]


def owner(eip):
    """The current owner in words: 'EnsInstance i-... (standby)'."""
    return "%s %s%s" % (eip.get("InstanceType") or "instance", eip.get("InstanceId"),
                        " (standby)" if is_standby(eip) else "")


def describe_state(eip):
    return _eip.describe_state(eip, owner_of=owner)


# ---- the shapes modules return ----------------------------------------------------------------------------------

def association_view(eip):
    """The keys of a VPC EIP's association view (private_ip_address and mode are always null: ENS has neither;
    region_id is the ENS node), plus standby."""
    bound = is_bound(eip)
    return dict(allocation_id=eip.get("AllocationId"), ip_address=eip.get("IpAddress"),
                instance_id=eip.get("InstanceId") or None,
                instance_type=(eip.get("InstanceType") or None) if bound else None,
                private_ip_address=None, mode=None, status=eip.get("Status"), region_id=eip.get("EnsRegionId"),
                standby=is_standby(eip) if bound else None)


def eip_view(eip):
    """The ENS EIP as eip_info returns it: the keys of a VPC EIP's entry, with its ENS association and locks."""
    view = _eip.eip_view(eip)
    association = association_view(eip)
    view.update(association=association, private_ip_address=None, mode=None, lock_reasons=lock_reasons(eip),
                instance_id=association["instance_id"], instance_type=association["instance_type"])
    return view


def diff_view(eip):
    view = association_view(eip)
    return dict((key, view[key]) for key in ("instance_id", "instance_type", "private_ip_address", "status",
                                             "standby"))


def unbound(eip, status="Available"):
    eip = dict(eip)
    eip.update(InstanceId="", InstanceType="", Standby=False, Status=status)
    return eip


# ---- input checks, before any API call ------------------------------------------------------------------------

def input_problems(p):
    """Messages for eip_association options that service=ens cannot take or the API would reject."""
    problems = ["%s does not apply to service=ens" % option for option in VPC_ONLY_OPTIONS if p.get(option)]
    problems += [id_problem(option, p.get(option)) for option in ("allocation_id", "instance_id")]
    if p.get("ip_address") is not None and not _is_ip(p["ip_address"]):
        problems.append("ip_address %r is not a valid IP address" % p["ip_address"])
    instance_type = p.get("instance_type") or DEFAULT_INSTANCE_TYPE
    if instance_type not in INSTANCE_TYPES:
        problems.append("instance_type %s is not accepted with service=ens; use one of %s"
                        % (instance_type, ", ".join(INSTANCE_TYPES)))
    elif p.get("state") == "present":
        problems.append(type_contradiction(p.get("instance_id"), instance_type))
    return [problem for problem in problems if problem]


def type_contradiction(instance_id, instance_type):
    if not instance_id:
        return None
    implied = next((kinds for prefix, kinds in ID_PREFIX_TYPES if instance_id.startswith(prefix)), None)
    if implied is None or instance_type in implied:
        return None
    return ("instance_id %s looks like a %s but instance_type is %s; set instance_type: %s (the module never "
            "guesses it)" % (instance_id, implied[0], instance_type, implied[0]))


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# ---- the task ---------------------------------------------------------------------------------------------------

class EnsEipAssociation(AssociationTask):
    """present / absent for one ENS EIP (eip_association with service=ens)."""

    result_key = "association"

    def __init__(self, module):
        super().__init__(module)
        self.allocation_id = self.params["allocation_id"]
        self.instance_type = self.params["instance_type"] or DEFAULT_INSTANCE_TYPE
        self.standby = bool(self.params.get("standby"))
        self.moved_from = None      # the previous owner, once a reassociation has unbound the EIP from it
        problems = input_problems(self.params)
        if problems:
            module.fail("Invalid options: %s." % "; ".join(problems))

    # ---- reading --------------------------------------------------------------------------------------------

    def read(self):
        eip = read_eip(self.module.call, self.allocation_id, self.params["ip_address"])
        if eip is not None:
            self.allocation_id = eip["AllocationId"]   # later reads go by ID, even when looked up by address
        return eip

    def not_found(self):
        return ("ENS EIP %s not found. Check allocation_id/ip_address: no ENS EIP with it is visible to these "
                "credentials." % (self.allocation_id or self.params["ip_address"]))

    def describe_subject(self):
        return "ENS EIP %s" % self.allocation_id

    def describe_state(self, eip, /):
        return "ENS EIP %s %s" % (self.allocation_id, describe_state(eip))

    def is_settled(self, eip, /):
        return eip.get("Status") not in TRANSIENT

    def heading_to_wanted(self, eip, /):
        return eip.get("Status") == "Associating" and self.wanted(eip)

    view = staticmethod(association_view)
    diff_view = staticmethod(diff_view)

    # ---- deciding -------------------------------------------------------------------------------------------

    def wanted(self, eip):
        """Bound (or being bound) to instance_id, with its type, as main or standby EIP as asked."""
        return (eip.get("InstanceId") == self.params["instance_id"] and eip.get("InstanceType") == self.instance_type
                and is_standby(eip) == self.standby)

    def bound_to_target(self, eip):
        """For absent: bound to instance_id, or to anything when instance_id is omitted."""
        return is_bound(eip) and eip["InstanceId"] == (self.params["instance_id"] or eip["InstanceId"])

    def plan(self, eip, /):
        if self.params["state"] == "absent":
            return [self.unassociate(eip)] if self.bound_to_target(eip) else []
        if self.wanted(eip) and (eip.get("Status") == "InUse" or self.heading_to_wanted(eip)):
            return []
        self.check_can_associate(eip)
        if is_bound(eip):
            return [self.unassociate(eip), self.associate()]
        return [self.associate()]

    def check_can_associate(self, eip):
        status, locks = eip.get("Status"), lock_reasons(eip)
        if status not in SETTLED:
            self.fail("ENS EIP %s is %s; only an Available or InUse EIP can be associated." % (self.allocation_id,
                                                                                               status))
        if locks:
            self.fail("ENS EIP %s is locked (%s) and cannot be associated; unlock it (e.g. settle an overdue "
                      "payment) first." % (self.allocation_id, ", ".join(locks)))
        if is_bound(eip) and not self.params["allow_reassociation"]:
            self.fail("ENS EIP %s is already associated with %s; set allow_reassociation: true to move it to %s %s."
                      % (self.allocation_id, owner(eip), self.instance_type, self.params["instance_id"]))

    def unassociate(self, eip):
        """UnAssociateEnsEipAddress names only the EIP: plan() calls this only once the read showed the EIP bound
        to the instance it is to be unbound from."""
        params = {"AllocationId": eip["AllocationId"]}
        if self.params["force"] and eip.get("InstanceType") == "Nat":
            params["Force"] = True
        old_owner = eip["InstanceId"]
        if self.params["state"] == "absent":
            return Change("UnAssociateEnsEipAddress", params, subject=old_owner,
                          awaited="ENS EIP %s to be Available (disassociated)" % self.allocation_id,
                          holds=lambda e: self.is_settled(e) and e.get("InstanceId") != old_owner)
        return Change("UnAssociateEnsEipAddress", params, subject=old_owner,
                      awaited="ENS EIP %s to be disassociated from %s" % (self.allocation_id, owner(eip)),
                      holds=lambda e: e.get("Status") == "Available" or self.wanted(e) and e.get("Status") == "InUse")

    def associate(self):
        instance_id = self.params["instance_id"]
        params = {"AllocationId": self.allocation_id, "InstanceId": instance_id, "InstanceType": self.instance_type}
        if self.standby:
            params["Standby"] = True
        return Change("AssociateEnsEipAddress", params, subject=instance_id,
                      awaited="ENS EIP %s to be InUse on %s %s" % (self.allocation_id, self.instance_type, instance_id),
                      holds=lambda e: e.get("Status") == "InUse" and self.wanted(e))

    def predict(self, eip, /, changes, settled=True):
        if changes[-1].action == "UnAssociateEnsEipAddress":
            return unbound(eip, status="Available" if settled else "Unassociating")
        eip = dict(eip)
        eip.update(InstanceId=self.params["instance_id"], InstanceType=self.instance_type, Standby=self.standby,
                   Status="InUse" if settled else "Associating")
        return eip

    # ---- what the engine asks when things go wrong -----------------------------------------------------------

    def took_effect(self, change, eip, /):
        if change.action == "UnAssociateEnsEipAddress" and self.params["state"] == "present":
            self.moved_from = eip
        elif change.action == "AssociateEnsEipAddress":
            self.moved_from = None

    def on_abort(self):
        """A reassociation failed after the unbind: bind the EIP to its previous owner again (best effort, no
        wait), unless it was last seen bound (another actor may have taken it since)."""
        old, self.moved_from = self.moved_from, None
        if old is None or (self.last_seen and is_bound(self.last_seen)):
            return None
        params = {"AllocationId": old["AllocationId"], "InstanceId": old["InstanceId"],
                  "InstanceType": old.get("InstanceType") or DEFAULT_INSTANCE_TYPE}
        if is_standby(old):
            params["Standby"] = True
        try:
            self.module.call("AssociateEnsEipAddress", params, mutating=True)
        except ApiError as err:
            return ("The EIP had been disassociated from %s and could not be associated with it again (%s): do that "
                    "by hand." % (owner(old), err.code))
        return "The EIP had been disassociated from %s; it is being associated with it again." % owner(old)
