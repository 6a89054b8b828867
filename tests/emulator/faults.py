"""Fault injection: switchable per test, counted per request.

``Faults.add(kind, action=None, count=1, **opts)`` arms a fault for the next ``count`` requests of
``action`` (every action when None). Kinds:

- ``throttle`` 400 Throttling.User (``retry_after=ms`` also sends ``x-acs-retry-after``),
  ``unavailable`` 503 ServiceUnavailable, ``task_conflict`` 400 TaskConflict,
  ``system_busy`` 400 OperationFailed.SystemBusy: answered instead of acting.
- ``slow`` (``seconds=``): the action is done, the answer is sent ``seconds`` late.
- ``drop`` (``after=True``): the action is done and the connection closed without an answer;
  ``after=False`` (default): closed before acting.
- ``error`` (``code=``): the action answers ``code`` with the HTTP status and message its reference page
  documents (emulator/reference.py); a code the page does not list for ``action`` is refused.
- ``stale`` (``seconds=``): the next ``count`` state changes made by ``action`` stay invisible to
  Describe calls for ``seconds`` (Describe answers the resource as it was before the change).
"""
import threading

from . import errors, reference

ERROR_KINDS = {
    "throttle": errors.throttled,
    "unavailable": errors.unavailable,
    "task_conflict": errors.task_conflict,
    "system_busy": errors.system_busy,
}
KINDS = frozenset(ERROR_KINDS) | {"slow", "drop", "stale", "error"}


class Fault:
    def __init__(self, kind, action, count, opts):
        self.kind = kind
        self.action = action
        self.remaining = count
        self.opts = opts

    def matches(self, action):
        return self.remaining > 0 and self.action in (None, action)

    def error(self):
        if self.kind == "error":
            return reference.error(self.action, self.opts["code"])
        err = ERROR_KINDS[self.kind]()
        if self.kind == "throttle" and self.opts.get("retry_after"):
            err.headers["x-acs-retry-after"] = str(int(self.opts["retry_after"]))
        return err

    def to_dict(self):
        return {"kind": self.kind, "action": self.action, "count": self.remaining, **self.opts}


class Faults:
    def __init__(self):
        self._faults = []
        self._lock = threading.Lock()

    def add(self, kind, action=None, count=1, **opts):
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(KINDS)}")
        if kind in ("slow", "stale") and "seconds" not in opts:
            raise ValueError(f"fault {kind!r} needs seconds=")
        if kind == "error":
            reference.check_injectable(action, opts.get("code"))
        with self._lock:
            self._faults.append(Fault(kind, action, int(count), opts))

    def clear(self):
        with self._lock:
            self._faults.clear()

    def active(self):
        with self._lock:
            return [f.to_dict() for f in self._faults if f.remaining > 0]

    def take(self, action):
        """The first request-level fault (any kind but ``stale``) armed for ``action``, consumed."""
        return self._take(action, lambda f: f.kind != "stale")

    def take_stale(self, action):
        """Seconds a change made by ``action`` stays invisible, or None; consumes one count."""
        fault = self._take(action, lambda f: f.kind == "stale")
        return float(fault.opts["seconds"]) if fault else None

    def _take(self, action, wanted):
        with self._lock:
            for fault in self._faults:
                if wanted(fault) and fault.matches(action):
                    fault.remaining -= 1
                    return fault
        return None
