# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pacer: one shared backoff for every worker of a task, so throttling slows them all down together.

When several threads call the API at once and the API throttles, each thread backing off on its own keeps the
others firing: the rate barely drops and every retry is throttled again (a retry storm). The client
(AlibabaClient(pacer=...)) asks the pacer for a slot before each attempt and reports each throttled answer;
the pacer then spaces every worker's requests `interval` seconds apart, doubling the spacing on each new
throttling episode and easing it off again as answers come through (multiplicative increase and decrease, so
it settles just under the service's limit).

A throttled answer to a request sent before the last slow-down is not a new episode: ten requests in flight
that all come back throttled double the spacing once, not ten times.
"""

from __future__ import annotations

import random
import threading
import time

FIRST_INTERVAL = 0.1    # seconds between requests after the first throttled answer
MAX_INTERVAL = 5.0      # never slower than one request per this many seconds
EASE = 0.95             # each accepted answer shortens the spacing by this factor...
FLOOR = 0.01            # ...and below this there is no spacing at all


class Pacer:
    """Thread-safe. before_send() waits for the caller's slot and returns a ticket; throttled(ticket) and
    succeeded() report the answer."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep, rand=random.random):
        self._clock, self._sleep, self._rand = clock, sleep, rand
        self._lock = threading.Lock()
        self.interval = 0.0     # current spacing between two requests of any worker
        self._next_slot = 0.0   # the earliest moment the next request may leave
        self.episode = 0        # bumped on each slow-down; tickets older than it do not slow down again
        self.throttled_answers = 0

    def before_send(self):
        """Wait until this request's slot; returns the ticket to hand to throttled()."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
            ticket = self.episode
        if slot > now:
            self._sleep(slot - now)
        return ticket

    def throttled(self, ticket, retry_after=None):
        """A request sent with `ticket` was throttled. Returns how long until the caller's next slot (at least),
        for its deadline check; the wait itself happens in its next before_send()."""
        with self._lock:
            self.throttled_answers += 1
            now = self._clock()
            if ticket == self.episode:
                self.episode += 1
                self.interval = min(MAX_INTERVAL, max(FIRST_INTERVAL, self.interval * 2))
                # Everyone holds for one spacing (or what the server asked), with jitter so they do not
                # all come back on the same instant.
                hold = retry_after if retry_after else self.interval * (1 + self._rand())
                self._next_slot = max(self._next_slot, now + hold)
            return max(0.0, self._next_slot - now)

    def succeeded(self):
        """An answer came through: ease the spacing off."""
        with self._lock:
            self.interval = self.interval * EASE if self.interval * EASE >= FLOOR else 0.0
