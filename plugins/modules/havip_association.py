#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: havip_association
short_description: Associate an ENS or VPC high-availability virtual IP (HAVIP) with instances or ENIs
version_added: 0.1.0
description:
  - Binds an Edge Node Service (ENS) high-availability virtual IP address (HAVIP) to one or several ENS instances
    or elastic network interfaces (ENIs), or unbinds it, idempotently.
  - With O(service=vpc), does the same for a VPC HAVIP and ECS instances or ENIs (the classic keepalived pair on
    ECS), through the VPC API.
  - A HAVIP exists to float between two or more instances (for example a keepalived master/backup pair), so an
    association is membership, not ownership. Binding one instance never unbinds another, unless O(exclusive=true)
    says the listed instances are the whole set.
  - The module reads the HAVIP with C(DescribeHaVips) first and calls C(AssociateHaVip) or C(UnassociateHaVip)
    only for what differs. Nothing to do means no mutating call at all.
  - Associations change one instance at a time. While the HAVIP is C(Associating) or C(Unassociating) it refuses
    other changes, so the module waits for each change to become visible before it makes the next one.
  - When the API answers that the HAVIP or the instance is busy (C(IncorrectHaVipStatus) while a change is in
    progress, C(OperationConflict), an answer lost on the network), the module reads the HAVIP again, waits for it
    to settle and decides again, within O(wait_timeout).
  - ENS is served by one endpoint (C(ens.aliyuncs.com)), so O(region) is not needed. The HAVIP's ENS node is
    reported as RV(havip.ens_region_id).
  - With O(service=vpc) the module calls the VPC API 2016-04-28 (C(DescribeHaVips) filtered by C(HaVipId),
    C(AssociateHaVip), C(UnassociateHaVip)) at the regional endpoint of O(region), with a client token on every
    change so a resent call never acts twice. A VPC HAVIP holds at most two ECS instances, or ENIs, never both
    kinds; the module fails before any change when the asked membership would break that, and removes members
    before adding new ones when the HAVIP could not hold both at once.
author:
  - alicloud.network contributors (@alicloud-network)
extends_documentation_fragment:
  - alicloud.network.alicloud
attributes:
  check_mode:
    support: full
    description: Reads the HAVIP, makes the same decision and reports the same C(changed), but makes no mutating call.
  diff_mode:
    support: full
    description: Shows the instances associated with the HAVIP before and after (predicted in check mode).
options:
  havip_id:
    description:
      - The ID of the ENS HAVIP, for example C(havip-5p14t****).
    type: str
    required: true
  instance_id:
    description:
      - The ENS instance or ENI that should (O(state=present)) or should not (O(state=absent)) be associated.
      - Mutually exclusive with O(instance_ids). One of the two is required with O(state=present).
    type: str
  instance_ids:
    description:
      - Several ENS instances or ENIs at once, for example both members of an HA pair.
      - With O(state=present) each of them ends up associated; others already associated stay, unless
        O(exclusive=true).
      - With O(state=absent) each of them ends up unassociated.
      - Mutually exclusive with O(instance_id).
    type: list
    elements: str
  instance_type:
    description:
      - The type of the instances being associated. Every instance in O(instance_id) or O(instance_ids) has this
        type.
      - V(EnsInstance) (ENS only) an ENS instance; V(EcsInstance) (VPC only) an ECS instance; V(NetworkInterface)
        associates the HAVIP with an ENI directly.
      - When omitted, V(EnsInstance) with O(service=ens) and V(EcsInstance) with O(service=vpc). A type the service
        does not take fails the task before any call.
      - Not used to match or unassociate instances, which are matched by ID whatever their type.
    type: str
    choices: [EnsInstance, EcsInstance, NetworkInterface]
  exclusive:
    description:
      - Only with O(state=present). When V(true), the HAVIP ends up associated with exactly the listed instances;
        missing ones are associated first, then every other associated instance or ENI is unassociated.
      - When V(false), instances already associated and not listed are left alone.
    type: bool
    default: false
  service:
    description:
      - Which service holds the HAVIP.
      - V(ens) an Edge Node Service HAVIP (ENS API 2017-11-10, one global endpoint, O(region) not needed).
      - V(vpc) a VPC HAVIP (VPC API 2016-04-28, regional, so O(region) or C(ALIBABA_CLOUD_REGION_ID) is required,
        and the HAVIP must be in that region).
    type: str
    choices: [ens, vpc]
    default: ens
  force:
    description:
      - Only with O(service=vpc). Sent as C(Force=True) with every C(UnassociateHaVip), so that the master instance
        (the member that holds the address, RV(havip.master_instance_id)) can be unbound; the address then moves
        to another member, if any.
      - When V(false), a change that would unbind the master fails before any call, naming it.
      - With O(service=ens), V(true) fails the task (the ENS API has no such parameter).
    type: bool
    default: false
  state:
    description:
      - V(present) associates the HAVIP with the instances; V(absent) unassociates it from them.
      - V(absent) without O(instance_id) or O(instance_ids) unassociates the HAVIP from every instance and ENI.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait until the last change is visible (the instance listed with the HAVIP C(InUse), or gone from the list).
      - Changes before the last one are always waited for, because the HAVIP accepts one change at a time.
      - When the HAVIP is busy with a change when the module starts, the module always waits for it to settle
        before it decides.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds the module waits in total, over every change it makes and every wait for a busy HAVIP.
      - On timeout the task fails and names the last state it saw.
    type: int
    default: 300
notes:
  - The HAVIP must be C(Available) or C(InUse), the ENS instance C(Running) or C(Stopped), and both on the same
    vSwitch. When they are not, the task fails with the API's error code (C(IncorrectHaVipStatus),
    C(IncorrectInstanceStatus), C(IncorrectInstanceVSwitch), ...) and a hint on what to do.
  - An ENS instance needs the HAVIP configured on its network interface inside the guest (keepalived does this);
    the association only allows the address on the instance.
  - With O(service=vpc), the HAVIP must be C(Available) or C(InUse), the ECS instance C(Running) or C(Stopped),
    and both on the same vSwitch (otherwise C(NotBelongToSameVSwitch)).
seealso:
  - name: AssociateHaVip API reference
    description: The ENS operation this module calls, with its preconditions and error codes.
    link: https://www.alibabacloud.com/help/en/ens/developer-reference/api-ens-2017-11-10-associatehavip
  - name: VPC AssociateHaVip API reference
    description: The VPC operation this module calls with O(service=vpc).
    link: https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-associatehavip
  - module: alicloud.network.eip_association
"""

EXAMPLES = r"""
- name: Associate a HAVIP with one ENS instance
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    instance_id: i-50c41234

- name: Bind the HAVIP to exactly the keepalived pair, unbinding anything else
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    instance_ids:
      - i-50c41234
      - i-50c45678
    exclusive: true
  register: ha_pair

- name: Show the address the pair now shares
  ansible.builtin.debug:
    msg: "{{ ha_pair.havip.ip_address }} on {{ ha_pair.havip.associated_instances | map(attribute='instance_id') }}"

- name: Associate a HAVIP with an elastic network interface
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    instance_id: eni-5p1a1234
    instance_type: NetworkInterface

- name: Take one member out of the pair, without waiting for the change to finish
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    instance_id: i-50c45678
    state: absent
    wait: false

- name: Unassociate the HAVIP from every instance
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    state: absent

- name: Preview a change (run with --diff to see the associated set before and after)
  alicloud.network.havip_association:
    havip_id: havip-5p14t1234
    instance_ids: [i-50c41234, i-50c49999]
    exclusive: true
  check_mode: true
  register: preview

- name: Float a VPC HAVIP between exactly two ECS instances (keepalived on ECS)
  alicloud.network.havip_association:
    service: vpc
    region: cn-hangzhou
    havip_id: havip-bp1hx1234
    instance_ids: [i-bp1a1234, i-bp1b5678]
    exclusive: true

- name: Unbind the master of a VPC HAVIP (the address moves to the other member)
  alicloud.network.havip_association:
    service: vpc
    havip_id: havip-bp1hx1234
    instance_id: i-bp1a1234
    state: absent
    force: true

- name: Shared options once for every module of the collection
  module_defaults:
    group/alicloud.network.alicloud:
      access_key: "{{ vault_alibaba_access_key }}"
      secret_key: "{{ vault_alibaba_secret_key }}"
  block:
    - name: Bind the HAVIP of the web pair
      alicloud.network.havip_association:
        havip_id: havip-5p14t1234
        instance_ids: [i-50c41234, i-50c45678]
"""

RETURN = r"""
changed:
  description: Whether an association was added or removed (in check mode, whether one would be).
  returned: always
  type: bool
havip:
  description:
    - The HAVIP as read from C(DescribeHaVips) after the changes (with O(wait=false), as read right after the
      last call, possibly still C(Associating) or C(Unassociating)).
    - In check mode, the HAVIP as it is; the diff shows what would change.
    - When a wait times out, the last state seen.
  returned: success, and when a wait timed out
  type: dict
  contains:
    havip_id:
      description: The ID of the HAVIP.
      type: str
      sample: havip-5p14t1234
    ip_address:
      description: The high-availability virtual IP address.
      type: str
      sample: 10.10.0.101
    status:
      description: The HAVIP's status, for example C(Available), C(InUse), C(Associating).
      type: str
      sample: InUse
    vswitch_id:
      description: The vSwitch the HAVIP belongs to; associated instances must be on the same one.
      type: str
      sample: vsw-5p1g1234
    ens_region_id:
      description: The ENS node of the HAVIP; null with O(service=vpc).
      type: str
      sample: cn-beijing-cmcc
    region_id:
      description: The region of the VPC HAVIP.
      returned: when O(service=vpc)
      type: str
      sample: cn-hangzhou
    vpc_id:
      description: The VPC of the HAVIP.
      returned: when O(service=vpc)
      type: str
      sample: vpc-bp1k1234
    master_instance_id:
      description: The member that holds the address (unbinding it needs O(force=true)); null when none.
      returned: when O(service=vpc)
      type: str
      sample: i-bp1a1234
    associated_instances:
      description:
        - The instances and ENIs associated with the HAVIP.
        - With O(service=vpc) the API lists members as bare IDs with one type for all and no status of their own;
          each member is shown with the HAVIP's type and the HAVIP's status (C(Associating) or C(Unassociating)
          while one member moves, C(InUse) once settled).
      type: list
      elements: dict
      contains:
        instance_id:
          description: The ID of the ENS or ECS instance, or of the ENI.
          type: str
          sample: i-50c41234
        instance_type:
          description: C(EnsInstance), C(EcsInstance) or C(NetworkInterface).
          type: str
          sample: EnsInstance
        status:
          description: The association's status, C(InUse) once settled (with O(service=vpc), the HAVIP's status).
          type: str
          sample: InUse
request_ids:
  description: The request IDs of the mutating calls made (C(AssociateHaVip), C(UnassociateHaVip)), in order.
  returned: always
  type: list
  elements: str
  sample: [CEF72CEB-54B6-4AE8-B225-F876FF7BA984]
error:
  description: The API error that failed the task (code, message, request ID and the other fields Alibaba returns).
  returned: when an API call failed
  type: dict
  sample: {code: IncorrectInstanceVSwitch, message: The binding instance must be under the same VSwitch.}
"""

from ansible_collections.alicloud.network.plugins.module_utils import _havip
from ansible_collections.alicloud.network.plugins.module_utils._association import AssociationTask, Change
from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem
from ansible_collections.alicloud.network.plugins.module_utils._vpc_havip import VPC_HAVIPS

# The `service` option chooses the API; each description (module_utils) knows its reads, parameters and limits.
SERVICES = {"ens": _havip.ENS_HAVIPS, "vpc": VPC_HAVIPS}


class HaVipAssociation(AssociationTask):
    """Membership of instances in one HAVIP (ENS or VPC): add the missing ones, remove the unwanted ones."""

    result_key = "havip"

    def __init__(self, module, service=_havip.ENS_HAVIPS):
        super().__init__(module)
        self.service = service
        self.havip_id = self.params["havip_id"]
        self.instance_type = self.params["instance_type"] or service.default_instance_type
        if self.params["instance_ids"] is not None:
            self.instance_ids = list(dict.fromkeys(self.params["instance_ids"]))
        else:
            self.instance_ids = [self.params["instance_id"]] if self.params["instance_id"] else []
        self.check_input()

    def check_input(self):
        """Rules the argument spec cannot express, checked before any API call."""
        p = self.params
        if p["exclusive"] and p["state"] != "present":
            self.module.fail("exclusive applies only to state=present; with state=absent list what to remove.")
        if p["state"] == "present" and not self.instance_ids:
            self.module.fail("state=present needs at least one instance in instance_id or instance_ids.")
        if any(not (i or "").strip() for i in self.instance_ids):
            self.module.fail("instance IDs must not be empty strings.")
        for option in self.service.options_not_applying:
            if p.get(option):
                self.module.fail("%s does not apply to service=%s." % (option, self.service.name))
        if self.instance_type not in self.service.instance_types:
            self.module.fail("instance_type %s is not accepted with service=%s; use one of %s."
                             % (self.instance_type, self.service.name, ", ".join(self.service.instance_types)))
        instance_option = "instance_ids" if p["instance_ids"] is not None else "instance_id"
        problems = [id_problem("havip_id", self.havip_id)] + [id_problem(instance_option, i) for i in self.instance_ids]
        problems = [problem for problem in problems if problem]
        if problems:
            self.module.fail("Invalid options: %s." % "; ".join(problems))

    # ---- reading --------------------------------------------------------------------------------------------

    def read(self):
        return self.service.read(self.module.call, self.havip_id)

    def not_found(self):
        return self.service.not_found(self.havip_id)

    def describe_subject(self):
        return "HAVIP %s" % self.havip_id

    def describe_state(self, havip, /):
        return self.service.describe_state(havip)

    def view(self, havip, /):
        return self.service.view(havip)

    is_settled = staticmethod(_havip.is_settled)

    def diff_view(self, havip, /):
        return dict(havip_id=self.havip_id, associated_instances=dict(sorted(_havip.members(havip).items())))

    def hint_context(self, change):
        havip = self.last_seen or {}
        return dict(havip_id=self.havip_id, vswitch_id=havip.get("VSwitchId", "?"),
                    havip_status=havip.get("Status", "not Available or InUse"))

    # ---- deciding -------------------------------------------------------------------------------------------

    def plan(self, havip, /):
        """The changes that bring the members to what is asked, additions first."""
        if havip.get("Status") not in _havip.CHANGEABLE:
            self.fail("HAVIP %s is %s; only an Available or InUse HAVIP can change its associations."
                      % (self.havip_id, havip.get("Status")))
        current = _havip.members(havip)
        if self.params["state"] == "absent":
            return self.removals(havip, [i for i in (self.instance_ids or list(current)) if i in current])
        adding = [i for i in self.instance_ids if i not in current]
        removing = [i for i in current if i not in self.instance_ids] if self.params["exclusive"] else []
        if not (adding or removing):
            return []
        wanted = dict((i, kind) for i, kind in current.items() if i not in removing)
        wanted.update((i, self.instance_type) for i in adding)
        problem = self.service.membership_problem(wanted)
        if problem:
            self.fail("HAVIP %s cannot be associated as asked: %s." % (self.havip_id, problem))
        additions, removals = [self.associate(i) for i in adding], self.removals(havip, removing)
        # Additions first keep the address served; unless the HAVIP cannot hold old and new members at once.
        together = dict(current, **dict((i, self.instance_type) for i in adding))
        if self.service.membership_problem(together):
            return removals + additions
        return additions + removals

    def removals(self, havip, instance_ids):
        """The unbinds of `instance_ids`, or the task fails before any of them when one cannot be made."""
        force = self.params.get("force")
        problems = [self.service.removal_problem(havip, i, force) for i in instance_ids]
        problems = [problem for problem in problems if problem]
        if problems:
            self.fail("HAVIP %s cannot be unassociated as asked: %s." % (self.havip_id, "; ".join(problems)))
        return [self.unassociate(havip, i) for i in instance_ids]

    def associate(self, instance_id):
        def holds(havip):
            member = _havip.member(havip, instance_id)
            return (_havip.is_settled(havip) and havip.get("Status") == "InUse" and member is not None
                    and member.get("Status", "InUse") == "InUse")
        return Change("AssociateHaVip", self.service.associate_params(self.havip_id, instance_id, self.instance_type),
                      holds, "HAVIP %s to be InUse with %s associated" % (self.havip_id, instance_id), instance_id)

    def unassociate(self, havip, instance_id):
        def holds(havip):
            return _havip.is_settled(havip) and instance_id not in _havip.members(havip)
        return Change("UnassociateHaVip", self.service.unassociate_params(havip, instance_id, self.params.get("force")),
                      holds, "%s to be unassociated from HAVIP %s" % (instance_id, self.havip_id), instance_id)

    def predict(self, havip, /, changes, settled=True):
        members = [dict(m) for m in _havip.member_list(havip)]
        for change in changes:
            instance_id = change.params["InstanceId"]
            members = [m for m in members if m.get("InstanceId") != instance_id]
            if change.action == "AssociateHaVip":
                members.append(dict(InstanceId=instance_id, InstanceType=change.params["InstanceType"],
                                    Status="InUse" if settled else "Associating"))
        status = "InUse" if members else "Available"
        if not settled:
            status = "Associating" if changes[-1].action == "AssociateHaVip" else "Unassociating"
        return dict(havip, AssociatedInstances=members, Status=status)


def main():
    module = AlicloudModule(
        argument_spec=dict(
            havip_id=dict(type="str", required=True),
            instance_id=dict(type="str"),
            instance_ids=dict(type="list", elements="str"),
            instance_type=dict(type="str", choices=["EnsInstance", "EcsInstance", "NetworkInterface"]),
            exclusive=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            service=dict(type="str", default="ens", choices=list(SERVICES)),
            force=dict(type="bool", default=False),
        ),
        product=lambda params: SERVICES[params["service"]].product, supports_check_mode=True, waits=True,
        mutually_exclusive=[("instance_id", "instance_ids")],
        required_if=[("state", "present", ("instance_id", "instance_ids"), True)],
    )
    HaVipAssociation(module, SERVICES[module.params["service"]]).run()


if __name__ == "__main__":
    main()
