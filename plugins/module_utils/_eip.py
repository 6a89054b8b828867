# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about VPC elastic IP addresses: statuses, reads, the shapes modules return, and
what one association asks (EipGoal: the decision, the calls and their predictions).

Used by eip_association's single form (the association engine), its list forms (_eip_many.py) and eip_info, so
every one reads, decides about and shows an EIP the same way.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.alicloud.network.plugins.module_utils._association import Change
from ansible_collections.alicloud.network.plugins.module_utils._paging import batches, int_or_none, read_all_pages
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem, region_problem

# DescribeEipAddresses statuses (API reference and the VPC SDK's model).
SETTLED = frozenset(["InUse", "Available"])
TRANSIENT = frozenset(["Associating", "Unassociating"])
# Being released: it will not come back, so an association cannot be made or waited for.
TERMINAL = frozenset(["Releasing"])

# DescribeEipAddresses limits: AllocationId / EipAddress take up to 50 comma-separated values, PageSize <= 100.
MAX_VALUES_PER_CALL = 50
PAGE_SIZE = 100


# ---- reading --------------------------------------------------------------------------------------------------

def _eips_of(answer):
    return (answer.get("EipAddresses") or {}).get("EipAddress") or []


def read_eips(call, allocation_ids=None, ip_addresses=None, filters=None, action="DescribeEipAddresses"):
    """Every EIP matching the server-side filters, in batches of 50 IDs (or addresses), every page read.

    call(action, params) -> answer. `filters` are further DescribeEipAddresses parameters (Status,
    AssociatedInstanceId, AssociatedInstanceType). An ID that does not exist is simply absent from the result.
    `action` is DescribeEnsEipAddresses for ENS EIPs, which the API lists in the same shape, limits and filters.
    """
    filters = dict(filters or {})
    if allocation_ids is not None and ip_addresses is not None:
        raise ValueError("filter by allocation_ids or by ip_addresses, not both")
    key, values = ("AllocationId", allocation_ids) if allocation_ids is not None else ("EipAddress", ip_addresses)
    if values is None:
        return read_all_pages(call, action, filters, _eips_of, PAGE_SIZE)
    found = []
    for batch in batches(values, MAX_VALUES_PER_CALL):
        found.extend(read_all_pages(call, action, dict(filters, **{key: ",".join(batch)}), _eips_of, PAGE_SIZE))
    return found


def read_eips_matching(call, allocation_ids=None, ip_addresses=None, filters=None, read=None):
    """Every EIP matching all the filters given: IDs, addresses and further DescribeEipAddresses parameters.

    Like read_eips, but IDs and addresses may be combined (the API takes up to 50 of each in one call, and ANDs
    them). The longer list is split into batches of 50; the other travels with each batch when it fits in one
    call, and is otherwise applied to what the batches return, which are already narrowed by the server.
    `read` is the reader with read_eips' signature (the ENS one for ENS EIPs, whose API takes the same filters).
    """
    read = read or read_eips
    filters = dict(filters or {})
    if allocation_ids is None or ip_addresses is None:
        return read(call, allocation_ids=allocation_ids, ip_addresses=ip_addresses, filters=filters)
    ids, addresses = _unique(allocation_ids), _unique(ip_addresses)
    if not ids or not addresses:
        return []   # an empty list matches nothing (read_eips makes no call for it either)
    if len(addresses) <= MAX_VALUES_PER_CALL:
        return read(call, allocation_ids=ids, filters=dict(filters, EipAddress=",".join(addresses)))
    if len(ids) <= MAX_VALUES_PER_CALL:
        return read(call, ip_addresses=addresses, filters=dict(filters, AllocationId=",".join(ids)))
    wanted = set(addresses)
    return [eip for eip in read(call, allocation_ids=ids, filters=filters) if eip.get("IpAddress") in wanted]


def describe_filters(status=None, associated_instance_id=None, associated_instance_type=None):
    """The DescribeEipAddresses parameters for these filters (the ones given)."""
    params = dict(Status=status, AssociatedInstanceId=associated_instance_id,
                  AssociatedInstanceType=associated_instance_type)
    return dict((name, value) for name, value in params.items() if value is not None)


def _unique(values):
    return list(dict.fromkeys(values))


def read_eip(call, allocation_id=None, ip_address=None, read=read_eips):
    """The EIP with this ID (or public address), or None when it does not exist in the region."""
    if allocation_id:
        matches = [e for e in read(call, allocation_ids=[allocation_id]) if e.get("AllocationId") == allocation_id]
    else:
        matches = [e for e in read(call, ip_addresses=[ip_address]) if e.get("IpAddress") == ip_address]
    return matches[0] if matches else None


# ---- reading an EIP's fields ----------------------------------------------------------------------------------

def is_bound(eip):
    return bool(eip.get("InstanceId"))


def lock_reasons(eip):
    """The reasons of the EIP's operation locks (financial, security...), as a list of strings."""
    locks = eip.get("OperationLocks") or {}
    reasons = locks.get("LockReason") if isinstance(locks, dict) else locks
    return [reason.get("LockReason", str(reason)) if isinstance(reason, dict) else str(reason)
            for reason in reasons or []]


def owner(eip):
    """The current owner in words: 'EcsInstance i-... (private IP 10.0.0.1)'."""
    text = "%s %s" % (eip.get("InstanceType") or "instance", eip.get("InstanceId"))
    if eip.get("PrivateIpAddress"):
        text += " (private IP %s" % eip["PrivateIpAddress"]
        # The mode only tells something for a network interface (the service reports NAT for the rest).
        text += ", mode %s)" % eip["Mode"] if eip.get("InstanceType") == "NetworkInterface" and eip.get("Mode") else ")"
    return text


def describe_state(eip, owner_of=owner):
    """One line for messages: status and owner (owner_of words it: the ENS module passes its own)."""
    if not eip:
        return "nothing read"
    text = "status %s" % eip.get("Status")
    if is_bound(eip):
        text += ", bound to %s" % owner_of(eip)
    return text


# ---- the shapes modules return ----------------------------------------------------------------------------------

def association_view(eip):
    """The association as eip_association returns it (and eip_info beside each EIP)."""
    bound = is_bound(eip)
    return dict(allocation_id=eip.get("AllocationId"), ip_address=eip.get("IpAddress"),
                instance_id=eip.get("InstanceId") or None,
                instance_type=(eip.get("InstanceType") or None) if bound else None,
                private_ip_address=(eip.get("PrivateIpAddress") or None) if bound else None,
                mode=(eip.get("Mode") or None) if bound else None,
                status=eip.get("Status"), region_id=eip.get("RegionId"))


def eip_view(eip):
    """The EIP as eip_info returns it: its own fields, then its association exactly as eip_association shows it.

    Fields the API leaves empty (an unbound EIP's instance, an EIP without a name) are None.
    """
    association = association_view(eip)
    return dict(
        allocation_id=eip.get("AllocationId"),
        ip_address=eip.get("IpAddress"),
        status=eip.get("Status"),
        name=eip.get("Name") or None,
        bandwidth=int_or_none(eip.get("Bandwidth")),  # sent as a string of Mbit/s
        instance_id=association["instance_id"],
        instance_type=association["instance_type"],
        private_ip_address=association["private_ip_address"],
        mode=association["mode"],
        lock_reasons=lock_reasons(eip),
        association=association,
    )


def diff_view(eip):
    """The part of the association a diff shows."""
    view = association_view(eip)
    return dict((key, view[key]) for key in ("instance_id", "instance_type", "private_ip_address", "status"))


def unbound(eip, status="Available"):
    """The EIP as it will be once disassociated (for predictions)."""
    eip = dict(eip)
    eip.update(InstanceId=None, InstanceType=None, PrivateIpAddress=None, Mode=None, Status=status)
    return eip


# ---- what an instance ID says about its type ----------------------------------------------------------------------

# Well-known ID prefixes. The type is never guessed from them; they only catch an instance_type that contradicts
# the ID before any call (a wrong type with allow_reassociation would unbind the EIP before the API refused it).
ID_PREFIX_TYPES = (("i-", "EcsInstance"), ("ngw-", "Nat"), ("lb-", "SlbInstance"), ("eni-", "NetworkInterface"),
                   ("havip-", "HaVip"))


def type_contradiction(instance_id, instance_type):
    """A message when instance_id plainly names another kind of instance than instance_type, else None."""
    if not instance_id:
        return None
    implied = next((kind for prefix, kind in ID_PREFIX_TYPES if instance_id.startswith(prefix)), None)
    if implied is None and is_ip(instance_id):
        implied = "IpAddress"
    if implied is None or implied == instance_type:
        return None
    return ("instance_id %s looks like a %s but instance_type is %s; set instance_type: %s (the module never "
            "guesses it)" % (instance_id, implied, instance_type, implied))


# ---- what one association asks ------------------------------------------------------------------------------

def is_settled(eip):
    return eip.get("Status") not in TRANSIENT


class Blocked(Exception):
    """The EIP cannot be associated as asked, whatever the task does: `code` names why, str() says it all."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class EipGoal:
    """One association as the options ask it: eip_association's single form, or one item of its list forms.

    `options` holds the single form's keys (allocation_id, ip_address, instance_id, instance_type,
    private_ip_address, mode, vpc_id, instance_region_id, client_token, state, allow_reassociation, force).
    Everything here is a pure decision on an EIP as DescribeEipAddresses shows it; the engines make the calls.
    """

    def __init__(self, options):
        self.options = options
        self.allocation_id = options.get("allocation_id")   # set once an EIP looked up by address is read

    @property
    def present(self):
        return self.options["state"] == "present"

    def wanted(self, eip):
        """True when the EIP is bound (or being bound) exactly as the options ask."""
        p = self.options
        if eip.get("InstanceId") != p["instance_id"] or eip.get("InstanceType") != p["instance_type"]:
            return False
        if p.get("private_ip_address") and eip.get("PrivateIpAddress") != p["private_ip_address"]:
            return False
        if p.get("mode") and (eip.get("Mode") or "NAT") != p["mode"]:
            return False
        return not (p.get("instance_region_id")
                    and eip.get("InstanceRegionId") not in (None, "", p["instance_region_id"]))

    def heading_to_wanted(self, eip):
        return eip.get("Status") == "Associating" and self.wanted(eip)

    def bound_to_target(self, eip):
        """For absent: bound to instance_id, or to anything when instance_id is omitted."""
        return is_bound(eip) and eip["InstanceId"] == (self.options["instance_id"] or eip["InstanceId"])

    def plan(self, eip):
        """The Changes that bring the EIP where the options ask; raises Blocked when it cannot get there."""
        if not self.present:
            return [self.unassociate(eip)] if self.bound_to_target(eip) else []
        if self.wanted(eip) and (eip.get("Status") == "InUse" or self.heading_to_wanted(eip)):
            return []   # Associating only when wait=false: on its way, nothing to do
        self.check_can_associate(eip)
        if is_bound(eip):
            return [self.unassociate(eip), self.associate()]
        return [self.associate()]

    def check_can_associate(self, eip):
        status, locks = eip.get("Status"), lock_reasons(eip)
        if status not in SETTLED:
            raise Blocked("IncorrectEipStatus", "EIP %s is %s; only an Available or InUse EIP can be associated."
                          % (self.allocation_id, status))
        if locks:
            raise Blocked("Locked", "EIP %s is locked (%s) and cannot be associated; unlock it (e.g. settle an "
                          "overdue payment) first." % (self.allocation_id, ", ".join(locks)))
        if is_bound(eip) and not self.options["allow_reassociation"]:
            target = "%s %s" % (self.options["instance_type"], self.options["instance_id"])
            raise Blocked("AlreadyAssociated", "EIP %s is already associated with %s; set allow_reassociation: "
                          "true to move it to %s." % (self.allocation_id, owner(eip), target))

    def unassociate(self, eip):
        """Unbind from the CURRENT owner, with its own ID and type (not the ones the options name)."""
        params = {"AllocationId": eip["AllocationId"], "InstanceId": eip["InstanceId"],
                  "InstanceType": eip.get("InstanceType") or "EcsInstance"}
        if eip.get("InstanceType") == "NetworkInterface" and eip.get("PrivateIpAddress"):
            params["PrivateIpAddress"] = eip["PrivateIpAddress"]
        if self.options["force"] and eip.get("InstanceType") == "Nat":
            params["Force"] = True
        old_owner = eip["InstanceId"]
        if not self.present:
            return Change("UnassociateEipAddress", params,
                          awaited="EIP %s to be Available (disassociated)" % self.allocation_id,
                          holds=lambda e: is_settled(e) and e.get("InstanceId") != old_owner)
        # A reassociation: the service takes the associate only once the EIP is Available again.
        return Change("UnassociateEipAddress", params,
                      awaited="EIP %s to be disassociated from %s" % (self.allocation_id, owner(eip)),
                      holds=lambda e: e.get("Status") == "Available" or self.wanted(e) and e.get("Status") == "InUse")

    def associate(self):
        p = self.options
        params = {"AllocationId": self.allocation_id, "InstanceId": p["instance_id"], "InstanceType": p["instance_type"]}
        for option, name in (("private_ip_address", "PrivateIpAddress"), ("mode", "Mode"), ("vpc_id", "VpcId"),
                             ("instance_region_id", "InstanceRegionId"), ("client_token", "ClientToken")):
            if p.get(option):
                params[name] = p[option]
        return Change("AssociateEipAddress", params, subject=p["instance_id"],
                      awaited="EIP %s to be InUse on %s %s" % (self.allocation_id, p["instance_type"], p["instance_id"]),
                      holds=lambda e: e.get("Status") == "InUse" and self.wanted(e))

    def predict(self, eip, changes, settled=True):
        """The EIP as it will be once `changes` are made (or, settled=False, while the last one runs)."""
        if changes[-1].action == "UnassociateEipAddress":
            return unbound(eip, status="Available" if settled else "Unassociating")
        eip = dict(eip)
        eip.update(InstanceId=self.options["instance_id"], InstanceType=self.options["instance_type"],
                   Status="InUse" if settled else "Associating",
                   PrivateIpAddress=self.options.get("private_ip_address"), Mode=self.options.get("mode"))
        return eip


def restore_params(old):
    """AssociateEipAddress parameters that bind an EIP to `old` (the EIP as last seen bound) again."""
    params = {"AllocationId": old["AllocationId"], "InstanceId": old["InstanceId"],
              "InstanceType": old.get("InstanceType") or "EcsInstance"}
    if old.get("InstanceType") == "NetworkInterface":
        params.update(PrivateIpAddress=old.get("PrivateIpAddress"), Mode=old.get("Mode") or "NAT")
    return dict((k, v) for k, v in params.items() if v)


# ---- input checks, before any API call ------------------------------------------------------------------------

def input_problems(p):
    """Messages for option values the API would reject or misread; empty when all is well.

    `p` has the single form's keys: the module's options, or one item of a list form.
    """
    problems = [id_problem(option, p.get(option)) for option in ("allocation_id", "instance_id", "vpc_id")]
    problems = [problem for problem in problems if problem]
    for option in ("ip_address", "private_ip_address"):
        if p.get(option) is not None and not is_ip(p[option], version=4 if option == "ip_address" else None):
            problems.append("%s %r is not a valid IP address" % (option, p[option]))
    if p["state"] == "present":
        if p["instance_type"] == "IpAddress" and p["instance_id"] and not is_ip(p["instance_id"]):
            problems.append("instance_id must be an IP address with instance_type IpAddress, got %r" % p["instance_id"])
        if p.get("mode") and p["instance_type"] != "NetworkInterface":
            problems.append("mode is only accepted with instance_type NetworkInterface")
        if p.get("vpc_id") and p["instance_type"] != "IpAddress":
            problems.append("vpc_id is only accepted with instance_type IpAddress")
        problems.append(type_contradiction(p["instance_id"], p["instance_type"]))
    problems.append(region_problem("instance_region_id", p.get("instance_region_id")))
    token = p.get("client_token")
    if token is not None and (not token or len(token) > 64 or not token.isascii() or not token.isprintable()):
        problems.append("client_token must be 1 to 64 printable ASCII characters")
    return [problem for problem in problems if problem]


def is_ip(value, version=None):
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return version is None or address.version == version


# ---- eip_association options that belong to another service ------------------------------------------------------

# Options and instance types only service=ens takes (module_utils/_ens_eip.py).
ENS_ONLY_OPTIONS = ("standby",)
ENS_ONLY_TYPES = ("EnsInstance", "NatSlbInstance")


def service_problems(params):
    """Messages for options of eip_association that service=vpc cannot take; empty when none is set."""
    problems = ["%s does not apply to service=vpc" % option for option in ENS_ONLY_OPTIONS
                if params.get(option) is not None]
    if params.get("instance_type") in ENS_ONLY_TYPES:
        problems.append("instance_type %s is not accepted with service=vpc (it is an ENS type; set service: ens)"
                        % params["instance_type"])
    return problems
