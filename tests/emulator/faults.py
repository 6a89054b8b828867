"""Fault injection: switchable per test, counted per request.

``Faults.add(kind, action=None, count=1, **opts)`` arms a fault for the next ``count`` requests of
``action`` (every action when None). ``action`` is a bare name (``"AssociateHaVip"``: that action of any
product) or a key of emulator/reference.py (``"vpc:AssociateHaVip"``: only VPC's). Kinds:

- ``throttle`` 400 Throttling.User (``retry_after=ms`` also sends ``x-acs-retry-after``),
  ``unavailable`` 503 ServiceUnavailable, ``task_conflict`` 400 TaskConflict,
  ``system_busy`` 400 OperationFailed.SystemBusy: answered instead of acting.
- ``slow`` (``seconds=``): the action is done, the answer is sent ``seconds`` late.
- ``drop`` (``after=True``): the action is done and the connection closed without an answer;
  ``after=False`` (default): closed before acting.
- ``error`` (``code=``): the action answers ``code`` with the HTTP status and message its reference page
  documents (emulator/reference.py); a code the page does not list for ``action`` is refused. A bare name
  shared by VPC and ENS means the product whose page documents ``code`` (refused when both do).
- ``stale`` (``seconds=``): the next ``count`` state changes made by ``action`` stay invisible to
  Describe calls for ``seconds`` (Describe answers the resource as it was before the change).
- ``last_token``: 400 ``LastTokenProcessing`` instead of acting, as the service answers a resend whose
  ClientToken's first request is still being processed (arm it after ``drop``/``truncate`` ``after=True``).

Answers that are not the API's (issue 17); the action is done first, then the answer is spoilt:

- ``truncate`` (``keep=`` bytes, default half): a 200 whose body stops short of its Content-Length, then the
  connection is closed.
- ``malformed`` (``body=`` text): a 200 whose body is not JSON (default: an HTML error page).
- ``hollow`` (``size=`` bytes, default small): a 200 JSON object with the RequestId but none of the action's
  fields; with ``size`` it is padded to that many bytes, generated as it is sent (a 300 MB answer costs no memory).
- ``drip`` (``seconds=`` per byte, default 1): the real answer, one byte every ``seconds``.

And answered instead of acting:

- ``redirect`` (``status=`` 302, ``location=`` URL): a redirect elsewhere (another host, ``file://``...).
- ``echo`` (``status=`` 400, ``pad=`` characters, ``encode=`` ``raw``/``quote``/``quote_plus``): a text/plain
  error body that repeats the request as received: ``pad`` filler characters, the security token as sent
  (encoded as asked), then every header (Authorization included) and the query, as a careless proxy would.
"""
import threading
from urllib.parse import quote, quote_plus

from . import errors, reference

ERROR_KINDS = {
    "throttle": errors.throttled,
    "unavailable": errors.unavailable,
    "task_conflict": errors.task_conflict,
    "system_busy": errors.system_busy,
}
ERROR_KINDS["last_token"] = lambda: errors.ApiError(400, "LastTokenProcessing", "The last token request is processing.")
AFTER_ACTING_KINDS = frozenset({"truncate", "malformed", "hollow", "drip"})
INSTEAD_KINDS = frozenset({"redirect", "echo"})
KINDS = frozenset(ERROR_KINDS) | {"slow", "drop", "stale", "error"} | AFTER_ACTING_KINDS | INSTEAD_KINDS

# The code each spoilt answer leaves in the call log.
LOGGED_CODES = {"truncate": "ResponseTruncated", "malformed": "ResponseMalformed", "hollow": "ResponseHollow",
                "drip": "ResponseDripped", "redirect": "Redirected", "echo": "EchoedRequest"}


class Streamed:
    """An answer server.py writes piece by piece: ``chunks`` (bytes, generated lazily), ``gap`` seconds between
    them, ``length`` the Content-Length declared (None: none, the end is the connection's close). The connection
    is always closed afterwards."""

    def __init__(self, status, headers, chunks, length, gap=0.0):
        self.status = status
        self.headers = dict(headers)
        self.chunks = chunks
        self.length = length
        self.gap = gap


class Fault:
    def __init__(self, kind, action, count, opts):
        self.kind = kind
        self.action = action
        self.remaining = count
        self.opts = opts

    def matches(self, key):
        """Whether this fault is armed for the action of ``key`` (``"ens:AssociateHaVip"``)."""
        return self.remaining > 0 and self.action in (None, key, key.partition(":")[2])

    def error(self):
        if self.kind == "error":
            return reference.error(self.action, self.opts["code"])
        err = ERROR_KINDS[self.kind]()
        if self.kind == "throttle" and self.opts.get("retry_after"):
            err.headers["x-acs-retry-after"] = str(int(self.opts["retry_after"]))
        return err

    def spoil(self, response):
        """The ``Streamed`` answer of an after-acting kind, from the real ``app.Response``."""
        body, headers = response.body, dict(response.headers)
        if self.kind == "truncate":
            keep = int(self.opts.get("keep", len(body) // 2))
            return Streamed(200, headers, [body[:keep]], len(body))
        if self.kind == "malformed":
            text = self.opts.get("body", "<html><body><h1>502 Bad Gateway</h1></body></html>").encode()
            return Streamed(200, dict(headers, **{"Content-Type": "text/html"}), [text], len(text))
        if self.kind == "hollow":
            return _hollow(headers, response.headers.get("x-acs-request-id", ""), int(self.opts.get("size", 0)))
        return Streamed(200, headers, (body[i:i + 1] for i in range(len(body))), len(body),
                        gap=float(self.opts.get("seconds", 1.0)))

    def answer_instead(self, request):
        """The ``Streamed`` answer of a kind answered instead of acting."""
        status = int(self.opts.get("status", 302 if self.kind == "redirect" else 400))
        if self.kind == "redirect":
            location = self.opts.get("location", "https://elsewhere.invalid/collect?from=emulator")
            return Streamed(status, {"Location": location, "Content-Type": "text/plain"}, [b""], 0)
        encode = {"raw": str, "quote": lambda v: quote(v, safe=""), "quote_plus": quote_plus}[
            self.opts.get("encode", "raw")]
        lines = ["x" * int(self.opts.get("pad", 0)) + encode(request.header("x-acs-security-token", ""))]
        lines += ["%s: %s" % (name, value) for name, values in request.headers.items() for value in values]
        lines.append("query: %s" % "&".join("%s=%s" % (k, encode(v)) for k, v in request.query.items()))
        text = "\n".join(lines).encode()
        return Streamed(status, {"Content-Type": "text/plain"}, [text], len(text))

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
            action = reference.check_injectable(action, opts.get("code"))  # the key: one product's action
        with self._lock:
            self._faults.append(Fault(kind, action, int(count), opts))

    def clear(self):
        with self._lock:
            self._faults.clear()

    def active(self):
        with self._lock:
            return [f.to_dict() for f in self._faults if f.remaining > 0]

    def take(self, key):
        """The first request-level fault (any kind but ``stale``) armed for the action ``key``, consumed."""
        return self._take(key, lambda f: f.kind != "stale")

    def take_stale(self, key):
        """Seconds a change made by the action ``key`` stays invisible, or None; consumes one count."""
        fault = self._take(key, lambda f: f.kind == "stale")
        return float(fault.opts["seconds"]) if fault else None

    def _take(self, key, wanted):
        with self._lock:
            for fault in self._faults:
                if wanted(fault) and fault.matches(key):
                    fault.remaining -= 1
                    return fault
        return None


def _hollow(headers, request_id, size):
    """A JSON object with only RequestId (and padding up to ``size`` bytes), generated as it is written."""
    head = ('{"RequestId": "%s", "Padding": "' % request_id).encode()
    tail = b'"}'
    padding = max(0, size - len(head) - len(tail))
    piece = b"x" * 65536

    def chunks():
        yield head
        left = padding
        while left > 0:
            yield piece[:min(left, len(piece))]
            left -= len(piece)
        yield tail

    return Streamed(200, headers, chunks(), len(head) + padding + len(tail))
