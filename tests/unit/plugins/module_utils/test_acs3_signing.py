"""ACS3-HMAC-SHA256 signing, checked against the official SDK's signer and Alibaba's worked example."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from alibabacloud_tea_openapi.utils import Utils as SdkUtils

from ansible_collections.alicloud.network.plugins.module_utils import _signing
from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials

AK, SECRET = "LTAI5tUnitTestKey", "unit-secret-do-not-leak"


def sdk_authorization(method, query, headers, secret=SECRET, ak=AK):
    """What the official SDK computes for the same request (it signs every header it is given)."""
    signed = {k: v for k, v in headers.items() if k != "Authorization"}
    request = SimpleNamespace(method=method, pathname="/", query=query, headers=signed)
    return SdkUtils.get_authorization(request, "ACS3-HMAC-SHA256", signed["x-acs-content-sha256"], ak, secret)


QUERIES = {
    "plain": {"AllocationId": "eip-123", "RegionId": "cn-hangzhou"},
    "space star tilde slash": {"Description": "a b*c~d/e", "Name": "x+y=z&w"},
    "non-ascii": {"Name": "弹性公网IP-é", "RegionId": "cn-hangzhou"},
    "list valued": {"EnsRegionIds": ["cn-beijing-cmcc", "cn-wuhan-telecom"], "Filter": [{"Key": "k 1", "Value": "v*"}]},
    "ten elements sort as strings": {"Ids": ["id-%d" % i for i in range(1, 12)]},
    "empty and bool": {"Empty": "", "Force": True, "PageSize": 100},
}


@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_signature_matches_sdk(method, query):
    flat = _signing.flatten_params(query)
    creds = Credentials(AK, SECRET, None)
    headers = _signing.signed_headers(method, "127.0.0.1:8080", "DescribeEipAddresses", "2016-04-28", flat, creds,
                                      date="2024-01-02T03:04:05Z", nonce="nonce-fixed-1")
    assert headers["Authorization"] == sdk_authorization(method, flat, headers)


def test_security_token_is_sent_and_signed():
    creds = Credentials("STS.Key", SECRET, "token-do-not-leak")
    headers = _signing.signed_headers("POST", "vpc.aliyuncs.com", "AssociateEipAddress", "2016-04-28",
                                      {"A": "1"}, creds, date="2024-01-02T03:04:05Z", nonce="n")
    assert headers["x-acs-security-token"] == "token-do-not-leak"
    assert "x-acs-security-token" in headers["Authorization"].split("SignedHeaders=")[1]
    assert headers["Authorization"] == sdk_authorization("POST", {"A": "1"}, headers, ak="STS.Key")


def test_published_worked_example():
    """Alibaba's 'V3 request structure and signature' page, RunInstances example."""
    creds = Credentials("YourAccessKeyId", "YourAccessKeySecret", None)
    query = {"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
    headers = _signing.signed_headers("POST", "ecs.cn-shanghai.aliyuncs.com", "RunInstances", "2014-05-26", query,
                                      creds, date="2023-10-26T10:22:32Z", nonce="3156853299f313e23d1673dc12e1703d")
    assert headers["Authorization"] == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")


def test_percent_encoding_is_rfc3986():
    assert _signing.percent_encode("a b*c~d/e+f") == "a%20b%2Ac~d%2Fe%2Bf"
    assert _signing.percent_encode("é") == "%C3%A9"
    assert _signing.percent_encode("A-Z_a.z~0") == "A-Z_a.z~0"


def test_flatten_is_one_based_and_sorted_as_strings():
    flat = _signing.flatten_params({"X": ["a", "b"], "M": {"K": 1}, "Skip": None, "B": False})
    assert flat == {"X.1": "a", "X.2": "b", "M.K": "1", "B": "False"}
    query = _signing.canonical_query(_signing.flatten_params({"X": list("abcdefghijk")}))
    assert query.startswith("X.1=a&X.10=j&X.11=k&X.2=b")


def test_canonical_query_keeps_empty_values():
    assert _signing.canonical_query({"B": "", "A": "x y"}) == "A=x%20y&B="


def test_fresh_nonce_and_date_each_time():
    creds = Credentials(AK, SECRET, None)
    first = _signing.signed_headers("POST", "h", "A", "v", {}, creds)
    second = _signing.signed_headers("POST", "h", "A", "v", {}, creds)
    assert first["x-acs-signature-nonce"] != second["x-acs-signature-nonce"]
    assert first["x-acs-date"].endswith("Z") and len(first["x-acs-date"]) == 20
