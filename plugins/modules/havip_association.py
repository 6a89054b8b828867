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

import time

from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule, hint_for, id_problem
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError

# The HAVIP, or one of its associations, is in the middle of a change: it settles by itself.
TRANSIENT_STATUSES = frozenset(["Associating", "Unassociating"])

# Codes that state a broken precondition, or that the change is already made (by someone else, or by a call
# whose answer was lost). The module reads the HAVIP again: if the change holds, fine; if the HAVIP was busy,
# it waits and tries again; if it was settled, the refusal will not go away by waiting: fail with the hint.
PRECONDITION_CODES = frozenset([
    "IncorrectHaVipStatus", "IncorrectInstanceStatus", "IncorrectNetworkInterfaceStatus",
    "IncorrectInstanceVSwitch", "InstanceAlreadyAssociated", "InvalidVip.Status",
    "InvalidParameter.InstanceId",   # UnassociateHaVip: the instance is not (or no longer) associated
])

# Refusals because of the HAVIP's own status. Another member's change can cause them and be over by the time the
# module reads the HAVIP again: when it then reads Available or InUse, the call is tried again, not failed.
HAVIP_STATUS_CODES = frozenset(["IncorrectHaVipStatus", "InvalidVip.Status"])
CHANGEABLE_STATUSES = ("Available", "InUse")

# What to do about each documented error. Filled with the HAVIP and the instance the call was about.
HINTS = {
    "HaVipNotFound": "check havip_id: no ENS HAVIP {havip_id} is visible to these credentials.",
    "InstanceNotFound": "check the instance ID {instance_id}; an ENI needs instance_type: NetworkInterface.",
    "NetworkInterfaceNotFound": "check the ENI ID {instance_id}; an ENS instance needs instance_type: EnsInstance.",
    "NetworkInterfaceTypeNotSupported": "this kind of network interface cannot hold a HAVIP; use the "
                                        "instance's primary ENI or the ENS instance itself.",
    "IncorrectInstanceVSwitch": "{instance_id} must be on the HAVIP's vSwitch {vswitch_id}; pick an instance "
                                "there or a HAVIP on the instance's vSwitch.",
    "IncorrectHaVipStatus": "the HAVIP must be Available or InUse to change its associations; it is "
                            "{havip_status}. Wait until it is, then run again.",
    "InvalidVip.Status": "the HAVIP must be Available or InUse to change its associations; it is "
                         "{havip_status}.",
    "IncorrectInstanceStatus": "{instance_id} must be Running or Stopped; wait until it has finished starting "
                               "or stopping, then run again.",
    "IncorrectNetworkInterfaceStatus": "the ENI {instance_id} is in a state that does not allow this change; "
                                       "wait until it settles, then run again.",
    "InstanceAlreadyAssociated": "{instance_id} is already bound to another HAVIP; unbind it there first.",
    "CountLimitExceed.HaVipOnInstance": "{instance_id} already has as many HAVIPs as allowed; unbind one "
                                        "of them first.",
    "CountLimitExceed.InstanceOnHaVip": "the HAVIP already has as many instances as allowed; unbind one first "
                                        "(exclusive: true unbinds the ones you do not list).",
    "CountLimitExceed": "a quota is reached; unbind something first or ask for a higher quota.",
}


# ---- reading the HAVIP's shape ---------------------------------------------------------------------------------

def association_list(havip):
    """AssociatedInstances as a list, whether the API wraps it or not."""
    members = havip.get("AssociatedInstances") or []
    if isinstance(members, dict):
        members = members.get("AssociatedInstance") or []
    return members


def associated(havip):
    """{instance_id: instance_type} of every instance or ENI associated with the HAVIP."""
    return {m["InstanceId"]: m.get("InstanceType") for m in association_list(havip)}


def is_settled(havip):
    """Neither the HAVIP nor any of its associations is changing."""
    statuses = [havip.get("Status")] + [m.get("Status") for m in association_list(havip)]
    return not TRANSIENT_STATUSES.intersection(statuses)


def is_listed_and_in_use(havip, instance_id):
    member = next((m for m in association_list(havip) if m.get("InstanceId") == instance_id), None)
    return member is not None and member.get("Status", "InUse") == "InUse"


def describe(havip):
    """The HAVIP as this module returns it."""
    return dict(
        havip_id=havip.get("HaVipId"),
        ip_address=havip.get("IpAddress"),
        status=havip.get("Status"),
        vswitch_id=havip.get("VSwitchId"),
        ens_region_id=havip.get("EnsRegionId"),
        associated_instances=[dict(instance_id=m.get("InstanceId"), instance_type=m.get("InstanceType"),
                                   status=m.get("Status")) for m in association_list(havip)],
    )


def describe_state(havip):
    """One line for error messages: status and associations."""
    if havip is None:
        return "the HAVIP was not found"
    members = ", ".join("%s (%s)" % (m.get("InstanceId"), m.get("Status")) for m in association_list(havip))
    return "status %s, associated with %s" % (havip.get("Status"), members or "nothing")


def unique(items):
    return list(dict.fromkeys(items))


# ---- reading an error -----------------------------------------------------------------------------------------

def refused_for_good(err, havip):
    """The settled HAVIP was refused for a reason waiting will not remove.

    A HAVIP-status refusal while the HAVIP now reads Available or InUse came from a change that has ended since
    (another member being bound): not a broken precondition.
    """
    if err.code in HAVIP_STATUS_CODES:
        return havip.get("Status") not in CHANGEABLE_STATUSES
    return err.code in PRECONDITION_CODES


def outcome_unknown(err):
    """No answer, or a server error: the call may have acted although it raised."""
    return err.http_status is None or err.http_status >= 500


# ---- one change -----------------------------------------------------------------------------------------------

class Change:
    """Associate or unassociate one instance: the API call, and how to tell that it has taken effect."""

    def __init__(self, associate, instance_id, instance_type):
        self.associate = associate
        self.instance_id = instance_id
        self.instance_type = instance_type

    @property
    def action(self):
        return "AssociateHaVip" if self.associate else "UnassociateHaVip"

    def params(self, havip_id):
        params = dict(HaVipId=havip_id, InstanceId=self.instance_id)
        if self.associate:
            params["InstanceType"] = self.instance_type
        return params

    def holds(self, havip):
        """The change is visible and settled."""
        if havip is None or not is_settled(havip):
            return False
        if self.associate:
            return havip.get("Status") == "InUse" and is_listed_and_in_use(havip, self.instance_id)
        return self.instance_id not in associated(havip)

    def describe(self, havip_id):
        if self.associate:
            return "HAVIP %s to be InUse with %s associated" % (havip_id, self.instance_id)
        return "%s to be unassociated from HAVIP %s" % (self.instance_id, havip_id)


# ---- the module -----------------------------------------------------------------------------------------------

class HaVipAssociation:
    def __init__(self, module):
        self.m = module
        params = module.params
        self.havip_id = params["havip_id"]
        self.state = params["state"]
        self.instance_type = params["instance_type"]
        self.exclusive = params["exclusive"]
        self.wait = params["wait"]
        self.wait_timeout = params["wait_timeout"]
        if params["instance_ids"] is not None:
            self.instance_ids = unique(params["instance_ids"])
        else:
            self.instance_ids = [params["instance_id"]] if params["instance_id"] else []
        self.last_seen = None   # the last HAVIP read, for hints that name its vSwitch or status
        self.check_input()

    def check_input(self):
        """Rules the argument spec cannot express, checked before any API call."""
        if self.exclusive and self.state != "present":
            self.m.fail("exclusive applies only to state=present; with state=absent list what to remove.")
        if self.state == "present" and not self.instance_ids:
            self.m.fail("state=present needs at least one instance in instance_id or instance_ids.")
        if any(not (i or "").strip() for i in self.instance_ids):
            self.m.fail("instance IDs must not be empty strings.")
        if self.wait_timeout < 0:
            self.m.fail("wait_timeout must be 0 or more seconds.")
        instance_option = "instance_ids" if self.m.params["instance_ids"] is not None else "instance_id"
        problems = [id_problem("havip_id", self.havip_id)]
        problems += [id_problem(instance_option, i) for i in self.instance_ids]
        problems = [problem for problem in problems if problem]
        if problems:
            self.m.fail("Invalid options: %s." % "; ".join(problems))

    def run(self):
        havip = self.read_settled()
        before = associated(havip)
        changes = self.plan(before)
        after = self.predict(before, changes)
        changed = bool(changes)   # check mode reports the plan
        if changes and not self.m.module.check_mode:
            havip, changed = self.apply_all(changes)
            after = associated(havip)
        self.m.exit(changed, before=self.diff_view(before), after=self.diff_view(after),
                    havip=describe(havip))

    # ---- decision ----

    def plan(self, current):
        """The changes that bring the associated set to what is asked, additions first."""
        if self.state == "present":
            changes = [Change(True, i, self.instance_type) for i in self.instance_ids if i not in current]
            if self.exclusive:
                changes += [Change(False, i, t) for i, t in current.items() if i not in self.instance_ids]
            return changes
        wanted_gone = self.instance_ids if self.instance_ids else list(current)
        return [Change(False, i, current[i]) for i in wanted_gone if i in current]

    @staticmethod
    def predict(current, changes):
        after = dict(current)
        for change in changes:
            if change.associate:
                after[change.instance_id] = change.instance_type
            else:
                after.pop(change.instance_id, None)
        return after

    def diff_view(self, members):
        return dict(havip_id=self.havip_id, associated_instances=dict(sorted(members.items())))

    # ---- reading and waiting ----

    def read(self):
        """The HAVIP from DescribeHaVips, or None when it does not exist."""
        try:
            result = self.m.call("DescribeHaVips", dict(HaVipId=self.havip_id))
        except ApiError as err:
            if err.code == "HaVipNotFound":
                return None
            self.fail_api(err, "DescribeHaVips")
        havip = next((h for h in result.get("HaVips") or [] if h.get("HaVipId") == self.havip_id), None)
        self.last_seen = havip or self.last_seen
        return havip

    def read_existing(self):
        havip = self.read()
        if havip is None:
            self.m.fail("HaVipNotFound: HAVIP %s does not exist. Hint: %s"
                        % (self.havip_id, hint_for(HINTS, "HaVipNotFound", havip_id=self.havip_id)))
        return havip

    def read_settled(self):
        """The HAVIP once no change is in progress on it: decisions are made on a settled state only."""
        havip = self.read_existing()
        if is_settled(havip):
            return havip
        return self.wait_until(is_settled, "HAVIP %s to finish its current change" % self.havip_id)

    def wait_until(self, done, what):
        return self.m.wait_or_fail(self.read, lambda havip: havip is not None and done(havip), what,
                                   show=describe_state,
                                   result=lambda havip: dict(havip=describe(havip) if havip else None))

    # ---- changing ----

    def apply_all(self, changes):
        """The HAVIP after the changes, and whether any of the module's own calls took effect."""
        havip, changed = None, False
        for index, change in enumerate(changes):
            last = index == len(changes) - 1
            # The HAVIP takes one change at a time: every change but the last is waited for regardless of `wait`.
            havip, took_effect = self.apply(change, wait=self.wait or not last)
            changed = changed or took_effect
        return havip, changed

    def apply(self, change, wait):
        """Make one change: (the HAVIP, whether the module's call made it, not another actor)."""
        while True:
            try:
                self.m.call(change.action, change.params(self.havip_id), mutating=True)
                break
            except ApiError as err:
                havip = self.recover(err, change)
                if havip is not None:
                    # A refusal means this call did nothing: someone else made the change. An answer that never
                    # came (network, 5xx) may hide our own call having acted; count it as ours then.
                    return havip, outcome_unknown(err)
        if not wait:
            return self.read_existing(), True
        return self.wait_until(change.holds, change.describe(self.havip_id)), True

    def recover(self, err, change):
        """After a failed call: the HAVIP if the change holds anyway, None to try again; otherwise fail.

        A busy HAVIP, a concurrent actor, or an answer lost on the network all look like errors. Read the
        truth, let a change in progress settle, and only then decide whether to try again or give up.
        """
        if not (err.transitional or err.code in PRECONDITION_CODES):
            self.fail_api(err, change.action, change.instance_id)
        havip = self.read_existing()
        was_busy = not is_settled(havip)
        if was_busy:
            havip = self.wait_until(is_settled, "HAVIP %s to finish its current change" % self.havip_id)
        if change.holds(havip):
            return havip
        if not was_busy:
            # Settled and still refused: a broken precondition will not go away by waiting; other busy codes
            # (a conflict elsewhere, a HAVIP busy at call time only) get another try until the deadline.
            if refused_for_good(err, havip) or self.m.remaining() <= 0:
                self.fail_api(err, change.action, change.instance_id)
            time.sleep(min(1.0, self.m.remaining()))
        return None

    def fail_api(self, err, action, instance_id=None):
        havip = self.last_seen or {}
        context = dict(havip_id=self.havip_id, instance_id=instance_id,
                       vswitch_id=havip.get("VSwitchId", "?"),
                       havip_status=havip.get("Status", "not Available or InUse"))
        self.m.fail_api(err, action, hint=hint_for(HINTS, err.code, **context))


def main():
    module = AlicloudModule(
        argument_spec=dict(
            havip_id=dict(type="str", required=True),
            instance_id=dict(type="str"),
            instance_ids=dict(type="list", elements="str"),
            instance_type=dict(type="str", default="EnsInstance", choices=["EnsInstance", "NetworkInterface"]),
            exclusive=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=300),
        ),
        product="ens",
        supports_check_mode=True,
        mutually_exclusive=[("instance_id", "instance_ids")],
        required_if=[("state", "present", ("instance_id", "instance_ids"), True)],
    )
    HaVipAssociation(module).run()


if __name__ == "__main__":
    main()
