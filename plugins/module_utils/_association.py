# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The association engine: read, settle, plan, act one change at a time, wait, report. Once, for every module.

A module describes its resource in a subclass of AssociationTask:

    read()                       -> the resource as the API shows it, or None when it does not exist
    plan(resource)               -> the Changes that bring it to what the options ask (may fail a precondition)
    predict(resource, changes, settled=True) -> the resource as it will be after `changes`
    view(resource)               -> what the module returns under `result_key`
    diff_view(resource)          -> what --diff shows
    is_settled(resource)         -> no change in progress on it
    describe_state(resource)     -> one line for messages

and, when needed, the hooks hint_context(change), heading_to_wanted(resource), unresolved_refusal(err, change,
resource) and on_abort(). The engine owns everything else: waiting out transient statuses before deciding, check
mode, one call at a time, waiting for each change to hold, "busy: read again and decide" with one pacing policy,
the task's single wait_timeout budget, one exit and one failure funnel.
"""

from __future__ import annotations

import time

from ansible_collections.alicloud.network.plugins.module_utils import _errors
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._waiter import WaitTimeout, wait_until

# After a busy answer on a settled resource, the next try comes after PAUSE_FIRST seconds, doubling up to
# PAUSE_MAX: a conflict with another actor usually clears within a second or two.
PAUSE_FIRST = 0.5
PAUSE_MAX = 5.0


class Change:
    """One mutating call, and how to tell that it has taken effect."""

    def __init__(self, action, params, holds, awaited, subject=None):
        self.action = action
        self.params = params
        self.holds = holds          # holds(resource) -> True once the change is visible and settled
        self.awaited = awaited      # words for "waiting for ...": "EIP eip-1 to be InUse on EcsInstance i-1"
        self.subject = subject      # the instance the change is about, for hints

    def same_call(self, other):
        return other is not None and (self.action, self.params) == (other.action, other.params)

    def __repr__(self):
        return "Change(%s, %r)" % (self.action, self.params)


class AssociationTask:
    """Brings one resource's associations to what the options ask."""

    result_key = "resource"

    def __init__(self, module):
        self.module = module            # the AlicloudModule
        self.params = module.params
        self.before = None              # the settled resource the task started from
        self.last_seen = None           # the last resource read, for messages and hints
        self.planned_on = None          # the resource the change being made was planned on
        self.changed = False            # a call of this task acted, or may have (its answer was lost)

    # ---- what a subclass supplies -----------------------------------------------------------------------------

    def read(self):
        raise NotImplementedError

    def plan(self, resource, /):
        raise NotImplementedError

    def predict(self, resource, /, changes, settled=True):
        raise NotImplementedError

    def view(self, resource, /):
        raise NotImplementedError

    def diff_view(self, resource, /):
        raise NotImplementedError

    def is_settled(self, resource, /):
        raise NotImplementedError

    def describe_state(self, resource, /):
        raise NotImplementedError

    def not_found(self):
        """The failure message when the resource does not exist."""
        raise NotImplementedError

    # ---- hooks with defaults ------------------------------------------------------------------------------

    def hint_context(self, change):
        """Values for the {placeholders} of the hints."""
        return {}

    def heading_to_wanted(self, resource, /):
        """True when a change in progress already leads to what is asked (then wait=false need not wait)."""
        return False

    def unresolved_refusal(self, err, change, resource, /):
        """The API said "already as asked" but a fresh read says otherwise. Return the resource to decide again
        on, or fail. By default: fail with the API's answer."""
        self.fail_api(err, change)

    def on_abort(self):
        """Called before the task fails: undo what must not stay half done. Returns a sentence for the
        message, or None."""
        return None

    # ---- the task ----------------------------------------------------------------------------------------

    def run(self):
        resource = self.read_settled()
        self.before = resource
        changes = self.plan(resource)
        if changes and self.module.check_mode:
            self.changed = True
            self.finish(self.predict(resource, changes))
        self.finish(self.converge(resource, changes))

    def converge(self, resource, changes):
        """Make the changes one at a time, deciding again from a fresh read after each, until none is left."""
        pause = PAUSE_FIRST
        refused = None
        while changes:
            change = changes[0]
            if change.same_call(refused):
                # Refused as busy, the resource now settled, and the same call still needed: give the other
                # change a moment, then try again (within the budget, which after_refusal checks).
                time.sleep(min(pause, self.module.remaining()))
                pause = min(pause * 2, PAUSE_MAX)
            self.planned_on = resource
            try:
                self.module.call(change.action, change.params, mutating=True)
            except ApiError as err:
                resource = self.after_refusal(err, change)
                refused = change
                changes = self.plan(resource)
                continue
            self.changed = True
            self.took_effect(change, resource)
            if len(changes) == 1 and not self.params["wait"]:
                return self.predict(resource, [change], settled=False)
            resource = self.wait_for_change(change, resource)
            refused = None
            changes = self.plan(resource)
        return resource

    def took_effect(self, change, resource, /):
        """Hook: the call for `change` was accepted while the resource was `resource`."""

    # ---- reading and waiting ----------------------------------------------------------------------------

    def read_existing(self):
        try:
            resource = self.read()
        except ApiError as err:
            self.fail_api(err)
        if resource is None:
            self.fail(self.not_found())
        self.last_seen = resource
        return resource

    def read_settled(self):
        """The resource once no change is in progress on it: decisions are made on a settled state only."""
        resource = self.read_existing()
        if self.is_settled(resource) or (not self.params["wait"] and self.heading_to_wanted(resource)):
            return resource
        return self.wait(self.is_settled, "%s to finish its current change" % self.describe_subject())

    def describe_subject(self):
        raise NotImplementedError

    def wait(self, done, awaited):
        """Read until done(resource), within what is left of wait_timeout; fail naming the last state seen."""
        try:
            return wait_until(self.read_existing, done, self.module.remaining(), awaited)
        except WaitTimeout as exc:
            self.fail("Timed out after %ss (wait_timeout) waiting for %s; last seen: %s."
                      % (self.params["wait_timeout"], awaited, self.describe_state(exc.last_seen)))

    def wait_for_change(self, change, started_from):
        """Wait for this task's own change to hold. If the resource settles in another state than the one the
        change started from and not the one asked for, another actor moved it after this task's call: the race
        is lost, so stop at once (waiting longer cannot bring the change back)."""
        def decided(resource):
            moved_elsewhere = self.is_settled(resource) and self.diff_view(resource) != self.diff_view(started_from)
            return change.holds(resource) or moved_elsewhere
        resource = self.wait(decided, change.awaited)
        if not change.holds(resource):
            self.fail("%s took effect, but another actor changed %s since: %s. This task's own change was "
                      "overridden; run it again to decide anew." % (change.action, self.describe_subject(),
                                                                    self.describe_state(resource)))
        return resource

    def after_refusal(self, err, change):
        """A mutating call failed: the resource to decide again on, or the task fails.

        A busy resource, another actor or an answer lost on the network all look like errors. Read the truth,
        let a change in progress settle, and only then decide whether to try again or give up.
        """
        kind = _errors.classify(err.code, err.action).kind
        own_call_may_have_acted = err.outcome_unknown or err.code in OWN_CALL_PENDING
        if not (own_call_may_have_acted or kind in (_errors.BUSY, _errors.ALREADY)):
            self.fail_api(err, change)
        resource = self.read_settled()
        if change.holds(resource):
            self.changed = self.changed or own_call_may_have_acted
            return resource
        if kind == _errors.ALREADY and not own_call_may_have_acted:
            resource = self.unresolved_refusal(err, change, resource)
        if self.module.remaining() <= 0:
            self.fail_api(err, change)
        return resource

    # ---- ending ------------------------------------------------------------------------------------------

    def finish(self, resource):
        self.module.exit(self.changed, before=self.diff_view(self.before), after=self.diff_view(resource),
                         **{self.result_key: self.view(resource)})

    def fail(self, msg, **result):
        """The one way a task fails: undo what must not stay half done, say so, report the last state seen."""
        undone = self.on_abort()
        if undone:
            msg = "%s %s" % (msg, undone)
        result.setdefault(self.result_key, self.view(self.last_seen) if self.last_seen else None)
        self.module.fail(msg, changed=self.changed, **result)

    def fail_api(self, err, change=None, hint=None):
        """Fail on an API error: its code, message and request id, and the hint of the classification."""
        context = dict(instance_id=change.subject if change else None)
        context.update(self.hint_context(change))
        hint = hint or _errors.hint(err.code, err.action, **context)
        self.fail(self.module.api_error_message(err, err.action, hint), error=err.to_dict())


# Codes that answer a resend of this task's own call while the first one is still being processed: the call
# acted (or is acting), so the change is this task's own.
OWN_CALL_PENDING = frozenset(["LastTokenProcessing", "OperationFailed.LastTokenProcessing"])
