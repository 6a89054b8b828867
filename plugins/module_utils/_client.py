# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AlibabaClient: signed RPC calls over one requests.Session, with bounded retries and ApiError."""

from __future__ import annotations

import json
import random
import re
import time
import traceback
import uuid
from urllib.parse import quote, quote_plus, urlsplit

# requests is the one third-party run-time need. Its absence must not break importing the module (ansible-doc,
# sanity's argument_spec introspection): AlicloudModule reports it with missing_required_lib() instead.
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.alicloud.network.plugins.module_utils import _errors, _signing

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "alicloud.network/%s (Ansible collection)" % COLLECTION_VERSION

# Rejected before acting, so always safe to send again: the RETRY codes of the one classification.
RETRY_CODES = frozenset(_errors.RETRY_CODES)

# The fields an action's answer always carries besides RequestId (from the API reference's response
# models). An answer without them is not the API's: it is an invalid response, never an empty result.
REQUIRED_FIELDS = {
    "DescribeEipAddresses": ("EipAddresses", "TotalCount"),
    "DescribeHaVips": ("HaVips", "TotalCount"),
    "AssumeRole": ("Credentials",),
}

BACKOFF_BASE = 0.2   # seconds; first retry waits up to this
BACKOFF_CAP = 5.0    # seconds; no single wait is longer (unless the server asks for it)

# Real answers are a few KiB; anything this large is not an API answer, and is not read into memory.
MAX_BODY_BYTES = 4 * 1024 * 1024
READ_CHUNK = 64 * 1024

# A refused connection to a well-formed endpoint (nothing listening, a firewall's RST) is retried briefly, not for
# the whole max_retry_time: at most this many attempts, none started later than this many seconds after the first.
REFUSED_ATTEMPTS = 3
REFUSED_WINDOW = 2.0

# An attempt that starts at or after the caller's deadline still gets this long, so a read "at the deadline"
# (the waiter's last look) can be made at all.
MIN_ATTEMPT_SECONDS = 1.0

MASK = "********"
MESSAGE_LIMIT = 200  # characters of a server's error text kept in a message (after masking)
_SIGNATURE_VALUE = re.compile(r"(Signature=)[^,\s&\"']+")


class ApiError(Exception):
    """One failed API call (or an unreachable endpoint), with everything needed to report it.

    outcome_unknown is True when the request may have been acted on although no success came back (the
    connection broke after sending, a read timeout, a broken or invalid answer, a 5xx that is not a named
    rejection) - for a mutating call the caller must read the resource again before deciding anything.
    It stays True when a later resend of the same call was answered with an error.
    """

    def __init__(self, action, code, message, request_id=None, http_status=None, recommend=None,
                 host_id=None, transitional=None, attempts=1, outcome_unknown=False):
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.recommend = recommend
        self.host_id = host_id
        # "Busy with another change, look again": the caller re-reads, waits and decides; never a blind retry.
        self.transitional = _errors.classify(code).kind == _errors.BUSY if transitional is None else transitional
        self.attempts = attempts
        self.outcome_unknown = outcome_unknown
        super().__init__("%s: %s: %s" % (action, code, message))

    @property
    def retryable(self):
        return (self.code in RETRY_CODES or "Throttling" in (self.code or "")
                or (self.http_status or 0) >= 500)

    def to_dict(self):
        return dict(code=self.code, message=self.message, request_id=self.request_id,
                    http_status=self.http_status, recommend=self.recommend)


class _Retry(Exception):
    """Internal: this attempt failed in a way that may be sent again."""

    def __init__(self, error, retry_after=None, safe_for_any_call=True, refused=False):
        super().__init__(error.code)
        self.error = error
        self.retry_after = retry_after
        # False when the server may have acted: only an idempotent (ClientToken) call may resend.
        self.safe_for_any_call = safe_for_any_call
        error.outcome_unknown = not safe_for_any_call
        self.refused = refused  # connection refused: worth a few quick tries only


def new_session(verify=True):
    """One Session per module run. trust_env stays on so HTTP(S)_PROXY / NO_PROXY work."""
    session = requests.Session()
    session.verify = verify
    session.headers["User-Agent"] = USER_AGENT
    return session


def _retry_after_seconds(response):
    """x-acs-retry-after is in milliseconds (as the tea SDK reads it); None when absent or invalid."""
    raw = response.headers.get("x-acs-retry-after")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value / 1000.0 if value > 0 else None


def _root_reason(exc):
    reason = exc.args[0] if exc.args else None
    return getattr(reason, "reason", reason)  # urllib3 MaxRetryError wraps the real cause


def _never_sent(exc):
    """True when the connection was never made, so the server cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return type(_root_reason(exc)).__name__ in ("NewConnectionError", "NameResolutionError")


def _refused(exc):
    """True for a connection actively refused (nothing listening at a reachable address)."""
    reason = _root_reason(exc)
    return type(reason).__name__ == "NewConnectionError" and "refused" in str(reason).lower()


class AlibabaClient:
    """Calls one product endpoint. `credentials.get()` returns the current credentials."""

    def __init__(self, endpoint, version, credentials, session=None, connect_timeout=10.0,
                 read_timeout=30.0, max_retry_time=60.0, clock=time.monotonic, sleep=time.sleep,
                 rand=random.random):
        self.endpoint = endpoint.rstrip("/")
        self.host = urlsplit(self.endpoint).netloc
        self.version = version
        self.credentials = credentials
        self.session = session or new_session()
        self.timeout = (connect_timeout, read_timeout)
        self.max_retry_time = max_retry_time
        self._clock, self._sleep, self._rand = clock, sleep, rand

    # ---- public ---------------------------------------------------------------------

    def call(self, action, params=None, idempotent=False, mutating=False, method="POST", expect=None,
             deadline=None):
        """Send `action` and return the parsed JSON answer; raise ApiError.

        idempotent=True adds one ClientToken kept across every retry, so a resend never acts twice.
        mutating=True without idempotent: an attempt whose outcome is unknown is not resent; it raises
        ApiError(transitional=True, outcome_unknown=True) so the caller re-reads the resource instead.
        expect: the fields a successful answer must carry (default: REQUIRED_FIELDS[action], and always
        RequestId); an answer without them is InvalidResponse, retried like any unknown outcome.
        deadline: an absolute time on the client's clock (the task's wait_timeout budget): no retry starts after
        it, and no attempt's timeouts reach past it (beyond MIN_ATTEMPT_SECONDS). Retries stop at the earlier of
        it and max_retry_time from now.
        """
        query = _signing.flatten_params(params)
        if idempotent:
            query.setdefault("ClientToken", str(uuid.uuid4()))
        expect = ("RequestId",) + tuple(REQUIRED_FIELDS.get(action, ()) if expect is None else expect)
        resend_unknown = idempotent or not mutating
        started = self._clock()
        stop_at = started + self.max_retry_time
        if deadline is not None:
            stop_at = min(stop_at, deadline)
        attempt = refused = 0
        may_have_acted = False
        while True:
            attempt += 1
            try:
                return self._send_once(action, query, method, expect, deadline)
            except ApiError as error:
                error.attempts = attempt
                error.outcome_unknown = error.outcome_unknown or may_have_acted
                raise
            except _Retry as retry:
                error = retry.error
                error.attempts = attempt
                may_have_acted = may_have_acted or error.outcome_unknown
                error.outcome_unknown = may_have_acted
                if not (retry.safe_for_any_call or resend_unknown):
                    error.transitional = True
                    raise error
                refused = refused + 1 if retry.refused else 0
                if refused >= REFUSED_ATTEMPTS:
                    raise error
                wait = self._backoff(attempt) if retry.retry_after is None else retry.retry_after
                limit = started + REFUSED_WINDOW if retry.refused else stop_at
                if self._clock() + wait > min(limit, stop_at):
                    raise error
                self._sleep(wait)

    # ---- one attempt ------------------------------------------------------------------

    def _backoff(self, attempt):
        """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]."""
        return self._rand() * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** (attempt - 1)))

    def _attempt_timeouts(self, deadline):
        """(connect, read) for one attempt: the configured ones, cut so that none reaches past `deadline`."""
        connect, read = self.timeout
        if deadline is None:
            return connect, read
        left = max(deadline - self._clock(), MIN_ATTEMPT_SECONDS)
        return min(connect, left), min(read, left)

    def _send_once(self, action, query, method, expect, deadline):
        creds = self.credentials.get()
        headers = _signing.signed_headers(method, self.host, action, self.version, query, creds,
                                          extra_headers={"accept": "application/json"})
        url = "%s/?%s" % (self.endpoint, _signing.canonical_query(query))
        timeouts = self._attempt_timeouts(deadline)
        # The whole answer, body included, must arrive within read_timeout of the attempt's start (real time:
        # this bounds real I/O even when a test drives the retry clock).
        read_by = time.monotonic() + timeouts[1]
        try:
            # verify passed per request: otherwise requests lets REQUESTS_CA_BUNDLE override the session's
            # ca_bundle, and even validate_certs=false. No redirects: the APIs never send one, and following it
            # would hand the signed request and the security token to another host.
            response = self.session.request(method, url, headers=headers, timeout=timeouts, stream=True,
                                            allow_redirects=False, verify=self.session.verify)
        except Exception as exc:  # every transport failure becomes a classified ApiError, never a traceback
            raise self._transport_error(action, exc, timeouts)
        try:
            if 300 <= response.status_code < 400:
                raise self._redirect_error(action, response)
            body = self._read_body(action, response, read_by)
        except BaseException:
            response.close()  # never reuse a connection with an unread or broken answer on it
            raise
        return self._parse(action, response, body, expect)

    def _transport_error(self, action, exc, timeouts):
        """The ApiError (wrapped in _Retry when it may be sent again) for an exception from session.request."""
        if isinstance(exc, requests.exceptions.SSLError):
            # Not transient: resending cannot fix a certificate. Report at once, with the TLS reason.
            return ApiError(action, "SSLError", "TLS connection to %s failed (%s); check ca_bundle / validate_certs"
                            % (self.endpoint, _ssl_reason(exc)))
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return _Retry(ApiError(action, "ReadTimeout", "no answer from %s within %ss"
                                   % (self.endpoint, timeouts[1])), safe_for_any_call=False)
        if isinstance(exc, requests.exceptions.ConnectionError):
            sent = not _never_sent(exc)
            return _Retry(ApiError(action, "ConnectionError", "cannot reach %s (%s)"
                                   % (self.endpoint, _reason_name(exc))),
                          safe_for_any_call=not sent, refused=_refused(exc))
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return _Retry(ApiError(action, "IncompleteResponse", "the answer from %s broke off (%s)"
                                   % (self.endpoint, _reason_name(exc))), safe_for_any_call=False)
        # InvalidSchema, InvalidURL, anything else: a request that could not be made at all.
        return ApiError(action, "RequestError", "cannot send the request to %s (%s)"
                        % (self.endpoint, type(exc).__name__))

    def _redirect_error(self, action, response):
        """A 3xx, never followed: name the status and only the host it points at (its path may hold a token)."""
        location = response.headers.get("Location") or ""
        try:
            parts = urlsplit(location)
            target = "%s://%s" % (parts.scheme, parts.hostname or "") if parts.scheme else (parts.hostname or "")
        except ValueError:
            target = ""
        return ApiError(action, "UnexpectedRedirect", "%s answered HTTP %d redirecting to %s; the Alibaba Cloud "
                        "APIs never redirect, so it was not followed (check endpoint and proxy settings)"
                        % (self.endpoint, response.status_code, target or "an unnamed location"),
                        http_status=response.status_code)

    def _read_body(self, action, response, read_by):
        """The body as bytes, read piece by piece so that neither a dripping body (read_by, time.monotonic)
        nor an endless one (MAX_BODY_BYTES) can hold the attempt."""
        length = response.headers.get("Content-Length") or ""
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise self._too_large(action, response)
        raw = response.raw
        read = raw.read1 if hasattr(raw, "read1") else raw.read  # read1: at most one recv per call
        chunks, size = [], 0
        try:
            while True:
                left = read_by - time.monotonic()
                if left <= 0:
                    raise self._body_timeout(action, response)
                _limit_socket_wait(raw, left)
                chunk = read(READ_CHUNK, decode_content=True)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise self._too_large(action, response)
                chunks.append(chunk)
        except _Retry:
            raise
        except Exception as exc:  # urllib3 ProtocolError / IncompleteRead / timeouts / resets mid-body
            if "timeout" in _reason_name(exc).lower() or "timed out" in str(exc):
                raise self._body_timeout(action, response)
            raise _Retry(ApiError(action, "IncompleteResponse", "the answer from %s broke off after %d bytes (%s)"
                                  % (self.endpoint, size, _reason_name(exc)), http_status=response.status_code),
                         safe_for_any_call=False)

    def _body_timeout(self, action, response):
        return _Retry(ApiError(action, "ReadTimeout", "the answer from %s did not arrive in full within %ss of the "
                               "request" % (self.endpoint, self.timeout[1]), http_status=response.status_code),
                      safe_for_any_call=False)

    def _too_large(self, action, response):
        return _Retry(ApiError(action, "InvalidResponse", "%s answered HTTP %d with a body larger than %d bytes; "
                               "no API answer is that large" % (self.endpoint, response.status_code, MAX_BODY_BYTES),
                               http_status=response.status_code), safe_for_any_call=False)

    def _parse(self, action, response, body_bytes, expect):
        body = _json_or_none(body_bytes)
        status = response.status_code
        if status < 400 and isinstance(body, dict) and "Code" not in body:
            missing = [name for name in expect if name not in body]
            if not missing:
                return body
            raise _Retry(ApiError(action, "InvalidResponse", "%s answered HTTP %d without %s, which every %s answer "
                                  "carries" % (self.endpoint, status, ", ".join(missing), action),
                                  request_id=body.get("RequestId"), http_status=status), safe_for_any_call=False)
        if status < 400:
            raise _Retry(ApiError(action, "InvalidResponse", "%s answered HTTP %d with a body that is not a JSON "
                                  "object" % (self.endpoint, status), http_status=status), safe_for_any_call=False)
        error = self._error_from(action, response, body if isinstance(body, dict) else {}, body_bytes)
        if error.retryable:
            # A named "rejected" code means nothing was done; any other 5xx may have been acted on.
            rejected = error.code in RETRY_CODES or "Throttling" in error.code
            raise _Retry(error, retry_after=_retry_after_seconds(response), safe_for_any_call=rejected)
        raise error

    def _error_from(self, action, response, body, body_bytes):
        code = body.get("Code") or ("HTTP%d" % response.status_code)
        message = body.get("Message") or body_bytes.decode("utf-8", "replace").strip() or response.reason or ""
        return ApiError(action, code, self._scrub(str(message)), request_id=body.get("RequestId"),
                        http_status=response.status_code, recommend=body.get("Recommend"),
                        host_id=body.get("HostId"))

    def _scrub(self, text):
        """Servers sometimes echo the request; never let a secret through into an error.

        Masks first and cuts after, so a cut cannot split a secret into an unmasked piece; masks each secret as
        sent raw and URL-encoded, and any signature value.
        """
        creds = self.credentials.get()
        for secret in (creds.access_key_secret, creds.security_token):
            if secret:
                for form in sorted({secret, quote(secret, safe=""), quote(secret), quote_plus(secret)},
                                   key=len, reverse=True):
                    text = text.replace(form, MASK)
        text = _SIGNATURE_VALUE.sub(r"\1" + MASK, text)
        return text[:MESSAGE_LIMIT].strip()


def _limit_socket_wait(raw, seconds):
    """Best effort: let no single socket read wait longer than what is left of the attempt."""
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is None:
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    try:
        if sock is not None and sock.gettimeout() is not None:
            sock.settimeout(min(sock.gettimeout(), max(seconds, 0.01)))
    except (OSError, AttributeError):
        pass


def _json_or_none(body_bytes):
    try:
        return json.loads(body_bytes.decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError
        return None


def _reason_name(exc):
    reason = exc.args[0] if exc.args and not isinstance(exc.args[0], str) else exc
    reason = getattr(reason, "reason", reason)
    return type(reason).__name__


def _ssl_reason(exc):
    """The innermost TLS message (e.g. 'certificate verify failed'), without URLs or request details."""
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)
    return str(getattr(reason, "reason", None) or reason)[:200]
