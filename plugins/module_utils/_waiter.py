# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_until(): poll until a predicate holds, with intervals that grow with the time already waited."""

from __future__ import annotations

import time

# The next look comes after FIRST_INTERVAL + LAG_SHARE x (time waited so far), capped at MAX_INTERVAL. So the
# task notices a state at most ~0.15 s + 8 % of the transition after it is reached (the benchmark target is
# 0.25 s + 10 %), with as few reads as that allows: a 2 s transition takes about 10, a 10 s one about 24.
FIRST_INTERVAL = 0.15  # seconds: most transitions finish quickly, look again soon
LAG_SHARE = 0.08       # fraction of the time already waited
MAX_INTERVAL = 5.0     # seconds: long waits are not polled harder than this


class WaitTimeout(Exception):
    """The wanted state was not reached in time; `last_seen` is the last resource read (or None)."""

    def __init__(self, what, last_seen, timeout=None):
        self.what = what
        self.last_seen = last_seen
        self.timeout = timeout
        after = " after %ss" % timeout if timeout is not None else ""
        super().__init__("timed out%s waiting for %s; last seen: %r" % (after, what, last_seen))


def wait_until(read, done, timeout, what, clock=time.monotonic, sleep=time.sleep,
               first_interval=FIRST_INTERVAL, max_interval=MAX_INTERVAL, lag_share=LAG_SHARE):
    """Call read() until done(resource) is true and return that resource.

    Reads at least once, even with timeout 0. Never sleeps past the deadline; the last read
    happens at the deadline, so a state reached just in time still counts.
    """
    start = clock()
    deadline = start + timeout
    while True:
        resource = read()
        if done(resource):
            return resource
        now = clock()
        remaining = deadline - now
        if remaining <= 0:
            raise WaitTimeout(what, resource, timeout)
        interval = min(first_interval + lag_share * (now - start), max_interval)
        sleep(min(interval, remaining))
