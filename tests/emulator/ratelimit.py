"""An opt-in per-second rate limit, as Alibaba's API gateway applies flow control.

``RateLimit.configure(n, actions=None)``: at most ``n`` accepted requests per action in any rolling second
(each action has its own budget, as Alibaba states its limits per API); ``actions`` restricts the limit to
those actions (None: every action), named bare (``"AssociateHaVip"``: any product's) or by reference key
(``"vpc:AssociateHaVip"``). ``n`` None or 0 turns it off. A request beyond the budget is
answered 400 ``Throttling.User`` and does not use budget itself, so a client that backs off gets through.
Time comes from the emulator's clock, so tests can drive it with a manual clock.
"""
import collections
import threading

WINDOW = 1.0  # seconds


class RateLimit:
    def __init__(self, clock, per_second=None, actions=None):
        self._clock = clock
        self._lock = threading.Lock()
        self.configure(per_second, actions)

    def configure(self, per_second, actions=None):
        if per_second is not None and int(per_second) < 0:
            raise ValueError("rate_limit must be >= 0")
        with self._lock:
            self.per_second = int(per_second) if per_second else None
            self.actions = frozenset(actions) if actions else None
            self._accepted = collections.defaultdict(collections.deque)  # action -> accept times

    def settings(self):
        return {"rate_limit": self.per_second,
                "rate_limit_actions": sorted(self.actions) if self.actions else None}

    def admit(self, key):
        """True when the action ``key`` (``"ens:AssociateHaVip"``) may run now (and count it), False when it is
        over the limit. VPC's and ENS's actions of one name have separate budgets."""
        limited = self.actions is None or key in self.actions or key.partition(":")[2] in self.actions
        if self.per_second is None or not limited:
            return True
        with self._lock:
            now = self._clock()
            accepted = self._accepted[key]
            while accepted and now - accepted[0] >= WINDOW:
                accepted.popleft()
            if len(accepted) >= self.per_second:
                return False
            accepted.append(now)
            return True
