# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AlibabaClient: signed RPC calls over one requests.Session, with bounded retries and ApiError."""

from __future__ import annotations

import json
import random
import time
import traceback
import uuid
from urllib.parse import urlsplit

# requests is the one third-party run-time need. Its absence must not break importing the module (ansible-doc,
# sanity's argument_spec introspection): AlicloudModule reports it with missing_required_lib() instead.
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.alicloud.network.plugins.module_utils import _signing

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "alicloud.network/%s (Ansible collection)" % COLLECTION_VERSION

# Rejected before acting: always safe to send again.
RETRY_CODES = frozenset([
    "Throttling", "Throttling.User", "Throttling.Api", "Rejected.Throttling",
    "ServiceUnavailable", "SystemBusy", "OperationFailed.SystemBusy",
])

# "Busy with another change, look again": the module re-reads, waits and decides; never a blind retry.
TRANSITIONAL_CODES = frozenset([
    "TaskConflict", "OperationConflict", "LastTokenProcessing", "OperationFailed.LastTokenProcessing",
    "IncorrectEipStatus", "IncorrectHaVipStatus", "InvalidBindingStatus", "IncorrectStatus",
    "IncorrectInstanceStatus", "InvalidVip.Status",
])

BACKOFF_BASE = 0.2   # seconds; first retry waits up to this
BACKOFF_CAP = 5.0    # seconds; no single wait is longer (unless the server asks for it)


class ApiError(Exception):
    """One failed API call (or an unreachable endpoint), with everything needed to report it."""

    def __init__(self, action, code, message, request_id=None, http_status=None, recommend=None,
                 host_id=None, transitional=None, attempts=1):
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.recommend = recommend
        self.host_id = host_id
        self.transitional = code in TRANSITIONAL_CODES if transitional is None else transitional
        self.attempts = attempts
        super().__init__("%s: %s: %s" % (action, code, message))

    @property
    def outcome_unknown(self):
        """The request may have been acted on although it raised: no answer, or a server error."""
        if self.code in RETRY_CODES or self.code == "SSLError":
            return False
        return self.http_status is None or self.http_status >= 500

    @property
    def retryable(self):
        return (self.code in RETRY_CODES or "Throttling" in (self.code or "")
                or (self.http_status or 0) >= 500)

    def to_dict(self):
        return dict(code=self.code, message=self.message, request_id=self.request_id,
                    http_status=self.http_status, recommend=self.recommend)


class _Retry(Exception):
    """Internal: this attempt failed in a way that may be sent again."""

    def __init__(self, error, retry_after=None, safe_for_any_call=True):
        super().__init__(error.code)
        self.error = error
        self.retry_after = retry_after
        # False when the server may have acted: only an idempotent (ClientToken) call may resend.
        self.safe_for_any_call = safe_for_any_call


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


def _never_sent(exc):
    """True when the connection was never made, so the server cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3 MaxRetryError wraps the real cause
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError")


class AlibabaClient:
    """Calls one product endpoint. `credentials.get()` returns the current credentials."""

    def __init__(self, endpoint, version, credentials, session=None, connect_timeout=10.0,
                 read_timeout=30.0, max_retry_time=60.0, clock=time.monotonic, sleep=time.sleep,
                 rand=random.random, pacer=None):
        self.endpoint = endpoint.rstrip("/")
        self.host = urlsplit(self.endpoint).netloc
        self.version = version
        self.credentials = credentials
        self.session = session or new_session()
        self.timeout = (connect_timeout, read_timeout)
        self.max_retry_time = max_retry_time
        self._clock, self._sleep, self._rand = clock, sleep, rand
        # Optional shared backoff (module_utils/_pacer.py) when several threads use this client: it spaces
        # every attempt and takes over the waiting after a throttled answer, so all threads slow down together.
        self.pacer = pacer

    # ---- public ---------------------------------------------------------------------

    def call(self, action, params=None, idempotent=False, mutating=False, method="POST"):
        """Send `action` and return the parsed JSON answer; raise ApiError.

        idempotent=True adds one ClientToken kept across every retry, so a resend never acts twice.
        mutating=True without idempotent: an attempt whose outcome is unknown is not resent; it raises
        ApiError(transitional=True) so the caller re-reads the resource instead.
        """
        query = _signing.flatten_params(params)
        if idempotent:
            query.setdefault("ClientToken", str(uuid.uuid4()))
        resend_unknown = idempotent or not mutating
        deadline = self._clock() + self.max_retry_time
        attempt = 0
        while True:
            attempt += 1
            ticket = self.pacer.before_send() if self.pacer else None
            try:
                answer = self._send_once(action, query, method)
            except _Retry as retry:
                error = retry.error
                error.attempts = attempt
                if not (retry.safe_for_any_call or resend_unknown):
                    error.transitional = True
                    raise error
                paced = self.pacer is not None and "Throttling" in error.code
                if paced:
                    wait = self.pacer.throttled(ticket, retry.retry_after)
                else:
                    wait = self._backoff(attempt) if retry.retry_after is None else retry.retry_after
                if self._clock() + wait > deadline:
                    raise error
                if not paced:
                    self._sleep(wait)
                continue
            if self.pacer:
                self.pacer.succeeded()
            return answer

    # ---- one attempt ------------------------------------------------------------------

    def _backoff(self, attempt):
        """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]."""
        return self._rand() * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** (attempt - 1)))

    def _send_once(self, action, query, method):
        creds = self.credentials.get()
        headers = _signing.signed_headers(method, self.host, action, self.version, query, creds,
                                          extra_headers={"accept": "application/json"})
        url = "%s/?%s" % (self.endpoint, _signing.canonical_query(query))
        try:
            # verify passed per request: otherwise requests lets REQUESTS_CA_BUNDLE override
            # the session's ca_bundle, and even validate_certs=false.
            response = self.session.request(method, url, headers=headers, timeout=self.timeout,
                                            verify=self.session.verify)
        except requests.exceptions.SSLError as exc:
            # Not transient: resending cannot fix a certificate. Report at once, with the TLS reason.
            raise ApiError(action, "SSLError", "TLS connection to %s failed (%s); check ca_bundle / validate_certs"
                           % (self.endpoint, _ssl_reason(exc)))
        except requests.exceptions.ReadTimeout:
            raise _Retry(ApiError(action, "ReadTimeout", "no answer from %s within %ss"
                                  % (self.endpoint, self.timeout[1])), safe_for_any_call=False)
        except requests.exceptions.ConnectionError as exc:
            sent = not _never_sent(exc)
            raise _Retry(ApiError(action, "ConnectionError", "cannot reach %s (%s)"
                                  % (self.endpoint, _reason_name(exc))), safe_for_any_call=not sent)
        return self._parse(action, response)

    def _parse(self, action, response):
        body = _json_or_none(response)
        if response.status_code < 400 and isinstance(body, dict) and "Code" not in body:
            return body
        if response.status_code < 400 and body is None:
            raise ApiError(action, "InvalidResponse", "%s answered HTTP %d with a body that is not JSON"
                           % (self.endpoint, response.status_code), http_status=response.status_code)
        error = self._error_from(action, response, body or {})
        if error.retryable:
            # A named "rejected" code means nothing was done; any other 5xx may have been acted on.
            rejected = error.code in RETRY_CODES or "Throttling" in error.code
            raise _Retry(error, retry_after=_retry_after_seconds(response), safe_for_any_call=rejected)
        raise error

    def _error_from(self, action, response, body):
        code = body.get("Code") or ("HTTP%d" % response.status_code)
        message = body.get("Message") or (response.text or "")[:200].strip() or response.reason or ""
        return ApiError(action, code, self._scrub(message), request_id=body.get("RequestId"),
                        http_status=response.status_code, recommend=body.get("Recommend"),
                        host_id=body.get("HostId"))

    def _scrub(self, text):
        """Servers sometimes echo request details; never let a secret through into an error."""
        creds = self.credentials.get()
        for secret in (creds.access_key_secret, creds.security_token):
            if secret:
                text = text.replace(secret, "********")
        return text


def _json_or_none(response):
    try:
        return json.loads(response.content.decode("utf-8"))
    except ValueError:
        return None


def _reason_name(exc):
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)
    return type(reason).__name__


def _ssl_reason(exc):
    """The innermost TLS message (e.g. 'certificate verify failed'), without URLs or request details."""
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)
    return str(getattr(reason, "reason", None) or reason)[:200]
