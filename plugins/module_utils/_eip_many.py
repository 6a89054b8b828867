# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""eip_association's list forms: many associations in one task (issue 14).

Two forms, both turned into items with the single form's keys, each decided by an EipGoal (module_utils/_eip.py)
exactly as the single form decides:

* ``associations``: a list of dicts; an item's omitted instance_type and state are the task's.
* a set on one instance: ``instance_id`` + ``instance_type`` (Nat or NetworkInterface) + ``allocation_ids``,
  with ``exclusive`` (the instance's other EIPs become absent items).

The engine works in rounds: read every EIP (50 IDs per DescribeEipAddresses), wait for busy ones to settle,
plan each item, make every item's next call in parallel (at most ``parallelism`` in flight; a NAT gateway's
fresh EIPs, and an ENI's in MULTI_BINDED mode, in one AssociateEipAddressBatch call), then poll everything
pending together with one batched read per poll, and plan again. A reassociation takes two rounds (unbind,
bind). Errors are classified once (_errors.py): a refused item is read again and decided again (busy, already,
answer lost) or fails with its code and hint; the others carry on. The task fails at the end, naming each
failed item, and reports every item truthfully.
"""

from __future__ import annotations

import time

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _errors, _many
from ansible_collections.alicloud.network.plugins.module_utils._association import OWN_CALL_PENDING, PAUSE_FIRST, PAUSE_MAX
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._paging import batches

# An item's keys: the single form's options that describe one association.
ITEM_KEYS = ("allocation_id", "ip_address", "instance_id", "instance_type", "private_ip_address", "mode", "vpc_id",
             "instance_region_id", "state")
# An item that omits these takes the task's value.
INHERITED = ("instance_type", "state")
# Task-level options that apply to every item.
SHARED = ("allow_reassociation", "force")
# The single form's target options, which neither list form takes.
SINGLE_ONLY = ("allocation_id", "ip_address", "private_ip_address", "vpc_id", "instance_region_id", "client_token")
SET_TYPES = ("Nat", "NetworkInterface")
BATCH_SIZE = 50     # AssociateEipAddressBatch takes 1 to 50 EIPs


# ---- options ---------------------------------------------------------------------------------------------------

def argument_spec(single_spec):
    """The list forms' options. `associations` items take the single form's keys, typed as there."""
    item = {}
    for key in ITEM_KEYS:
        item[key] = dict((k, v) for k, v in single_spec[key].items() if not (k == "default" and key in INHERITED))
    return dict(
        associations=dict(type="list", elements="dict", options=item,
                          mutually_exclusive=[["allocation_id", "ip_address"]],
                          required_one_of=[["allocation_id", "ip_address"]]),
        allocation_ids=dict(type="list", elements="str"),
        exclusive=dict(type="bool", default=False),
        parallelism=dict(type="int", default=10),
    )


MUTUALLY_EXCLUSIVE = ([["associations", "allocation_ids"], ["associations", "instance_id"], ["associations", "mode"]]
                      + [[form, option] for form in ("associations", "allocation_ids") for option in SINGLE_ONLY])


def wanted_many(params):
    """True when the options ask for a list form."""
    return params.get("associations") is not None or params.get("allocation_ids") is not None


def requested_items(p):
    """(items, problems): every item with the single form's keys (plus the shared options), and what is wrong
    with the request, all found before any call. `label` names an item in messages: associations[3]."""
    if p["associations"] is not None:
        items = []
        for index, raw in enumerate(p["associations"]):
            item = dict(raw)
            for key in INHERITED:
                if item.get(key) is None:
                    item[key] = p[key]
            items.append(_complete(item, p, "associations[%d]" % index))
    else:
        items = [_complete(dict(allocation_id=allocation_id, instance_id=p["instance_id"],
                                instance_type=p["instance_type"], mode=p["mode"], state=p["state"]),
                           p, "allocation_ids[%d]" % index)
                 for index, allocation_id in enumerate(p["allocation_ids"])]
    problems = _form_problems(p)
    for item in items:
        problems.extend("%s: %s" % (item["label"], problem) for problem in _item_problems(item))
    problems.extend(duplicates(items))
    return items, problems


def _complete(item, p, label):
    for key in ITEM_KEYS:
        item.setdefault(key, None)
    item.update(client_token=None, label=label, **dict((key, p[key]) for key in SHARED))
    return item


def _form_problems(p):
    problems = []
    if not 1 <= p["parallelism"] <= _many.MAX_PARALLELISM:
        problems.append("parallelism must be 1 to %d, got %d" % (_many.MAX_PARALLELISM, p["parallelism"]))
    if p.get("service") not in (None, "vpc"):
        problems.append("associations and allocation_ids work with service vpc only")
    if p["allocation_ids"] is not None:
        if not p["instance_id"]:
            problems.append("allocation_ids needs instance_id (the NAT gateway or network interface)")
        if p["instance_type"] not in SET_TYPES:
            problems.append("allocation_ids needs instance_type Nat or NetworkInterface, got %s" % p["instance_type"])
        if p["exclusive"] and p["state"] != "present":
            problems.append("exclusive is only accepted with state present")
    elif p["exclusive"]:
        problems.append("exclusive is only accepted with allocation_ids")
    return problems


def _item_problems(item):
    """The single form's checks on one item: required keys, then the same input checks."""
    problems = []
    if item["state"] == "present" and not item["instance_id"]:
        problems.append("instance_id is required when state is present")
    if item["instance_type"] == "IpAddress" and not item["vpc_id"]:
        problems.append("vpc_id is required with instance_type IpAddress")
    return problems + _eip.service_problems(item) + _eip.input_problems(item)


def duplicates(items):
    """An EIP listed twice (by ID or by address): asked on two instances, or simply repeated."""
    problems, first = [], {}
    for item in items:
        key = item["allocation_id"] or item["ip_address"]
        if key not in first:
            first[key] = item
            continue
        other = first[key]
        if (other["state"], other["instance_id"]) != (item["state"], item["instance_id"]):
            problems.append("EIP %s is asked twice with different targets: %s (%s) and %s (%s); an EIP has one "
                            "association" % (key, _target(other), other["label"], _target(item), item["label"]))
        else:
            problems.append("EIP %s is listed twice (%s and %s)" % (key, other["label"], item["label"]))
    return problems


def _target(item):
    if item["state"] == "absent":
        return "absent" + (" from %s" % item["instance_id"] if item["instance_id"] else "")
    return "%s %s" % (item["instance_type"], item["instance_id"])


# ---- one item ----------------------------------------------------------------------------------------------------

class Item:
    """One association of the list, its state through the rounds, and what the task reports for it."""

    def __init__(self, options):
        self.label = options.pop("label")
        self.goal = _eip.EipGoal(options)
        self.eip = None             # the last read of the EIP
        self.before = None          # the settled EIP the task started from
        self.changes = []           # what is left to do, planned from the last read
        self.changed = False        # a call for this item acted (or may have: its answer was lost)
        self.predicted = None       # the EIP as reported without waiting (check mode, wait=false)
        self.error = None           # {code, message, hint, request_id} once the item has failed
        self.done = False
        self.awaiting = None        # the Change whose effect is awaited, and the EIP it started from
        self.started_from = None
        self.refused = None         # (change, error) of a refused call, decided again after a fresh read
        self.no_batch = False       # a batch call with this item was refused: go one by one
        self.moved_from = None      # the previous owner, once a reassociation has unbound the EIP

    @property
    def options(self):
        return self.goal.options

    @property
    def active(self):
        return self.error is None and not self.done

    @property
    def key(self):
        return self.goal.allocation_id

    def fail(self, code, message, hint=None, request_id=None):
        if self.error is None:
            self.error = dict(code=code, message=message, hint=hint, request_id=request_id)

    def fail_api(self, err, change=None):
        instance_id = change.subject if change and change.subject else self.options["instance_id"]
        self.fail(err.code, "%s failed: %s" % (err.action or (change.action if change else "the call"), err.message),
                  _errors.hint(err.code, instance_id=instance_id), err.request_id)

    def result(self, diff):
        after = self.predicted or self.eip
        result = dict(allocation_id=self.goal.allocation_id, instance_id=self.options["instance_id"],
                      changed=self.changed, association=_eip.association_view(after) if after else None)
        if self.options.get("ip_address"):
            result["ip_address"] = self.options["ip_address"]
        if diff:
            result["before"] = _eip.diff_view(self.before) if self.before else None
        if self.error:
            result["error"] = self.error
        return result


class Job:
    """One mutating call, for one item or (AssociateEipAddressBatch) several."""

    def __init__(self, items, action, params):
        self.items, self.action, self.params = items, action, params

    @property
    def batch(self):
        return self.action == "AssociateEipAddressBatch"


# ---- the engine ------------------------------------------------------------------------------------------------

class EipMany:
    """Brings every item to what it asks, in rounds; see the module docstring."""

    def __init__(self, module, items):
        self.module = module
        self.params = module.params
        self.items = [Item(options) for options in items]
        self.parallelism = self.params["parallelism"]

    # ---- reading -------------------------------------------------------------------------------------------

    def read(self, allocation_ids):
        """{allocation_id: EIP} for these IDs, 50 per DescribeEipAddresses; the batches are read in parallel
        (against the real API each is a round trip: 200 EIPs cost one, not four)."""
        outcomes = _many.run_parallel(batches(allocation_ids, _eip.MAX_VALUES_PER_CALL),
                                      lambda batch: _eip.read_eips(self.module.call, allocation_ids=batch),
                                      self.parallelism)
        found = {}
        for outcome in outcomes:
            if outcome.error:
                raise outcome.error
            found.update((eip["AllocationId"], eip) for eip in outcome.answer)
        return found

    def read_everything(self):
        """The first read: by ID, by address for the items that give one, and the instance's other EIPs when
        exclusive. Every read error fails the task: nothing has been done yet."""
        try:
            by_id = self.read([i.key for i in self.items if i.key])
            by_address = {}
            addresses = [i.options["ip_address"] for i in self.items if not i.key]
            if addresses:
                found = _eip.read_eips(self.module.call, ip_addresses=addresses)
                by_address = dict((eip.get("IpAddress"), eip) for eip in found)
            if self.params["exclusive"]:
                self.add_exclusive_items()
        except ApiError as err:
            self.module.fail_api(err, "DescribeEipAddresses")
        for item in self.items:
            eip = by_id.get(item.key) if item.key else by_address.get(item.options["ip_address"])
            if item.eip is None:   # an exclusive item was read already
                item.eip = eip
            if item.eip is None:
                item.fail("NotFound", "EIP %s not found in region %s" % (item.key or item.options["ip_address"],
                                                                         self.module.region),
                          "check allocation_id/ip_address and region (the EIP must be in the region the module "
                          "works in)")
            else:
                item.goal.allocation_id = item.eip["AllocationId"]
        self.check_resolved_duplicates()

    def add_exclusive_items(self):
        """exclusive: every other EIP bound to the instance becomes an absent item (after the listed ones)."""
        p = self.params
        listed = set(p["allocation_ids"])
        bound = _eip.read_eips(self.module.call, filters={"AssociatedInstanceId": p["instance_id"],
                                                          "AssociatedInstanceType": p["instance_type"]})
        for eip in bound:
            if eip["AllocationId"] in listed or eip.get("InstanceId") != p["instance_id"]:
                continue
            options = _complete(dict(allocation_id=eip["AllocationId"], instance_id=p["instance_id"],
                                     instance_type=p["instance_type"], state="absent"), p, "exclusive")
            item = Item(options)
            item.eip = eip
            self.items.append(item)

    def check_resolved_duplicates(self):
        """One EIP named by ID in one item and by address in another: found only now, still before any call."""
        seen = {}
        for item in self.items:
            if item.eip is None:
                continue
            other = seen.setdefault(item.key, item)
            if other is not item:
                self.module.fail("Invalid options: EIP %s is listed twice (%s and %s, by ID and by address)."
                                 % (item.key, other.label, item.label))

    # ---- the task ------------------------------------------------------------------------------------------

    def run(self):
        _many.prepare_client(self.module, self.parallelism)
        self.read_everything()
        self.settle()
        for item in self.active_items():
            item.before = item.eip
        self.plan()
        if self.module.check_mode:
            for item in self.active_items():
                if item.changes:
                    item.predicted = item.goal.predict(item.eip, item.changes)
                    item.changed = True
            return self.finish()
        self.converge()
        self.restore_moved()
        return self.finish()

    def active_items(self):
        return [item for item in self.items if item.active]

    def settle(self):
        """Decisions are made on settled EIPs only (as the single form): wait for the busy ones."""
        busy = [item for item in self.active_items() if not _eip.is_settled(item.eip)
                and (self.params["wait"] or not item.goal.heading_to_wanted(item.eip))]

        def decided(item, eip):
            if eip is None:
                return self.vanished(item)
            item.eip = eip
            return _eip.is_settled(eip)
        self.poll(busy, decided, "EIPs to finish their current change")

    def plan(self):
        for item in self.active_items():
            try:
                item.changes = item.goal.plan(item.eip)
            except _eip.Blocked as blocked:
                item.fail(blocked.code, blocked.message)
                continue
            if not item.changes:
                item.done = True

    def converge(self):
        pause = PAUSE_FIRST
        while True:
            jobs = self.jobs()
            if not jobs:
                return
            outcomes = _many.run_parallel(jobs, self.send, self.parallelism)
            for outcome in outcomes:
                self.took(outcome)
            self.wait_for_calls()
            if any(item.refused and item.refused[1] is not None for item in self.items):
                # Refused as busy and still needed: give the other change a moment (within the budget). A refused
                # batch needs no pause: its items go one by one next.
                time.sleep(min(pause, self.module.remaining()))
                pause = min(pause * 2, PAUSE_MAX)
            else:
                pause = PAUSE_FIRST
            self.plan_after_refusals()
            self.plan()

    def send(self, job):
        return self.module.call(job.action, job.params, mutating=True)

    # ---- making calls --------------------------------------------------------------------------------------

    def jobs(self):
        """This round's calls: each active item's next change. A NAT gateway's (or MULTI_BINDED ENI's) fresh
        EIPs go together in AssociateEipAddressBatch calls; an associate waits while an EIP is being unbound
        from the same instance, so capacity freed by exclusive or a move is there first."""
        ready = [item for item in self.active_items() if item.changes and not item.refused]
        unbinding = set(item.changes[0].params["InstanceId"] for item in ready
                        if item.changes[0].action == "UnassociateEipAddress")
        jobs, groups = [], {}
        for item in ready:
            change = item.changes[0]
            if change.action == "AssociateEipAddress" and change.params["InstanceId"] in unbinding:
                continue
            group = None if item.no_batch else batch_group(change)
            if group:
                groups.setdefault(group, []).append(item)
            else:
                jobs.append(Job([item], change.action, change.params))
        for (instance_id, instance_type, mode), members in groups.items():
            if len(members) == 1:
                jobs.append(Job(members, members[0].changes[0].action, members[0].changes[0].params))
                continue
            for chunk in batches(members, BATCH_SIZE):
                params = {"BindedInstanceId": instance_id, "BindedInstanceType": instance_type,
                          "InstanceIds": [item.key for item in chunk]}
                if mode:
                    params["Mode"] = mode
                jobs.append(Job(chunk, "AssociateEipAddressBatch", params))
        return jobs

    def took(self, outcome):
        """Record what one call gave for its items."""
        job, err = outcome.job, outcome.error
        if err is None:
            for item in job.items:
                self.accepted(item, item.changes[0])
            return
        kind = _errors.classify(err.code).kind
        unknown = err.outcome_unknown or err.code in OWN_CALL_PENDING
        if job.batch and not unknown:
            # All or nothing: the batch was refused for (at least) one EIP, the answer does not say which. Go one
            # by one, so each item gets its own answer and the others are not held back by it; read again first
            # unless the code says nothing changed (FAIL).
            for item in job.items:
                item.no_batch = True
                if kind != _errors.FAIL:
                    item.refused = (item.changes[0], None)
            return
        for item in job.items:
            change = item.changes[0]
            if unknown or kind in (_errors.BUSY, _errors.ALREADY):
                item.refused = (change, err)
            else:
                item.fail_api(err, change)

    def accepted(self, item, change):
        item.changed = True
        if change.action == "UnassociateEipAddress" and item.goal.present:
            item.moved_from = item.eip
        elif change.action == "AssociateEipAddress":
            item.moved_from = None
        if len(item.changes) == 1 and not self.params["wait"]:
            item.predicted = item.goal.predict(item.eip, [change], settled=False)
            item.done = True
            return
        item.awaiting, item.started_from = change, item.eip

    # ---- waiting -------------------------------------------------------------------------------------------

    def poll(self, items, decided, what):
        """Poll these items together until decided(item, eip) for each; the rest fail on wait_timeout."""
        by_key = dict((item.key, item) for item in items)
        settled = set()

        def decided_key(key, eip):
            if decided(by_key[key], eip):
                settled.add(key)
                return True
            return False
        try:
            left = _many.poll_together(self.read, list(by_key), decided_key, self.module.remaining(), what)
        except ApiError as err:
            # The read itself failed past the client's retries: what the pending items became is unknown.
            for key in set(by_key) - settled:
                by_key[key].fail_api(err)
            return
        for key in left:
            item = by_key[key]
            item.fail("WaitTimeout", "timed out after %ss (wait_timeout) waiting for %s; last seen: %s"
                      % (self.params["wait_timeout"], item.awaiting.awaited if item.awaiting else what,
                         _eip.describe_state(item.eip)), "raise wait_timeout, or look at the EIP in the console")

    def wait_for_calls(self):
        """Every item whose call was accepted waits for its change to hold; every refused one for its EIP to
        settle. One batched read serves them all."""
        pending = [item for item in self.active_items() if item.awaiting or item.refused]

        def decided(item, eip):
            if eip is None:
                return self.vanished(item)
            item.eip = eip
            if item.refused:
                return _eip.is_settled(eip)
            change = item.awaiting
            if change.holds(eip):
                item.awaiting = None
                return True
            if _eip.is_settled(eip) and _eip.diff_view(eip) != _eip.diff_view(item.started_from):
                item.awaiting = None
                item.fail("Overridden", "%s took effect, but another actor changed EIP %s since: %s; this task's own "
                          "change was overridden" % (change.action, item.key, _eip.describe_state(eip)),
                          "run the task again to decide anew")
            return item.error is not None
        self.poll(pending, decided, "the associations to complete")

    def plan_after_refusals(self):
        """A refused item, its EIP read again and settled: what was asked may hold now (busy then done, or
        this task's own call whose answer was lost); otherwise try again within the budget, or fail."""
        for item in self.active_items():
            if not item.refused:
                continue
            change, err = item.refused
            item.refused = None
            if err is None:
                continue    # a refused batch: decide again, one call per item
            unknown = err.outcome_unknown or err.code in OWN_CALL_PENDING
            if change.holds(item.eip):
                item.changed = item.changed or unknown
                continue
            if _errors.classify(err.code).kind == _errors.ALREADY and not unknown:
                item.fail_api(err, change)
            elif self.module.remaining() <= 0:
                item.fail_api(err, change)

    def vanished(self, item):
        item.fail("NotFound", "EIP %s is no longer found in region %s" % (item.key, self.module.region))
        return True

    # ---- ending --------------------------------------------------------------------------------------------

    def restore_moved(self):
        """A reassociation failed after its unbind: put each such EIP back where it was (best effort, no wait),
        as the single form does, and say so in the item's error."""
        for item in self.items:
            old, item.moved_from = item.moved_from, None
            if item.error is None or old is None or (item.eip and _eip.is_bound(item.eip)):
                continue
            try:
                self.module.call("AssociateEipAddress", _eip.restore_params(old), mutating=True)
                note = "The EIP had been disassociated from %s; it is being associated with it again."
            except ApiError as err:
                note = "The EIP had been disassociated from %%s and could not be associated with it again (%s): do " \
                       "that by hand." % err.code
            item.error["message"] += ". " + note % _eip.owner(old)

    def finish(self):
        diff = self.module.module._diff
        results = [item.result(diff) for item in self.items]
        changed = any(item.changed for item in self.items)
        failed = [item for item in self.items if item.error]
        if failed:
            self.module.fail("%d of %d associations failed: %s." % (
                len(failed), len(self.items), "; ".join(
                    "%s (%s, %s): %s%s" % (item.key or item.options["ip_address"], item.label, _target(item.options),
                                           item.error["code"], (". Hint: %s" % item.error["hint"])
                                           if item.error["hint"] else "")
                    for item in failed)), changed=changed, associations=results)
        changes = [item for item in self.items if item.changed]
        self.module.exit(changed,
                         before=dict((item.key, _eip.diff_view(item.before)) for item in changes),
                         after=dict((item.key, _eip.diff_view(item.predicted or item.eip)) for item in changes),
                         associations=results)


def batch_group(change):
    """(instance_id, instance_type, mode) when this associate can go in an AssociateEipAddressBatch call: a
    NAT gateway, or a network interface in MULTI_BINDED mode (the reference requires that mode), with no other
    parameter than the batch action takes. None otherwise."""
    params = change.params
    if change.action != "AssociateEipAddress" or set(params) - {"AllocationId", "InstanceId", "InstanceType", "Mode"}:
        return None
    if params["InstanceType"] == "Nat" and not params.get("Mode"):
        return (params["InstanceId"], "Nat", None)
    if params["InstanceType"] == "NetworkInterface" and params.get("Mode") == "MULTI_BINDED":
        return (params["InstanceId"], "NetworkInterface", "MULTI_BINDED")
    return None


def run(module):
    """eip_association with associations or allocation_ids: validate everything, then the engine."""
    items, problems = requested_items(module.params)
    if problems:
        module.fail("Invalid options: %s." % "; ".join(problems))
    EipMany(module, items).run()
