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
  - With O(service=ens), does the same for an Edge Node Service (ENS) EIP and an ENS instance, ENS SLB, ENS NAT
    gateway or ENI, through the ENS API (C(AssociateEnsEipAddress), C(UnAssociateEnsEipAddress),
    C(DescribeEnsEipAddresses); one global endpoint, O(region) not needed). C(UnAssociateEnsEipAddress) names no
    instance, so with O(state=absent) and O(instance_id) the module reads the EIP first and unbinds it only when
    it is bound to that instance.
  - Many associations in one task, far faster than a loop, with O(associations) (a list of associations) or
    O(allocation_ids) (a set of EIPs on one NAT gateway or network interface). Every item is checked before any
    call; the EIPs are read 50 per C(DescribeEipAddresses) call; the calls run in parallel (O(parallelism)),
    slowing down together when the API throttles; all pending items are polled together. A NAT gateway's new
    EIPs (and a network interface's in C(MULTI_BINDED) mode) are associated with C(AssociateEipAddressBatch).
    Each item is decided exactly as the single form decides. When some items fail the task fails, naming each
    with its error code and hint, and reports every item (the others stay done).
author:
  - alicloud.network contributors (@alicloud-network)
options:
  allocation_id:
    description:
      - The ID of the EIP, for example V(eip-2zeerraiwb7ujsxdc1234).
      - Exactly one of O(allocation_id) and O(ip_address) is required, unless O(associations) or
        O(allocation_ids) is given.
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
      - With O(allocation_ids), the NAT gateway or network interface that holds the set.
    type: str
  instance_type:
    description:
      - The kind of instance named by O(instance_id). The module never guesses it from the ID.
      - With O(service=vpc), V(EcsInstance) an ECS instance in a VPC; V(SlbInstance) a CLB instance in a VPC;
        V(Nat) a NAT gateway; V(NetworkInterface) a secondary elastic network interface; V(HaVip) a VPC HAVIP;
        V(IpAddress) an IP address in a VPC that has an IPv4 gateway (needs O(vpc_id)).
      - With O(service=ens), V(EnsInstance) an ENS instance; V(SlbInstance) an ENS SLB instance; V(NatSlbInstance)
        an ENS SLB instance that takes several EIPs; V(Nat) an ENS NAT gateway; V(NetworkInterface) an ENI.
      - When omitted, V(EcsInstance) with O(service=vpc) and V(EnsInstance) with O(service=ens). A type the service
        does not take fails the task before any call.
      - With O(state=absent) it is not used; the module disassociates using the type the EIP reports.
      - With O(allocation_ids), V(Nat) or V(NetworkInterface). With O(associations), the type of the items that
        do not give their own.
    type: str
    choices: [EcsInstance, SlbInstance, Nat, NetworkInterface, HaVip, IpAddress, EnsInstance, NatSlbInstance]
  private_ip_address:
    description:
      - The private IP address of the instance to bind the EIP to, for example a secondary private IP of an ENI.
      - Only with O(service=vpc), like O(mode), O(vpc_id), O(instance_region_id) and O(client_token); with
        O(service=ens) setting any of them fails the task before any call.
      - When given it is part of the comparison; an EIP bound to the same instance on another private IP counts
        as bound elsewhere (see O(allow_reassociation)). When omitted, the service picks one and any private IP
        is accepted.
    type: str
  mode:
    description:
      - The association mode; only with O(instance_type=NetworkInterface).
      - V(NAT) NAT mode; V(MULTI_BINDED) multi-EIP-to-ENI mode; V(BINDED) cut-through mode.
      - When omitted the service uses V(NAT) and the current mode is not compared.
      - With O(allocation_ids) on a network interface, V(MULTI_BINDED) lets the set be associated with
        C(AssociateEipAddressBatch) calls (the API requires that mode); other modes use one call per EIP.
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
  service:
    description:
      - Which service holds the EIP.
      - V(vpc) a VPC EIP (VPC API 2016-04-28, regional, so O(region) is required).
      - V(ens) an Edge Node Service EIP (ENS API 2017-11-10, one global endpoint). RV(association.region_id) is
        then the EIP's ENS node.
    type: str
    choices: [vpc, ens]
    default: vpc
  standby:
    description:
      - Only with O(service=ens). V(true) binds the EIP as the instance's standby EIP (an ENS instance holds one
        EIP and one standby EIP); part of the comparison, so a main EIP does not count as bound as standby.
      - When omitted, V(false) (a main EIP) with O(service=ens). Setting it with O(service=vpc) fails the task.
      - To unbind the main EIP of an instance that also has a standby EIP, unbind the standby one first (the ENS
        API refuses otherwise with C(InvalidUnAssociation.UnAssociateStandbyEipFist)).
    type: bool
  state:
    description:
      - V(present) the EIP is associated with O(instance_id).
      - V(absent) the EIP is not associated (with O(instance_id) when given).
      - With O(associations), the state of the items that do not give their own; with O(allocation_ids), the
        state of every EIP of the set.
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
      - Sent as C(Force) when disassociating from a NAT gateway (a VPC or, with O(service=ens), an ENS one), so the
        service disassociates the EIP even though SNAT or DNAT entries still use it (those entries stop working).
        Has no effect on other instance types.
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
  associations:
    description:
      - Many associations in one task. Each item takes the keys of the single form below; O(allow_reassociation),
        O(force), O(wait), O(wait_timeout) and the connection options of the task apply to every item.
      - Mutually exclusive with O(allocation_id), O(ip_address), O(instance_id), O(private_ip_address), O(mode),
        O(vpc_id), O(instance_region_id), O(client_token) and O(allocation_ids). Only with O(service=vpc).
      - Checked before any call; an EIP listed twice, or asked on two instances, is refused.
      - O(wait_timeout) is the budget of the whole task, not of each item.
    type: list
    elements: dict
    suboptions:
      allocation_id:
        description: The ID of the EIP. Exactly one of O(associations[].allocation_id) and
          O(associations[].ip_address) is required.
        type: str
      ip_address:
        description: The public IPv4 address of the EIP.
        type: str
      instance_id:
        description: As O(instance_id); required when the item's state is V(present).
        type: str
      instance_type:
        description: As O(instance_type) with O(service=vpc); when omitted, the task's O(instance_type).
        type: str
        choices: [EcsInstance, SlbInstance, Nat, NetworkInterface, HaVip, IpAddress, EnsInstance, NatSlbInstance]
      private_ip_address:
        description: As O(private_ip_address).
        type: str
      mode:
        description: As O(mode).
        type: str
        choices: [NAT, MULTI_BINDED, BINDED]
      vpc_id:
        description: As O(vpc_id).
        type: str
      instance_region_id:
        description: As O(instance_region_id).
        type: str
      state:
        description: As O(state); when omitted, the task's O(state).
        type: str
        choices: [present, absent]
  allocation_ids:
    description:
      - A set of EIPs on one instance, O(instance_id) of O(instance_type) V(Nat) (a NAT gateway's SNAT pool) or
        V(NetworkInterface).
      - A NAT gateway's EIPs that are not yet associated are associated with C(AssociateEipAddressBatch), 50 per
        call; a network interface's too with O(mode=MULTI_BINDED); one call per EIP otherwise.
      - Mutually exclusive with O(allocation_id), O(ip_address), O(private_ip_address), O(vpc_id),
        O(instance_region_id), O(client_token) and O(associations). Only with O(service=vpc).
    type: list
    elements: str
  exclusive:
    description:
      - With O(allocation_ids) and O(state=present), also disassociate the instance's other EIPs, so it holds
        exactly the set. Those are disassociated before new EIPs are associated (the instance's capacity is
        freed first).
    type: bool
    default: false
  parallelism:
    description:
      - With O(associations) or O(allocation_ids), how many API calls are in flight at most (1 to 50).
      - When the API throttles, every call slows down together; lower it if throttling still ends a task.
    type: int
    default: 10
notes:
  - Check mode reads the EIP and reports the decision and the predicted association without changing anything.
    It cannot tell whether the instance exists or accepts the EIP; the real run can still fail on that.
  - The EIP and the instance must be in the region the module works in (O(region)), except as allowed by
    O(instance_region_id).
  - Errors of the API are reported with their code, message and request id, and a hint on what to do for the
    common codes.
  - With O(associations) or O(allocation_ids), an item that fails without an API error has one of these codes
    in RV(associations[].error.code) - V(NotFound) (no such EIP), V(AlreadyAssociated) (bound elsewhere and
    O(allow_reassociation=false)), V(Locked), V(IncorrectEipStatus) (for example C(Releasing)),
    V(WaitTimeout), V(Overridden) (another actor changed the EIP after this task's call).
extends_documentation_fragment:
  - alicloud.network.alicloud
attributes:
  check_mode:
    support: full
    description: Reads only; reports the same decision and C(changed) as a real run would.
  diff_mode:
    support: full
    description: Shows the association (instance id and type, private IP, status) before and after; for the list
      forms, of every EIP that changes, keyed by allocation ID.
seealso:
  - name: AssociateEipAddress
    description: The API operation this module calls.
    link: https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-associateeipaddress
  - name: AssociateEnsEipAddress
    description: The ENS API operation this module calls with O(service=ens).
    link: https://www.alibabacloud.com/help/en/ens/developer-reference/api-ens-2017-11-10-associateenseipaddress
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

- name: Associate several EIPs, one per instance, in one task (far faster than a loop)
  alicloud.network.eip_association:
    associations:
      - {allocation_id: eip-2zeerraiwb7ujsxdc0001, instance_id: i-2zebb08phyczzawe0001}
      - {allocation_id: eip-2zeerraiwb7ujsxdc0002, instance_id: i-2zebb08phyczzawe0002}
      - {ip_address: 47.100.12.35, instance_id: lb-bp1b6c719dfa08ex1234, instance_type: SlbInstance}
      - {allocation_id: eip-2zeerraiwb7ujsxdc0004, state: absent}
    parallelism: 10
  register: fleet

- name: Show each EIP and where it is
  ansible.builtin.debug:
    msg: "{{ fleet.associations | map(attribute='association') | map(attribute='ip_address') | list }}"

- name: Give a NAT gateway exactly these SNAT EIPs (others it holds are disassociated)
  alicloud.network.eip_association:
    instance_id: ngw-bp1uewa15k4iy5770ab12
    instance_type: Nat
    allocation_ids:
      - eip-2zeerraiwb7ujsxdc0101
      - eip-2zeerraiwb7ujsxdc0102
      - eip-2zeerraiwb7ujsxdc0103
    exclusive: true
    force: true

- name: Several EIPs on one network interface, in multi-EIP mode (one batch call)
  alicloud.network.eip_association:
    instance_id: eni-bp14v2sdd3v8htln1234
    instance_type: NetworkInterface
    mode: MULTI_BINDED
    allocation_ids: [eip-2zeerraiwb7ujsxdc0201, eip-2zeerraiwb7ujsxdc0202]

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

- name: Give an ENS edge instance its public address
  alicloud.network.eip_association:
    service: ens
    allocation_id: eip-5p1e1234
    instance_id: i-5p1i1234

- name: Add a standby EIP to the same ENS instance
  alicloud.network.eip_association:
    service: ens
    allocation_id: eip-5p1e5678
    instance_id: i-5p1i1234
    standby: true

- name: Unbind an ENS EIP, but only if it is bound to this ENS SLB
  alicloud.network.eip_association:
    service: ens
    allocation_id: eip-5p1e9999
    instance_id: lb-5p1s1234
    instance_type: SlbInstance
    state: absent

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
  returned: success, with the single form
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
        V(HaVip), V(IpAddress); with O(service=ens) V(EnsInstance), V(SlbInstance), V(NatSlbInstance), V(Nat),
        V(NetworkInterface)); null when the EIP is not bound.
      type: str
      sample: EcsInstance
    private_ip_address:
      description: The private IP address the EIP is bound to; null when not bound or not reported (always null
        with O(service=ens)).
      type: str
      sample: 10.0.1.1
    mode:
      description: The association mode the service reports (V(NAT), V(MULTI_BINDED), V(BINDED)); null when none
        (always null with O(service=ens)).
      type: str
      sample: NAT
    status:
      description: The EIP's status, V(InUse) or V(Available) once settled; V(Associating) or V(Unassociating)
        when the module did not wait.
      type: str
      sample: InUse
    region_id:
      description: The region of the EIP; with O(service=ens), its ENS node.
      type: str
      sample: cn-hangzhou
    standby:
      description: Whether the EIP is its instance's standby EIP; null when the EIP is not bound.
      returned: when O(service=ens)
      type: bool
      sample: false
associations:
  description:
    - With O(associations) or O(allocation_ids), one entry per item, in the order given (with O(exclusive), the
      instance's other EIPs follow).
  returned: with O(associations) or O(allocation_ids), also on failure
  type: list
  elements: dict
  contains:
    allocation_id:
      description: The ID of the EIP (null when an item given by address was not found).
      type: str
      sample: eip-2zeerraiwb7ujsxdc0001
    ip_address:
      description: The address the item gave, when it gave one.
      type: str
      returned: when the item gave O(associations[].ip_address)
    instance_id:
      description: The instance the item asked for.
      type: str
      sample: i-2zebb08phyczzawe0001
    changed:
      description: Whether this item's association was (or, in check mode, would be) changed.
      type: bool
    association:
      description: The association after the task, as RV(association) for the single form; null when the EIP
        was not found.
      type: dict
    before:
      description: The association before the task (instance_id, instance_type, private_ip_address, status).
      type: dict
      returned: when diff mode is on
    error:
      description: Why this item failed.
      type: dict
      returned: when the item failed
      contains:
        code:
          description: The API's error code, or one of those in the notes when no call failed.
          type: str
          sample: InvalidInstanId.NotFound
        message:
          description: What failed, in words.
          type: str
          sample: "AssociateEipAddress failed: Specified instance does not exist."
        hint:
          description: What to do about it; null when there is no hint for the code.
          type: str
          sample: check instance_id, instance_type and region; no such instance of that type exists
        request_id:
          description: The request id of the failed call; null when no call failed.
          type: str
request_ids:
  description: The request ids of the associate and disassociate calls this run made (empty when none).
  returned: always
  type: list
  elements: str
  sample: [0ED8D006-F706-4D23-88ED-E11ED28DCAC0]
diff:
  description:
    - The association before and after (instance_id, instance_type, private_ip_address, status).
    - With O(associations) or O(allocation_ids), before and after are dicts keyed by allocation ID, with every
      EIP that changes.
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

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _eip_many, _ens_eip
from ansible_collections.alicloud.network.plugins.module_utils._association import AssociationTask
from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._waiter import WaitTimeout, wait_until

INSTANCE_TYPES = ["EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip", "IpAddress"]


class EipAssociation(AssociationTask):
    """present / absent for one EIP. The decisions are the EipGoal's (module_utils/_eip.py), shared with the
    list forms (module_utils/_eip_many.py)."""

    result_key = "association"

    def __init__(self, module):
        super().__init__(module)
        self.goal = _eip.EipGoal(self.params)
        self.moved_from = None      # the previous owner, once a reassociation has unbound the EIP from it

    @property
    def allocation_id(self):
        return self.goal.allocation_id

    # ---- reading --------------------------------------------------------------------------------------------

    def read(self):
        eip = _eip.read_eip(self.module.call, self.allocation_id, self.params["ip_address"])
        if eip is not None:
            self.goal.allocation_id = eip["AllocationId"]   # later reads go by ID, even when looked up by address
        return eip

    def not_found(self):
        return ("EIP %s not found in region %s. Check allocation_id/ip_address and region (the EIP must be in the "
                "region the module works in)." % (self.allocation_id or self.params["ip_address"], self.module.region))

    def describe_subject(self):
        return "EIP %s" % self.allocation_id

    def describe_state(self, eip, /):
        return "EIP %s %s" % (self.allocation_id, _eip.describe_state(eip))

    is_settled = staticmethod(_eip.is_settled)
    view = staticmethod(_eip.association_view)
    diff_view = staticmethod(_eip.diff_view)

    # ---- deciding (the goal's) ------------------------------------------------------------------------------

    def heading_to_wanted(self, resource):
        return self.goal.heading_to_wanted(resource)

    def wanted(self, eip):
        return self.goal.wanted(eip)

    def plan(self, resource):
        try:
            return self.goal.plan(resource)
        except _eip.Blocked as blocked:
            self.fail(blocked.message)

    def predict(self, resource, changes, settled=True):
        return self.goal.predict(resource, changes, settled)

    # ---- what the engine asks when things go wrong -----------------------------------------------------------

    def took_effect(self, change, eip, /):
        if change.action == "UnassociateEipAddress" and self.params["state"] == "present":
            self.moved_from = eip
        elif change.action == "AssociateEipAddress":
            self.moved_from = None

    def unresolved_refusal(self, err, change, eip, /):
        """The API said "already associated" but the EIP, read again, is not bound as asked.

        Another EIP on the instance: a real conflict, fail naming it. The EIP moved since the call was planned
        (another actor): decide again. It still looks as it did: the answer was about this EIP and the read has not
        caught up yet (eventual consistency); wait for it to show, or to move, within wait_timeout.
        """
        holders = self.eips_on_instance()
        if holders:
            self.fail_api(err, change, hint="%s %s already has EIP %s; disassociate it first (or associate that EIP "
                          "instead)" % (self.params["instance_type"], self.params["instance_id"], ", ".join(holders)))
        planned = _eip.diff_view(self.planned_on or eip)
        if _eip.diff_view(eip) != planned:
            return eip
        try:
            return wait_until(self.read_existing, lambda e: change.holds(e) or _eip.diff_view(e) != planned,
                              self.module.remaining(), "EIP %s to show its association" % self.allocation_id)
        except WaitTimeout:
            self.fail_api(err, change)

    def eips_on_instance(self):
        """IDs of the other EIPs bound to instance_id (best effort: an error here only loses detail)."""
        try:
            eips = _eip.read_eips(self.module.call, filters={"AssociatedInstanceId": self.params["instance_id"],
                                                             "AssociatedInstanceType": self.params["instance_type"]})
        except ApiError:
            return []
        return [e["AllocationId"] for e in eips if e.get("AllocationId") != self.allocation_id]

    def on_abort(self):
        """A reassociation failed after the unbind: put the EIP back where it was, so it is not left half done.

        Only when the EIP was last seen unbound (another actor may have taken it since); best effort, no wait.
        """
        old, self.moved_from = self.moved_from, None
        if old is None or (self.last_seen and _eip.is_bound(self.last_seen)):
            return None
        try:
            self.module.call("AssociateEipAddress", _eip.restore_params(old), mutating=True)
        except ApiError as err:
            return ("The EIP had been disassociated from %s and could not be associated with it again (%s): do that "
                    "by hand." % (_eip.owner(old), err.code))
        return "The EIP had been disassociated from %s; it is being associated with it again." % _eip.owner(old)


# The input checks live in module_utils/_eip.py, shared with the list forms' items.
input_problems = _eip.input_problems


def main():
    single = dict(
        allocation_id=dict(type="str"),
        ip_address=dict(type="str"),
        instance_id=dict(type="str"),
        instance_type=dict(type="str", choices=INSTANCE_TYPES + list(_eip.ENS_ONLY_TYPES)),
        private_ip_address=dict(type="str"),
        mode=dict(type="str", choices=["NAT", "MULTI_BINDED", "BINDED"]),
        vpc_id=dict(type="str"),
        instance_region_id=dict(type="str"),
        client_token=dict(type="str", no_log=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        allow_reassociation=dict(type="bool", default=False),
        force=dict(type="bool", default=False),
        service=dict(type="str", default="vpc", choices=["vpc", "ens"]),
        standby=dict(type="bool"),
    )
    module = AlicloudModule(
        argument_spec=dict(single, **_eip_many.argument_spec(single)),
        product=lambda params: params["service"], supports_check_mode=True, waits=True,
        required_one_of=[["allocation_id", "ip_address", "associations", "allocation_ids"]],
        mutually_exclusive=[["allocation_id", "ip_address"]] + _eip_many.MUTUALLY_EXCLUSIVE,
        required_if=[["state", "present", ["instance_id", "associations"], True],
                     ["instance_type", "IpAddress", ["vpc_id"]]],
    )
    if module.params["service"] == "ens" and not _eip_many.wanted_many(module.params):
        _ens_eip.EnsEipAssociation(module).run()    # ENS EIPs: module_utils/_ens_eip.py (checks its own input)
        return
    module.params["instance_type"] = module.params["instance_type"] or "EcsInstance"
    problems = _eip.service_problems(module.params) + input_problems(module.params)
    if problems:
        module.fail("Invalid options: %s." % "; ".join(problems))
    if _eip_many.wanted_many(module.params):
        _eip_many.run(module)   # the list forms: module_utils/_eip_many.py
    else:
        EipAssociation(module).run()


if __name__ == "__main__":
    main()
