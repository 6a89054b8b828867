#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: havip_association
short_description: Associate an ENS high-availability virtual IP (HAVIP) with instances or ENIs
version_added: 0.1.0
description:
  - Binds an Edge Node Service (ENS) high-availability virtual IP address (HAVIP) to one or several ENS instances
    or elastic network interfaces (ENIs), or unbinds it, idempotently.
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
      - V(NetworkInterface) associates the HAVIP with an ENI directly.
      - Not used to match or unassociate instances, which are matched by ID whatever their type.
    type: str
    choices: [EnsInstance, NetworkInterface]
    default: EnsInstance
  exclusive:
    description:
      - Only with O(state=present). When V(true), the HAVIP ends up associated with exactly the listed instances;
        missing ones are associated first, then every other associated instance or ENI is unassociated.
      - When V(false), instances already associated and not listed are left alone.
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
seealso:
  - name: AssociateHaVip API reference
    description: The ENS operation this module calls, with its preconditions and error codes.
    link: https://www.alibabacloud.com/help/en/ens/developer-reference/api-ens-2017-11-10-associatehavip
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
      description: The ENS node of the HAVIP.
      type: str
      sample: cn-beijing-cmcc
    associated_instances:
      description: The ENS instances and ENIs associated with the HAVIP.
      type: list
      elements: dict
      contains:
        instance_id:
          description: The ID of the ENS instance or ENI.
          type: str
          sample: i-50c41234
        instance_type:
          description: C(EnsInstance) or C(NetworkInterface).
          type: str
          sample: EnsInstance
        status:
          description: The association's status, C(InUse) once settled.
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
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError


class HaVipAssociation(AssociationTask):
    """Membership of instances in one ENS HAVIP: add the missing ones, remove the unwanted ones."""

    result_key = "havip"

    def __init__(self, module):
        super().__init__(module)
        self.havip_id = self.params["havip_id"]
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
        instance_option = "instance_ids" if p["instance_ids"] is not None else "instance_id"
        problems = [id_problem("havip_id", self.havip_id)] + [id_problem(instance_option, i) for i in self.instance_ids]
        problems = [problem for problem in problems if problem]
        if problems:
            self.module.fail("Invalid options: %s." % "; ".join(problems))

    # ---- reading --------------------------------------------------------------------------------------------

    def read(self):
        try:
            return _havip.read_havip(self.module.call, self.havip_id)
        except ApiError as err:
            if err.code == "HaVipNotFound":
                return None
            raise

    def not_found(self):
        return "HaVipNotFound: HAVIP %s does not exist. Hint: check havip_id: no ENS HAVIP %s is visible to these " \
               "credentials." % (self.havip_id, self.havip_id)

    def describe_subject(self):
        return "HAVIP %s" % self.havip_id

    def describe_state(self, havip, /):
        return _havip.describe_state(havip)

    is_settled = staticmethod(_havip.is_settled)
    view = staticmethod(_havip.havip_view)

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
            return [self.unassociate(i) for i in (self.instance_ids or list(current)) if i in current]
        changes = [self.associate(i) for i in self.instance_ids if i not in current]
        if self.params["exclusive"]:
            changes += [self.unassociate(i) for i in current if i not in self.instance_ids]
        return changes

    def associate(self, instance_id):
        def holds(havip):
            member = _havip.member(havip, instance_id)
            return (_havip.is_settled(havip) and havip.get("Status") == "InUse" and member is not None
                    and member.get("Status", "InUse") == "InUse")
        return Change("AssociateHaVip", dict(HaVipId=self.havip_id, InstanceId=instance_id,
                                             InstanceType=self.params["instance_type"]),
                      holds, "HAVIP %s to be InUse with %s associated" % (self.havip_id, instance_id), instance_id)

    def unassociate(self, instance_id):
        def holds(havip):
            return _havip.is_settled(havip) and instance_id not in _havip.members(havip)
        return Change("UnassociateHaVip", dict(HaVipId=self.havip_id, InstanceId=instance_id),
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
            instance_type=dict(type="str", default="EnsInstance", choices=["EnsInstance", "NetworkInterface"]),
            exclusive=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        product="ens", supports_check_mode=True, waits=True,
        mutually_exclusive=[("instance_id", "instance_ids")],
        required_if=[("state", "present", ("instance_id", "instance_ids"), True)],
    )
    HaVipAssociation(module).run()


if __name__ == "__main__":
    main()
