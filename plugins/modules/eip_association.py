#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: eip_association
short_description: Associate an Alibaba Cloud elastic IP address (EIP) with an instance, idempotently
version_added: 0.1.0
description:
  - Associates an EIP with an ECS instance, a CLB (SLB) instance, a NAT gateway, a secondary elastic network
    interface, a VPC high-availability virtual IP address (HAVIP) or an IP address in a VPC, or removes that
    association.
  - The EIP is read first (C(DescribeEipAddresses)); nothing is changed when it is already associated as requested.
  - An EIP that is bound to another instance is left alone and the task fails, naming the current owner, unless
    O(allow_reassociation=true).
  - While the EIP is busy (C(Associating) or C(Unassociating)) the module waits for it to settle, then decides.
    When the API answers that the EIP or instance is busy with another change (for example C(TaskConflict),
    C(IncorrectEipStatus)), or that the association already exists, the module reads the EIP again and reports the
    real state instead of failing when that state is the one requested. All of this is bounded by O(wait_timeout).
  - Uses the VPC API (C(AssociateEipAddress), C(UnassociateEipAddress), C(DescribeEipAddresses)) directly over
    HTTPS; the Alibaba Cloud SDK is not needed.
author:
  - alicloud.network contributors (@alicloud-network)
options:
  allocation_id:
    description:
      - The ID of the EIP, for example V(eip-2zeerraiwb7ujsxdc1234).
      - Exactly one of O(allocation_id) and O(ip_address) is required.
    type: str
  ip_address:
    description:
      - The public IPv4 address of the EIP; the module looks the EIP up by this address.
      - Exactly one of O(allocation_id) and O(ip_address) is required.
    type: str
  instance_id:
    description:
      - The ID of the instance the EIP is (to be) associated with. With O(instance_type=IpAddress) this is the IP
        address in the VPC.
      - Required when O(state=present).
      - With O(state=absent), the EIP is only disassociated when it is bound to this instance; when omitted, the
        EIP is disassociated from whatever it is bound to.
    type: str
  instance_type:
    description:
      - The kind of instance named by O(instance_id). The module never guesses it from the ID.
      - V(EcsInstance) an ECS instance in a VPC; V(SlbInstance) a CLB instance in a VPC; V(Nat) a NAT gateway;
        V(NetworkInterface) a secondary elastic network interface; V(HaVip) a VPC HAVIP; V(IpAddress) an IP address
        in a VPC that has an IPv4 gateway (needs O(vpc_id)).
      - With O(state=absent) it is not used; the module disassociates using the type the EIP reports.
    type: str
    default: EcsInstance
    choices: [EcsInstance, SlbInstance, Nat, NetworkInterface, HaVip, IpAddress]
  private_ip_address:
    description:
      - The private IP address of the instance to bind the EIP to, for example a secondary private IP of an ENI.
      - When given it is part of the comparison; an EIP bound to the same instance on another private IP counts
        as bound elsewhere (see O(allow_reassociation)). When omitted, the service picks one and any private IP
        is accepted.
    type: str
  mode:
    description:
      - The association mode; only with O(instance_type=NetworkInterface).
      - V(NAT) NAT mode; V(MULTI_BINDED) multi-EIP-to-ENI mode; V(BINDED) cut-through mode.
      - When omitted the service uses V(NAT) and the current mode is not compared.
    type: str
    choices: [NAT, MULTI_BINDED, BINDED]
  vpc_id:
    description:
      - The ID of the VPC whose IPv4 gateway serves the IP address.
      - Required with O(instance_type=IpAddress) and only accepted with it.
    type: str
  instance_region_id:
    description:
      - The region of the instance, when it differs from the EIP's (EIPs added to a shared Global Accelerator
        instance). Sent as C(InstanceRegionId).
    type: str
  client_token:
    description:
      - A client token (ASCII, at most 64 characters) for the associate call, so that the service runs a request
        with the same token only once.
      - When omitted, the module generates one per call and keeps it across the call's retries.
    type: str
  state:
    description:
      - V(present) the EIP is associated with O(instance_id).
      - V(absent) the EIP is not associated (with O(instance_id) when given).
    type: str
    default: present
    choices: [present, absent]
  allow_reassociation:
    description:
      - When the EIP is bound to another instance (or to the same one on another private IP or mode), disassociate
        it from its current owner and associate it as requested.
      - When V(false), such an EIP makes the task fail with a message naming the current owner.
      - The disassociation uses the current owner's ID and type. If the association then fails, the module
        associates the EIP with its previous owner again (without waiting) before failing, and says so.
    type: bool
    default: false
  force:
    description:
      - Sent as C(Force) when disassociating from a NAT gateway, so the service disassociates the EIP even though
        SNAT or DNAT entries still use it (those entries stop working). Has no effect on other instance types.
      - Used with O(state=absent) and when O(allow_reassociation=true) moves an EIP away from a NAT gateway.
    type: bool
    default: false
  wait:
    description:
      - Wait until the association (or disassociation) has completed, that is the EIP is C(InUse) on the
        instance (or C(Available)).
      - When V(false) the module returns after the API accepted the request; RV(association.status) is then
        C(Associating) or C(Unassociating). The module still waits for a busy EIP to settle before deciding, and
        for the disassociation step of a reassociation, because the service allows nothing else meanwhile.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds in total to wait for the EIP to settle and for the change to complete, including reads
        again after a busy answer from the API. On timeout the task fails naming the last state seen.
    type: int
    default: 300
notes:
  - Check mode reads the EIP and reports the decision and the predicted association without changing anything.
    It cannot tell whether the instance exists or accepts the EIP; the real run can still fail on that.
  - The EIP and the instance must be in the region the module works in (O(region)), except as allowed by
    O(instance_region_id).
  - Errors of the API are reported with their code, message and request id, and a hint on what to do for the
    common codes.
extends_documentation_fragment:
  - alicloud.network.alicloud
attributes:
  check_mode:
    support: full
    description: Reads only; reports the same decision and C(changed) as a real run would.
  diff_mode:
    support: full
    description: Shows the association (instance id and type, private IP, status) before and after.
seealso:
  - name: AssociateEipAddress
    description: The API operation this module calls.
    link: https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-associateeipaddress
  - module: alicloud.network.havip_association
"""

EXAMPLES = r"""
- name: Associate an EIP with an ECS instance
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: i-2zebb08phyczzawe1234
    region: cn-hangzhou

- name: Associate an EIP, looked up by its address, with a NAT gateway
  alicloud.network.eip_association:
    ip_address: 47.100.12.34
    instance_id: ngw-bp1uewa15k4iy5770ab12
    instance_type: Nat

- name: Bind an EIP to a secondary private IP of an ENI in multi-EIP mode
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: eni-bp14v2sdd3v8htln1234
    instance_type: NetworkInterface
    mode: MULTI_BINDED
    private_ip_address: 192.168.0.11

- name: Associate an EIP with an IP address in a VPC that has an IPv4 gateway
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: 192.168.1.20
    instance_type: IpAddress
    vpc_id: vpc-257gqcdfvx6n1234

- name: Move an EIP to a new web server, even though it is bound elsewhere
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: i-2zebb08phyczzawe5678
    allow_reassociation: true
  register: moved

- name: Show where the EIP went
  ansible.builtin.debug:
    msg: "{{ moved.association.ip_address }} is now on {{ moved.association.instance_id }}"

- name: Associate several EIPs, one per instance
  alicloud.network.eip_association:
    allocation_id: "{{ item.eip }}"
    instance_id: "{{ item.instance }}"
  loop:
    - {eip: eip-2zeerraiwb7ujsxdc0001, instance: i-2zebb08phyczzawe0001}
    - {eip: eip-2zeerraiwb7ujsxdc0002, instance: i-2zebb08phyczzawe0002}
    - {eip: eip-2zeerraiwb7ujsxdc0003, instance: i-2zebb08phyczzawe0003}

- name: See what would change, without changing anything
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: i-2zebb08phyczzawe1234
  check_mode: true
  diff: true
  register: preview

- name: Disassociate an EIP, but only from this instance
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    instance_id: i-2zebb08phyczzawe1234
    state: absent

- name: Disassociate an EIP from a NAT gateway that still has SNAT entries using it
  alicloud.network.eip_association:
    allocation_id: eip-2zeerraiwb7ujsxdc1234
    state: absent
    force: true

- name: Set the region and credentials once for every module of the collection
  module_defaults:
    group/alicloud.network.alicloud:
      region: cn-shanghai
      profile: production
  block:
    - name: Associate the EIP without waiting for the association to complete
      alicloud.network.eip_association:
        allocation_id: eip-uf6a8lp1bzoa0s7ss1234
        instance_id: i-uf6bqy4o1kz5mfcp1234
        wait: false
"""

RETURN = r"""
changed:
  description: Whether the association was (or, in check mode, would be) changed.
  returned: always
  type: bool
association:
  description:
    - The EIP's association after the task, as the last read of the EIP showed it.
    - In check mode, and when O(wait=false), the predicted association; its RV(association.private_ip_address)
      is then null unless O(private_ip_address) was given, because the service picks it.
  returned: success
  type: dict
  contains:
    allocation_id:
      description: The ID of the EIP.
      type: str
      sample: eip-2zeerraiwb7ujsxdc1234
    ip_address:
      description: The public IP address of the EIP.
      type: str
      sample: 47.100.12.34
    instance_id:
      description: The ID of the instance the EIP is bound to; null when it is not bound.
      type: str
      sample: i-2zebb08phyczzawe1234
    instance_type:
      description: The type of that instance (V(EcsInstance), V(SlbInstance), V(Nat), V(NetworkInterface),
        V(HaVip), V(IpAddress)); null when the EIP is not bound.
      type: str
      sample: EcsInstance
    private_ip_address:
      description: The private IP address the EIP is bound to; null when not bound or not reported.
      type: str
      sample: 10.0.1.1
    mode:
      description: The association mode the service reports (V(NAT), V(MULTI_BINDED), V(BINDED)); null when none.
      type: str
      sample: NAT
    status:
      description: The EIP's status, V(InUse) or V(Available) once settled; V(Associating) or V(Unassociating)
        when the module did not wait.
      type: str
      sample: InUse
    region_id:
      description: The region of the EIP.
      type: str
      sample: cn-hangzhou
request_ids:
  description: The request ids of the associate and disassociate calls this run made (empty when none).
  returned: always
  type: list
  elements: str
  sample: [0ED8D006-F706-4D23-88ED-E11ED28DCAC0]
diff:
  description: The association before and after (instance_id, instance_type, private_ip_address, status).
  returned: when diff mode is on
  type: dict
  sample:
    before: {instance_id: null, instance_type: null, private_ip_address: null, status: Available}
    after: {instance_id: i-2zebb08phyczzawe1234, instance_type: EcsInstance, private_ip_address: 10.0.1.1,
            status: InUse}
error:
  description: On an API failure, the error the API returned.
  returned: failure from the API
  type: dict
  contains:
    code:
      description: The API error code.
      type: str
      sample: InvalidInstanId.NotFound
    message:
      description: The API error message.
      type: str
    request_id:
      description: The request id of the failed call.
      type: str
    http_status:
      description: The HTTP status of the answer.
      type: int
    recommend:
      description: The diagnosis link the API returned.
      type: str
"""

import ipaddress
import time

from ansible_collections.alicloud.network.plugins.module_utils._base import (
    REGION_PATTERN,
    AlicloudModule,
    hint_for,
    id_problem,
)
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._waiter import WaitTimeout

SETTLED = ("InUse", "Available")
BUSY = ("Associating", "Unassociating")


# After these, the EIP is read again: a concurrent change may already have done the work.
ALREADY_ASSOCIATED = frozenset(["InvalidAssociation.Duplicated", "ResourceAlreadyAssociated.IpAddress"])

# Pause between attempts after a "busy" answer when the EIP itself looks settled.
RETRY_PAUSE_FIRST = 0.5
RETRY_PAUSE_MAX = 5.0

# What to do about the errors AssociateEipAddress / UnassociateEipAddress document. Codes not listed here
# still reach the user with their code and message (and the generic hints of module_utils._base).
HINTS = {
    "InvalidAllocationId.NotFound": "check allocation_id and region; the EIP does not exist there",
    "InvalidInstanId.NotFound": "check instance_id, instance_type and region; no such instance of that type exists",
    "InvalidParams.NotFound": "check instance_id, instance_type and region; no such instance of that type exists",
    "InvalidInstance.NotExist": "check instance_id, instance_type and region; no such instance of that type exists",
    "InvalidNicOrVm.NotFound": "check instance_id and instance_type; the network interface or VM does not exist",
    "OperationFailed.InstanceNotExist": "the ECS instance does not exist or is not in a VPC; check instance_id",
    "InvalidParameter.Mismatch": "the EIP and the instance are in different regions; use an instance in the EIP's "
                                 "region (or instance_region_id for Global Accelerator)",
    "ServerRegion.Invalid": "the instance's region is not valid for this EIP; check instance_region_id",
    "InvalidRegionId.NotFound": "instance_region_id names a region this EIP cannot be bound in",
    "Forbidden.RegionNotFound": "the region is not supported for this operation; check region",
    "InvalidAssociation.Duplicated": "the instance already has another EIP (or a Global Accelerator) associated; "
                                     "disassociate that one first",
    "ResourceAlreadyAssociated.IpAddress": "the IP address already has an EIP; disassociate that one first",
    "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": "the ECS instance has port forwarding rules or another EIP; "
                                              "remove them first",
    "EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP": "the instance has a fixed public IP; convert or release it first",
    "OperationDenied": "the instance must be in a VPC (and the EIP not in a default VPC); check instance_id",
    "IncorrectEipStatus": "the EIP stayed busy or is in a status that cannot be associated; check it in the "
                          "console, or raise wait_timeout",
    "InvalidBindingStatus": "the EIP stayed busy; raise wait_timeout or check the EIP in the console",
    "IncorrectInstanceStatus": "the instance is not in a status that accepts an EIP (e.g. ECS must be Running "
                               "or Stopped); wait for it or start it",
    "InvalidStatus.EcsStatusNotSupport": "the ECS instance's status does not allow this; wait until it is "
                                         "Running or Stopped",
    "InvalidStatus.EniStatusNotSupport": "the network interface's status does not allow this; wait and retry",
    "InvalidStatus.NotAllow": "the instance's status does not allow this; wait until it settles",
    "OperationFailed.EcsMigrating": "the ECS instance is being migrated; try again when it has finished",
    "IncorrectHaVipStatus": "the HAVIP must be Available or InUse; wait until it is",
    "TaskConflict": "another change to this EIP or instance kept running; try again later or raise wait_timeout",
    "OperationConflict": "another change to this EIP or instance kept running; try again later",
    "InvalidInstanceType.ValueNotSupported": "instance_type is not accepted for this instance",
    "InvalidParameter.InstanceTypeNotSupport": "instance_type does not match the instance; check instance_type",
    "InstanceType.NotSupport": "instance_type does not match the instance; check instance_type",
    "INSTANCE_TYPE_NOT_SUPPORT": "instance_type does not match the instance; check instance_type",
    "BindInstance.NotSupported": "this kind of instance cannot take an EIP here; check instance_type",
    "InvalidParameter": "a parameter was rejected; check private_ip_address, mode and vpc_id",
    "IllegalParam.Mode": "mode is not valid for this network interface",
    "Mode.Conflict": "the network interface already has EIPs in another mode; use the same mode",
    "OperationFailed.EipBindModeConflict": "the network interface already has EIPs in another mode; "
                                           "use the same mode",
    "Mode.NotSupport": "this account cannot use several cut-through (BINDED) EIPs",
    "OperationUnsupported.EipBindModel": "this ECS instance type does not support MULTI_BINDED; use NAT",
    "Eni.Attached": "detach the network interface from its ECS instance before binding a BINDED-mode EIP",
    "Eni.HasSubIp": "a BINDED-mode EIP needs a network interface without secondary private IPs",
    "OperationFailed.EniSubIp": "a BINDED-mode EIP needs a network interface without secondary private IPs",
    "Invalid.DirectEip.BindType": "a BINDED-mode EIP can only be bound to a network interface",
    "InvalidEip.EipQuotaExceeded": "the network interface has fewer private IPs than EIPs; add a secondary "
                                   "private IP first",
    "QuotaExceed.MultiBindedEip": "too many MULTI_BINDED EIPs on this network interface",
    "QuotaExceeded.NumberOfEipBinded": "the NAT gateway has its maximum number of EIPs; remove one first",
    "QuotaExceeded.NumberOfTrafficEip": "the NAT gateway has its maximum number of EIPs; remove one first",
    "NATGATEWAY_FINANCIALLOCKED": "the NAT gateway has expired; renew it first",
    "IncorrectStatus.NatGateway": "the NAT gateway is not in a status that accepts an EIP; wait until it is "
                                  "Available",
    "OperationDenied.Ipv4GatewayExist": "the VPC has an IPv4 gateway; this association is not allowed there",
    "OperationFailed.Ipv4GatewayNotOpenedInVpc": "create and enable an IPv4 gateway in vpc_id first",
    "OperationFailed.Ipv4GatewayNotActivatedInVpc": "activate the IPv4 gateway of vpc_id first",
    "OperationDenied.VpcIpv4GatewayEnabled": "the NAT gateway's VPC has an IPv4 gateway; this is not allowed",
    "UnsupportedFeature.EipBindIpAddress": "this EIP cannot be bound to an IP address (instance_type IpAddress)",
    "OperationDenied.NoAvailablePrivateIp": "the vSwitch has no free private IP; free one or pass "
                                            "private_ip_address",
    "InvalidEIPStatus.BizDisabled": "the EIP is locked (e.g. overdue payment); unlock it first",
    "Forbidden.FinancialLocked": "the EIP has an overdue payment; settle it first",
    "Forbidden.InstanceBandwidthNotZero": "the instance has public bandwidth; set it to 0 first",
    "InvalidStatus.InstanceHasBandWidth": "the instance has public bandwidth; set it to 0 first",
    "Forbidden": "the EIP belongs to another account, or the credentials may not manage it",
    "BIND_INSTANCE_OWENER_ERROR": "the EIP belongs to another account, or the credentials may not manage it",
    "InvalidAction.Denied": "a change to the EIP's configuration is still running; try again later",
    "UnsupportedRegion": "this operation is not available in the region",
    "InvalidIpStatus.HasBeenUsedBySnatTable": "SNAT entries use this EIP; remove them or set force: true",
    "InvalidIpStatus.HasBeenUsedByForwardEntry": "DNAT entries use this EIP; remove them or set force: true",
    "InvalidStatus.SnatOrDnat": "SNAT/DNAT entries use this EIP; remove them or set force: true",
}


class AsWanted(Exception):
    """The EIP is already as wanted: nothing to do (carries the EIP as read)."""


class EipAssociation:
    """present / absent for one EIP: read, decide, act, wait, report."""

    def __init__(self, m):
        self.m = m
        self.p = m.params
        self.allocation_id = self.p["allocation_id"]
        self.before = None          # the association as first read, for the diff
        self.moved_from = None      # the previous owner, once a reassociation has unbound the EIP from it
        self.changed = False        # set once a mutating call succeeded (or would, in check mode)

    # ---- reading ------------------------------------------------------------------------

    def describe(self):
        """The EIP as DescribeEipAddresses shows it; fails clearly when it does not exist here."""
        if self.allocation_id:
            query, key, value = {"AllocationId": self.allocation_id}, "AllocationId", self.allocation_id
        else:
            query, key, value = {"EipAddress": self.p["ip_address"]}, "IpAddress", self.p["ip_address"]
        try:
            answer = self.m.call("DescribeEipAddresses", query)
        except ApiError as err:
            self.m.fail_api(err, "DescribeEipAddresses", hint_for(HINTS, err.code))
        found = [e for e in (answer.get("EipAddresses") or {}).get("EipAddress") or [] if e.get(key) == value]
        if not found:
            self.m.fail("EIP %s not found in region %s. Check allocation_id/ip_address and region (the EIP must be "
                        "in the region the module works in)." % (value, self.m.region))
        eip = found[0]
        self.allocation_id = eip["AllocationId"]   # later reads go by ID, even when looked up by address
        return eip

    def wait(self, done, what):
        """Poll the EIP until done(eip); fail naming the last state seen when wait_timeout runs out."""
        return self.m.wait_or_fail(
            self.describe, done, what,
            show=lambda eip: "EIP %s %s" % (self.allocation_id, describe_state(eip or {})),
            result=lambda eip: dict(association=association(eip) if eip else None))

    def settled(self, eip=None):
        """The EIP once it is no longer Associating/Unassociating; `eip` is a fresh read to start from."""
        if eip is not None and eip.get("Status") not in BUSY:
            return eip
        return self.wait(lambda e: e.get("Status") not in BUSY,
                         "EIP %s to finish its current change" % self.allocation_id)

    # ---- acting ------------------------------------------------------------------------

    def mutate(self, action, params):
        """One mutating call (skipped in check mode); ApiError propagates to the decision loop."""
        if not self.m.module.check_mode:
            self.m.call(action, params, mutating=True)
        self.changed = True

    def unassociate(self, eip):
        """Unbind from the CURRENT owner, with its own id and type (not the ones the options name)."""
        params = {"AllocationId": eip["AllocationId"], "InstanceId": eip["InstanceId"],
                  "InstanceType": eip.get("InstanceType") or "EcsInstance"}
        if eip.get("InstanceType") == "NetworkInterface" and eip.get("PrivateIpAddress"):
            params["PrivateIpAddress"] = eip["PrivateIpAddress"]
        if self.p["force"] and eip.get("InstanceType") == "Nat":
            params["Force"] = True
        self.mutate("UnassociateEipAddress", params)

    def associate(self, eip):
        params = {"AllocationId": eip["AllocationId"], "InstanceId": self.p["instance_id"],
                  "InstanceType": self.p["instance_type"]}
        for option, name in (("private_ip_address", "PrivateIpAddress"), ("mode", "Mode"), ("vpc_id", "VpcId"),
                             ("instance_region_id", "InstanceRegionId"), ("client_token", "ClientToken")):
            if self.p[option]:
                params[name] = self.p[option]
        self.mutate("AssociateEipAddress", params)

    # ---- deciding ----------------------------------------------------------------------

    def wanted(self, eip):
        """True when the EIP is bound (or being bound) exactly as the options ask."""
        p = self.p
        if eip.get("InstanceId") != p["instance_id"] or eip.get("InstanceType") != p["instance_type"]:
            return False
        if p["private_ip_address"] and eip.get("PrivateIpAddress") != p["private_ip_address"]:
            return False
        if p["mode"] and (eip.get("Mode") or "NAT") != p["mode"]:
            return False
        if p["instance_region_id"] and eip.get("InstanceRegionId") not in (None, "", p["instance_region_id"]):
            return False
        return True

    def bound_to_target(self, eip):
        """For absent: bound to instance_id, or to anything when instance_id is omitted."""
        if not eip.get("InstanceId"):
            return False
        return not self.p["instance_id"] or eip["InstanceId"] == self.p["instance_id"]

    def converge(self, step, eip):
        """Run step(eip, last_error) on a settled EIP; after a busy or "already associated" answer from the
        API, read again, wait for the EIP to settle and decide again, until wait_timeout runs out.

        step raises AsWanted(eip) when the EIP is as wanted, and returns normally after acting.
        """
        pause = RETRY_PAUSE_FIRST
        last_error = None
        while True:
            eip = self.settled(eip)
            if self.before is None:
                self.before = eip
            try:
                step(eip, last_error)
                return
            except ApiError as err:
                if not (err.transitional or err.code in ALREADY_ASSOCIATED) or self.m.remaining() <= 0:
                    self.fail_api(err)
                last_error = err
            time.sleep(min(pause, self.m.remaining()))
            pause = min(pause * 2, RETRY_PAUSE_MAX)
            eip = None   # read again

    def fail_api(self, err, hint=None):
        hint = hint or hint_for(HINTS, err.code)
        if self.moved_from is not None:
            hint = "%s. %s" % (hint, self.restore_previous_owner()) if hint else self.restore_previous_owner()
        self.m.fail_api(err, err.action or "the API call", hint)

    def restore_previous_owner(self):
        """A reassociation failed after the unbind: put the EIP back where it was, so it is not left half-done.

        Best effort, without waiting; returns a sentence for the failure message.
        """
        old, self.moved_from = self.moved_from, None
        params = {"AllocationId": old["AllocationId"], "InstanceId": old["InstanceId"],
                  "InstanceType": old.get("InstanceType") or "EcsInstance"}
        if old.get("InstanceType") == "NetworkInterface":
            params.update(PrivateIpAddress=old.get("PrivateIpAddress"), Mode=old.get("Mode") or "NAT")
        try:
            self.m.call("AssociateEipAddress", dict((k, v) for k, v in params.items() if v), mutating=True)
        except ApiError as err:
            return "The EIP had been disassociated from %s and could not be associated with it again (%s): do " \
                   "that by hand" % (owner(old), err.code)
        return "The EIP had been disassociated from %s; it is being associated with it again" % owner(old)

    def after_already_associated(self, err):
        """The API said "already associated" but the EIP, read again, is not bound as asked.

        Another EIP on the instance: a real conflict, fail naming it. None: the answer was about this EIP and the
        read has not caught up yet (eventual consistency); wait for it to show, within wait_timeout.
        """
        holders = self.eips_on_instance()
        if holders:
            self.fail_api(err, "%s %s already has EIP %s; disassociate it first (or associate that EIP instead)"
                          % (self.p["instance_type"], self.p["instance_id"], ", ".join(holders)))
        try:
            eip = self.m.wait_for(self.describe, lambda e: self.wanted(e) and e.get("Status") == "InUse",
                                  self.m.remaining(), "EIP %s to show its association" % self.allocation_id)
        except WaitTimeout:
            self.fail_api(err)
        raise AsWanted(eip)

    def eips_on_instance(self):
        """IDs of the other EIPs bound to instance_id (best effort: an error here only loses detail)."""
        try:
            answer = self.m.call("DescribeEipAddresses", {"AssociatedInstanceId": self.p["instance_id"],
                                                          "AssociatedInstanceType": self.p["instance_type"]})
        except ApiError:
            return []
        return [e["AllocationId"] for e in (answer.get("EipAddresses") or {}).get("EipAddress") or []
                if e.get("AllocationId") != self.allocation_id]

    def present_step(self, eip, last_error):
        if self.wanted(eip) and eip.get("Status") == "InUse":
            raise AsWanted(eip)
        if last_error is not None and last_error.code in ALREADY_ASSOCIATED:
            self.after_already_associated(last_error)
        status = eip.get("Status")
        if status not in SETTLED:
            self.m.fail("EIP %s is %s; only an Available or InUse EIP can be associated." % (
                self.allocation_id, status), association=association(eip))
        locks = lock_reasons(eip)
        if locks:
            self.m.fail("EIP %s is locked (%s) and cannot be associated; unlock it (e.g. settle an overdue "
                        "payment) first." % (self.allocation_id, ", ".join(locks)), association=association(eip))
        if eip.get("InstanceId"):
            if not self.p["allow_reassociation"]:
                self.m.fail("EIP %s is already associated with %s; set allow_reassociation: true to move it to "
                            "%s %s." % (self.allocation_id, owner(eip), self.p["instance_type"],
                                        self.p["instance_id"]), association=association(eip))
            self.unassociate(eip)
            self.moved_from = eip
            if not self.m.module.check_mode:
                # The service accepts an associate only once the EIP is Available again.
                self.wait(lambda e: e.get("Status") == "Available" or self.wanted(e),
                          "EIP %s to be disassociated from %s" % (self.allocation_id, owner(eip)))
        self.associate(eip)

    def absent_step(self, eip, last_error):
        if not self.bound_to_target(eip):
            raise AsWanted(eip)
        self.unassociate(eip)

    # ---- the task ----------------------------------------------------------------------

    def run_present(self):
        eip = self.describe()
        # Already on its way to the wanted state and the user does not want to wait: nothing to do.
        if not self.p["wait"] and eip.get("Status") == "Associating" and self.wanted(eip):
            self.report(eip, eip)
        try:
            self.converge(self.present_step, eip)
        except AsWanted as done:
            self.report(self.before, done.args[0])
        if self.m.module.check_mode:
            self.report(self.before, self.predicted_present())
        if not self.p["wait"]:
            self.report(self.before, self.predicted_present(status="Associating"))
        final = self.wait(lambda e: e.get("Status") == "InUse" and self.wanted(e),
                          "EIP %s to be InUse on %s %s" % (self.allocation_id, self.p["instance_type"],
                                                           self.p["instance_id"]))
        self.report(self.before, final)

    def run_absent(self):
        try:
            self.converge(self.absent_step, self.describe())
        except AsWanted as done:
            self.report(self.before, done.args[0])
        if self.m.module.check_mode:
            self.report(self.before, unbound(self.before))
        if not self.p["wait"]:
            self.report(self.before, unbound(self.before, status="Unassociating"))
        final = self.wait(lambda e: e.get("Status") == "Available",
                          "EIP %s to be Available (disassociated)" % self.allocation_id)
        self.report(self.before, final)

    def predicted_present(self, status="InUse"):
        eip = dict(self.before)
        eip.update(InstanceId=self.p["instance_id"], InstanceType=self.p["instance_type"], Status=status,
                   PrivateIpAddress=self.p["private_ip_address"], Mode=self.p["mode"])
        return eip

    def report(self, before, after):
        self.m.exit(self.changed, before=diff_view(before), after=diff_view(after), association=association(after))


# ---- pure helpers -------------------------------------------------------------------------

def association(eip):
    """The association as this module returns it."""
    bound = bool(eip.get("InstanceId"))
    return dict(allocation_id=eip.get("AllocationId"), ip_address=eip.get("IpAddress"),
                instance_id=eip.get("InstanceId") or None,
                instance_type=(eip.get("InstanceType") or None) if bound else None,
                private_ip_address=(eip.get("PrivateIpAddress") or None) if bound else None,
                mode=(eip.get("Mode") or None) if bound else None,
                status=eip.get("Status"), region_id=eip.get("RegionId"))


def diff_view(eip):
    a = association(eip)
    return dict((k, a[k]) for k in ("instance_id", "instance_type", "private_ip_address", "status"))


def unbound(eip, status="Available"):
    eip = dict(eip)
    eip.update(InstanceId=None, InstanceType=None, PrivateIpAddress=None, Mode=None, Status=status)
    return eip


def owner(eip):
    text = "%s %s" % (eip.get("InstanceType") or "instance", eip.get("InstanceId"))
    if eip.get("PrivateIpAddress"):
        text += " (private IP %s" % eip["PrivateIpAddress"]
        # The mode only tells something for a network interface (the service reports NAT for the rest).
        text += ", mode %s)" % eip["Mode"] if eip.get("InstanceType") == "NetworkInterface" and eip.get("Mode") else ")"
    return text


def describe_state(eip):
    if not eip:
        return "nothing read"
    text = "status %s" % eip.get("Status")
    if eip.get("InstanceId"):
        text += ", bound to %s" % owner(eip)
    return text


def lock_reasons(eip):
    locks = eip.get("OperationLocks") or {}
    reasons = locks.get("LockReason") if isinstance(locks, dict) else locks
    out = []
    for reason in reasons or []:
        out.append(reason.get("LockReason", str(reason)) if isinstance(reason, dict) else str(reason))
    return out


# ---- input checks, before any API call ------------------------------------------------------

def input_problems(p):
    """Messages for option values the API would reject or misread; empty when all is well."""
    problems = [id_problem(option, p.get(option)) for option in ("allocation_id", "instance_id", "vpc_id")]
    problems = [problem for problem in problems if problem]
    for option in ("ip_address", "private_ip_address"):
        if p.get(option) is not None and not is_ip(p[option], version=4 if option == "ip_address" else None):
            problems.append("%s %r is not a valid IP address" % (option, p[option]))
    if p["state"] == "present":
        if p["instance_type"] == "IpAddress" and p["instance_id"] and not is_ip(p["instance_id"]):
            problems.append("instance_id must be an IP address with instance_type IpAddress, got %r"
                            % p["instance_id"])
        if p["mode"] and p["instance_type"] != "NetworkInterface":
            problems.append("mode is only accepted with instance_type NetworkInterface")
        if p["vpc_id"] and p["instance_type"] != "IpAddress":
            problems.append("vpc_id is only accepted with instance_type IpAddress")
    if p["instance_region_id"] is not None and not REGION_PATTERN.match(p["instance_region_id"]):
        problems.append("instance_region_id %r does not look like a region id (e.g. cn-hangzhou)"
                        % p["instance_region_id"])
    token = p["client_token"]
    if token is not None and (not token or len(token) > 64 or not token.isascii() or not token.isprintable()):
        problems.append("client_token must be 1 to 64 printable ASCII characters")
    if p["wait_timeout"] < 0:
        problems.append("wait_timeout must not be negative")
    return problems


def is_ip(value, version=None):
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return version is None or address.version == version


def main():
    argument_spec = dict(
        allocation_id=dict(type="str"),
        ip_address=dict(type="str"),
        instance_id=dict(type="str"),
        instance_type=dict(type="str", default="EcsInstance",
                           choices=["EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip", "IpAddress"]),
        private_ip_address=dict(type="str"),
        mode=dict(type="str", choices=["NAT", "MULTI_BINDED", "BINDED"]),
        vpc_id=dict(type="str"),
        instance_region_id=dict(type="str"),
        client_token=dict(type="str", no_log=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        allow_reassociation=dict(type="bool", default=False),
        force=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    m = AlicloudModule(
        argument_spec=argument_spec, product="vpc", supports_check_mode=True,
        required_one_of=[["allocation_id", "ip_address"]],
        mutually_exclusive=[["allocation_id", "ip_address"]],
        required_if=[["state", "present", ["instance_id"]],
                     ["instance_type", "IpAddress", ["vpc_id"]]],
    )
    problems = input_problems(m.params)
    if problems:
        m.fail("Invalid options: %s." % "; ".join(problems))
    task = EipAssociation(m)
    if m.params["state"] == "present":
        task.run_present()
    task.run_absent()


if __name__ == "__main__":
    main()
