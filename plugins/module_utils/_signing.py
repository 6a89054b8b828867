# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACS3-HMAC-SHA256 request signing (Alibaba Cloud's V3 signature). Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def percent_encode(value):
    """RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are; UTF-8 for the rest."""
    return quote(str(value), safe="~")


def flatten_params(params, prefix=""):
    """Flatten lists and dicts the way the SDK does: Key.1, Key.2, Key.Sub; skip None.

    Values are sent as text; booleans as Python's str() (True/False) like the official SDK.
    """
    flat = {}
    for key, value in (params or {}).items():
        name = "%s.%s" % (prefix, key) if prefix else str(key)
        _flatten_into(flat, name, value)
    return flat


def _flatten_into(flat, name, value):
    if value is None:
        return
    if isinstance(value, dict):
        flat.update(flatten_params(value, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value, start=1):
            _flatten_into(flat, "%s.%d" % (name, index), item)
    else:
        flat[name] = str(value)


def canonical_query(query):
    """Sorted by name (plain string order), names and values percent-encoded; empty value stays `name=`."""
    pairs = sorted((percent_encode(k), percent_encode(v)) for k, v in query.items() if v is not None)
    return "&".join("%s=%s" % pair for pair in pairs)


def _is_signed_header(name):
    return name in ("host", "content-type") or name.startswith("x-acs-")


def canonical_headers(headers):
    """Return (canonical header block, SignedHeaders) over host, content-type and x-acs-*."""
    lowered = {k.lower(): str(v).strip() for k, v in headers.items() if v is not None}
    names = sorted(name for name in lowered if _is_signed_header(name))
    block = "".join("%s:%s\n" % (name, lowered[name]) for name in names)
    return block, ";".join(names)


def signature(secret, method, query, headers, body_sha256, path="/"):
    """Hex HMAC-SHA256 over the string to sign, and the SignedHeaders it covers."""
    header_block, signed_names = canonical_headers(headers)
    canonical_request = "\n".join(
        [method.upper(), path, canonical_query(query), header_block, signed_names, body_sha256])
    string_to_sign = "%s\n%s" % (ALGORITHM, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest, signed_names


def utc_timestamp(now=None):
    """x-acs-date format: yyyy-MM-ddTHH:mm:ssZ in UTC."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_headers(method, host, action, version, query, credentials, body=b"",
                   extra_headers=None, date=None, nonce=None):
    """All headers a V3 request needs, Authorization included.

    `credentials` has access_key_id, access_key_secret and security_token (may be None).
    A fresh nonce per attempt: the server rejects a replayed nonce, retries must re-sign.
    """
    body_sha256 = hashlib.sha256(body or b"").hexdigest()
    headers = dict(extra_headers or {})
    headers.update({
        "host": host,
        "x-acs-action": action,
        "x-acs-version": version,
        "x-acs-date": date or utc_timestamp(),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "x-acs-content-sha256": body_sha256,
    })
    if credentials.security_token:
        headers["x-acs-security-token"] = credentials.security_token
    digest, signed_names = signature(credentials.access_key_secret, method, query, headers, body_sha256)
    headers["Authorization"] = "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (
        ALGORITHM, credentials.access_key_id, signed_names, digest)
    return headers
