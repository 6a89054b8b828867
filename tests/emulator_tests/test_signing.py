"""The verifier's signature functions against Alibaba's published worked examples."""
import hashlib

import pytest

from emulator import errors
from emulator.signing import Verifier, canonical_query, v1_signature, v3_signature


def test_v3_worked_example():
    headers = {
        "host": ["ecs.cn-shanghai.aliyuncs.com"], "x-acs-action": ["RunInstances"],
        "x-acs-version": ["2014-05-26"], "x-acs-date": ["2023-10-26T10:22:32Z"],
        "x-acs-signature-nonce": ["3156853299f313e23d1673dc12e1703d"],
        "x-acs-content-sha256": [hashlib.sha256(b"").hexdigest()],
    }
    query = {"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
    signed = sorted(headers)
    assert v3_signature("YourAccessKeySecret", "POST", "/", query, headers, signed,
                        hashlib.sha256(b"").hexdigest()) == \
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


def test_v1_worked_example():
    params = {"AccessKeyId": "testid", "Action": "DescribeDedicatedHosts", "Format": "JSON",
              "RegionId": "cn-beijing", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "edb2b34af0af9a6d14deaf7c1a5315eb", "SignatureVersion": "1.0",
              "Timestamp": "2023-03-13T08:34:30Z", "Version": "2014-05-26"}
    assert v1_signature("testsecret", "GET", params) == "9NaGiOspFP5UPcwX8Iwt2YJXXuk="


def test_canonical_query_encodes_rfc3986_and_sorts_plainly():
    assert canonical_query({"b": "a b*/~", "X.10": "1", "X.2": "", "a": "é"}) == \
        "X.10=1&X.2=&a=%C3%A9&b=a%20b%2A%2F~"


def _v1_request(secret="testsecret", **overrides):
    params = {"AccessKeyId": "testid", "Action": "DescribeHaVips", "Version": "2017-11-10",
              "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": "n-1",
              "Timestamp": "2023-03-13T08:34:30Z", **overrides}
    params["Signature"] = v1_signature(secret, "GET", params)
    return params


def _verifier(now="2023-03-13T08:40:00Z"):
    from emulator.signing import parse_timestamp
    creds = {"testid": {"access_key_secret": "testsecret"}}
    return Verifier(creds, clock=lambda: parse_timestamp(now))


def test_verifier_accepts_then_rejects_reused_nonce():
    verifier, params = _verifier(), _v1_request()
    assert verifier.verify("GET", "/", params, params, {}, b"").access_key_id == "testid"
    with pytest.raises(errors.ApiError) as caught:
        verifier.verify("GET", "/", params, params, {}, b"")
    assert caught.value.code == "SignatureNonceUsed"


@pytest.mark.parametrize("params, code, status", [
    (_v1_request(secret="wrong"), "SignatureDoesNotMatch", 400),
    (_v1_request(AccessKeyId="nobody"), "InvalidAccessKeyId.NotFound", 404),
    (_v1_request(Timestamp="2023-03-13T08:10:00Z"), "InvalidTimeStamp.Expired", 400),
    (_v1_request(Timestamp="yesterday"), "InvalidTimeStamp.Format", 400),
])
def test_verifier_rejections(params, code, status):
    with pytest.raises(errors.ApiError) as caught:
        _verifier().verify("GET", "/", params, params, {}, b"")
    assert (caught.value.code, caught.value.status) == (code, status)
