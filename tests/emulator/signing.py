"""Signature verification for the two styles the official SDKs produce.

- V3 ``ACS3-HMAC-SHA256``: ``Authorization`` header, canonical request over method, path, canonical query,
  the headers named in ``SignedHeaders`` and the body hash in ``x-acs-content-sha256``.
- V1 ``HMAC-SHA1``: ``Signature`` query parameter over every other parameter (query and form body).

The pure functions compute signatures from explicit inputs (unit-tested against Alibaba's worked examples);
``Verifier`` applies them to a request and enforces keys, security tokens, timestamps and nonces.
"""
import base64
import calendar
import hashlib
import hmac
import threading
import time
from urllib.parse import quote

from . import errors

V3_ALGORITHM = "ACS3-HMAC-SHA256"
MAX_CLOCK_SKEW = 15 * 60
# Headers V3 requests must sign, beyond which any sent header may be signed too.
V3_REQUIRED_SIGNED = ("host", "x-acs-action", "x-acs-version", "x-acs-date",
                      "x-acs-signature-nonce", "x-acs-content-sha256")
# Parameters that carry the V1 signature itself rather than the request.
V1_AUTH_PARAMS = frozenset({"Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce",
                            "SignatureType", "Timestamp", "AccessKeyId", "SecurityToken"})


def percent_encode(text):
    """RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return quote(str(text), safe="~", encoding="utf-8")


def canonical_query(params):
    """Sorted name=value pairs, both RFC 3986 encoded (V3 canonical query, V1 canonicalized string)."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def canonical_headers(header_values, signed_names):
    """``name:value\\n`` for each signed name; repeated headers joined with ',' after sorting."""
    lines = []
    for name in signed_names:
        values = sorted(v.strip() for v in header_values.get(name, []))
        lines.append(f"{name}:{','.join(values)}\n")
    return "".join(lines)


def v3_signature(secret, method, path, query, header_values, signed_names, payload_hash):
    """Lower-case hex HMAC-SHA256 of the V3 string to sign.

    ``query`` is the decoded query dict; ``header_values`` maps lower-case names to lists of values.
    """
    canonical_request = "\n".join([
        method, path or "/", canonical_query(query),
        canonical_headers(header_values, signed_names), ";".join(signed_names), payload_hash,
    ])
    string_to_sign = f"{V3_ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


def v1_signature(secret, method, params):
    """Base64 HMAC-SHA1 over ``METHOD&%2F&encode(canonical query)``, keyed with ``secret + '&'``."""
    signed = {k: v for k, v in params.items() if k != "Signature"}
    string_to_sign = f"{method}&%2F&{percent_encode(canonical_query(signed))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def parse_authorization(value):
    """Split ``ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`` into its parts."""
    algorithm, _space, rest = value.strip().partition(" ")
    if algorithm != V3_ALGORITHM:
        raise errors.incomplete_signature(f"Unsupported signature algorithm {algorithm!r}.")
    parts = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts[key] = val
    if not {"Credential", "SignedHeaders", "Signature"} <= parts.keys():
        raise errors.incomplete_signature()
    return parts["Credential"], parts["SignedHeaders"].split(";"), parts["Signature"]


def parse_timestamp(text):
    """Seconds since the epoch for an ISO 8601 UTC ``yyyy-MM-ddTHH:mm:ssZ`` value."""
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except (TypeError, ValueError):
        raise errors.timestamp_malformed() from None


class Identity:
    """Who signed a request, and how."""

    def __init__(self, access_key_id, style):
        self.access_key_id = access_key_id
        self.style = style  # "v3" or "v1"


class Verifier:
    """Checks a request's signature against the credentials the emulator knows.

    ``credentials`` maps access key id to a dict with ``access_key_secret`` and, for STS keys,
    ``security_token`` and ``expiration`` (ISO 8601). It may grow while the server runs (AssumeRole).
    """

    def __init__(self, credentials, clock=time.time):
        self.credentials = credentials
        self.clock = clock
        self._nonces = {}
        self._lock = threading.Lock()

    def reset(self):
        with self._lock:
            self._nonces.clear()

    def verify(self, method, path, query, params, header_values, body):
        """Raise ``ApiError`` unless the request is properly signed; return its ``Identity``.

        ``query`` holds the decoded query-string parameters only, ``params`` those plus any form body.
        """
        authorization = (header_values.get("authorization") or [""])[0]
        if authorization:
            return self._verify_v3(method, path, query, header_values, body, authorization)
        if "Signature" in params:
            return self._verify_v1(method, params)
        raise errors.ApiError(400, "MissingSignature", "Signature is mandatory for this action.")

    def _verify_v3(self, method, path, query, header_values, body, authorization):
        key_id, signed_names, signature = parse_authorization(authorization)
        if not set(V3_REQUIRED_SIGNED) <= set(signed_names):
            raise errors.incomplete_signature()
        secret = self._secret_for(key_id, (header_values.get("x-acs-security-token") or [None])[0])
        payload_hash = header_values["x-acs-content-sha256"][0]
        if hashlib.sha256(body).hexdigest() != payload_hash.lower():
            raise errors.signature_mismatch("The x-acs-content-sha256 header does not match the request body.")
        expected = v3_signature(secret, method, path, query, header_values, signed_names, payload_hash)
        if not hmac.compare_digest(expected, signature.lower()):
            raise errors.signature_mismatch()
        self._check_fresh(key_id, header_values["x-acs-date"][0], header_values["x-acs-signature-nonce"][0])
        return Identity(key_id, "v3")

    def _verify_v1(self, method, params):
        for name in ("AccessKeyId", "SignatureNonce", "Timestamp"):
            if not params.get(name):
                raise errors.missing(name)
        if params.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1":
            raise errors.ApiError(400, "InvalidSignatureMethod", "Specified signature method is not valid.")
        key_id = params["AccessKeyId"]
        secret = self._secret_for(key_id, params.get("SecurityToken"))
        expected = v1_signature(secret, method, params)
        if not hmac.compare_digest(expected, params["Signature"]):
            raise errors.signature_mismatch()
        self._check_fresh(key_id, params["Timestamp"], params["SignatureNonce"])
        return Identity(key_id, "v1")

    def _secret_for(self, key_id, token):
        """The key's secret, after checking the STS token when the key is temporary."""
        entry = self.credentials.get(key_id)
        if entry is None:
            raise errors.access_key_not_found()
        expected_token = entry.get("security_token")
        if expected_token:
            if not token:
                raise errors.token_missing()
            if not hmac.compare_digest(token, expected_token):
                raise errors.token_mismatch()
            if parse_timestamp(entry["expiration"]) <= self.clock():
                raise errors.token_expired()
        return entry["access_key_secret"]

    def _check_fresh(self, key_id, timestamp, nonce):
        """Reject a timestamp more than 15 minutes off, and a nonce seen within that window."""
        now = self.clock()
        if abs(now - parse_timestamp(timestamp)) > MAX_CLOCK_SKEW:
            raise errors.timestamp_expired()
        with self._lock:
            self._forget_old_nonces(now)
            if (key_id, nonce) in self._nonces:
                raise errors.nonce_used()
            self._nonces[(key_id, nonce)] = now

    def _forget_old_nonces(self, now):
        # A nonce older than the skew window can no longer come with a valid timestamp.
        if len(self._nonces) > 10000:
            cutoff = now - 2 * MAX_CLOCK_SKEW
            for key in [k for k, seen in self._nonces.items() if seen < cutoff]:
                del self._nonces[key]
