# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_until(): poll until a predicate holds, with short first intervals backing off to a cap."""

from __future__ import annotations

import time

FIRST_INTERVAL = 0.2   # seconds: most transitions finish quickly, look again soon
MAX_INTERVAL = 2.0     # seconds: slow ones are not polled harder than this
GROWTH = 1.5


class WaitTimeout(Exception):
    """The wanted state was not reached in time; `last_seen` is the last resource read (or None)."""

    def __init__(self, what, last_seen, timeout=None):
        self.what = what
        self.last_seen = last_seen
        self.timeout = timeout
        after = " after %ss" % timeout if timeout is not None else ""
        super().__init__("timed out%s waiting for %s; last seen: %r" % (after, what, last_seen))


def wait_until(read, done, timeout, what, clock=time.monotonic, sleep=time.sleep,
               first_interval=FIRST_INTERVAL, max_interval=MAX_INTERVAL):
    """Call read() until done(resource) is true and return that resource.

    Reads at least once, even with timeout 0. Never sleeps past the deadline; the last read
    happens at the deadline, so a state reached just in time still counts.
    """
    deadline = clock() + timeout
    interval = first_interval
    while True:
        resource = read()
        if done(resource):
            return resource
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout(what, resource, timeout)
        sleep(min(interval, remaining))
        interval = min(interval * GROWTH, max_interval)
