"""AlibabaClient over HTTP: signing on the wire, retries (fake clock), ClientToken, error mapping."""
from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from alibabacloud_tea_openapi.utils import Utils as SdkUtils

from ansible_collections.alicloud.network.plugins.module_utils._client import (
    BACKOFF_BASE, BACKOFF_CAP, AlibabaClient, ApiError)
from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials, StaticProvider

SECRET, TOKEN = "unit-secret-do-not-leak", "unit-token-do-not-leak"
THROTTLED = {"status": 400, "body": {"Code": "Throttling.User", "Message": "Request was denied due to user flow control.",
                                     "RequestId": "req-throttled"}}
UNAVAILABLE = {"status": 503, "body": {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "req-503"}}
OK = {"status": 200, "body": {"RequestId": "req-ok"}}


def make_client(url, clock, max_retry_time=30.0, rand=lambda: 1.0, token=None, **kw):
    creds = StaticProvider(Credentials("LTAI5tUnit", SECRET, token))
    return AlibabaClient(url, "2016-04-28", creds, max_retry_time=max_retry_time, clock=clock, sleep=clock.sleep,
                         rand=rand, **kw)


def test_request_is_signed_as_the_sdk_would_sign_it(stub, clock):
    client = make_client(stub.url, clock, token=TOKEN)
    assert client.call("DescribeEipAddresses", {"RegionId": "cn-hangzhou", "Ids": ["a b", "é*"]}) == OK["body"] | {
        "RequestId": "req-default"}
    sent = stub.requests[0]
    assert sent["method"] == "POST" and sent["path"] == "/"
    assert sent["query"] == {"RegionId": "cn-hangzhou", "Ids.1": "a b", "Ids.2": "é*"}
    headers = sent["headers"]
    assert headers["x-acs-action"] == "DescribeEipAddresses" and headers["x-acs-version"] == "2016-04-28"
    assert headers["x-acs-security-token"] == TOKEN
    assert headers["host"] == stub.url.split("//")[1]
    assert headers["user-agent"].startswith("alicloud.network/0.1.0")
    signed_names = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    request = SimpleNamespace(method="POST", pathname="/", query=sent["query"],
                              headers={name: headers[name] for name in signed_names})
    expected = SdkUtils.get_authorization(request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"],
                                          "LTAI5tUnit", SECRET)
    assert headers["authorization"] == expected


def test_throttling_is_retried_with_capped_full_jitter(stub, clock):
    stub.script(THROTTLED, THROTTLED, UNAVAILABLE, OK)
    draws = iter([0.5, 1.0, 0.25])
    client = make_client(stub.url, clock, rand=lambda: next(draws))
    assert client.call("DescribeEipAddresses", {})["RequestId"] == "req-ok"
    assert len(stub.requests) == 4
    assert clock.sleeps == pytest.approx([0.5 * BACKOFF_BASE, 1.0 * 2 * BACKOFF_BASE, 0.25 * 4 * BACKOFF_BASE])
    # every attempt is signed afresh: a replayed nonce would be refused
    assert len({r["headers"]["x-acs-signature-nonce"] for r in stub.requests}) == 4


def test_backoff_never_exceeds_the_cap(clock):
    client = make_client("http://127.0.0.1:9", clock)
    assert client._backoff(30) == pytest.approx(BACKOFF_CAP)


def test_retry_after_header_is_honoured(stub, clock):
    stub.script(dict(THROTTLED, headers={"x-acs-retry-after": "1500"}), OK)
    make_client(stub.url, clock).call("DescribeEipAddresses", {})
    assert clock.sleeps == [1.5]


def test_total_retry_time_is_bounded(stub, clock):
    stub.default = THROTTLED
    start = clock.now
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=4.0).call("DescribeEipAddresses", {})
    assert clock.now - start <= 4.0
    assert info.value.code == "Throttling.User" and info.value.attempts == len(stub.requests) > 2
    assert info.value.transitional is False


def test_one_client_token_across_all_retries(stub, clock):
    stub.script(THROTTLED, {"drop": True}, UNAVAILABLE, OK)
    client = make_client(stub.url, clock)
    client.call("AssociateEipAddress", {"AllocationId": "eip-1"}, idempotent=True, mutating=True)
    tokens = {r["query"]["ClientToken"] for r in stub.requests}
    assert len(stub.requests) == 4 and len(tokens) == 1
    client.call("AssociateEipAddress", {"AllocationId": "eip-1"}, idempotent=True, mutating=True)
    assert stub.requests[-1]["query"]["ClientToken"] not in tokens


def test_reads_carry_no_client_token(stub, clock):
    make_client(stub.url, clock).call("DescribeEipAddresses", {"RegionId": "cn-hangzhou"})
    assert "ClientToken" not in stub.requests[0]["query"]


def test_dropped_connection_is_retried_for_reads(stub, clock):
    stub.script({"drop": True}, OK)
    assert make_client(stub.url, clock).call("DescribeHaVips", {})["RequestId"] == "req-ok"
    assert len(stub.requests) == 2


@pytest.mark.parametrize("failure", [{"drop": True},
                                     {"status": 500, "body": {"Code": "InternalError", "Message": "oops"}}])
def test_unknown_outcome_of_unprotected_change_is_not_resent(stub, clock, failure):
    """ENS takes no ClientToken: resending after the server may have acted could act twice."""
    stub.script(failure, OK)
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateHaVip", {"HaVipId": "havip-1"}, mutating=True)
    assert len(stub.requests) == 1
    assert info.value.transitional is True and info.value.action == "AssociateHaVip"


def test_rejections_are_resent_even_for_unprotected_changes(stub, clock):
    stub.script(THROTTLED, UNAVAILABLE, OK)
    make_client(stub.url, clock).call("AssociateHaVip", {"HaVipId": "havip-1"}, mutating=True)
    assert len(stub.requests) == 3


def test_read_timeout_is_retried_then_reported(stub, clock):
    stub.default = {"delay": 1.0, "status": 200, "body": {"RequestId": "late"}}
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=0.5, read_timeout=0.1).call("DescribeEipAddresses", {})
    assert info.value.code == "ReadTimeout" and stub.url in info.value.message
    assert len(stub.requests) >= 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_endpoint_names_the_endpoint(clock):
    url = "http://127.0.0.1:%d" % free_port()
    with pytest.raises(ApiError) as info:
        make_client(url, clock, max_retry_time=2.0).call("AssociateHaVip", {}, mutating=True)
    error = info.value
    assert error.code == "ConnectionError" and url in error.message
    assert error.attempts > 1, "a refused connection was never sent, so even a change may be retried"
    assert error.transitional is False


@pytest.mark.parametrize("code", ["TaskConflict", "IncorrectEipStatus", "IncorrectHaVipStatus", "LastTokenProcessing"])
def test_transitional_codes_surface_at_once(stub, clock, code):
    stub.script({"status": 400, "body": {"Code": code, "Message": "busy", "RequestId": "req-t"}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateEipAddress", {}, idempotent=True, mutating=True)
    assert info.value.transitional is True and info.value.code == code
    assert len(stub.requests) == 1 and clock.sleeps == []


def test_other_errors_carry_every_field_and_are_not_retried(stub, clock):
    stub.script({"status": 404, "body": {
        "Code": "InvalidAllocationId.NotFound", "Message": "Specified allocation ID is not found.",
        "RequestId": "0ED8D006-F706-4D23-88ED-E11ED28DCAC0", "HostId": "vpc.aliyuncs.com",
        "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidAllocationId.NotFound"}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateEipAddress", {}, idempotent=True, mutating=True)
    error = info.value
    assert (error.action, error.code, error.http_status, error.host_id) == (
        "AssociateEipAddress", "InvalidAllocationId.NotFound", 404, "vpc.aliyuncs.com")
    assert error.to_dict() == {"code": "InvalidAllocationId.NotFound",
                               "message": "Specified allocation ID is not found.",
                               "request_id": "0ED8D006-F706-4D23-88ED-E11ED28DCAC0", "http_status": 404,
                               "recommend": "https://api.aliyun.com/troubleshoot?q=InvalidAllocationId.NotFound"}
    assert error.transitional is False and len(stub.requests) == 1


def test_non_json_answers(stub, clock):
    stub.script({"status": 502, "body": "<html>Bad Gateway</html>"}, {"status": 200, "body": "not json"})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("DescribeEipAddresses", {})
    assert info.value.code == "InvalidResponse" and len(stub.requests) == 2  # the 502 was retried


def test_secrets_never_reach_an_error(stub, clock):
    stub.script({"status": 400, "body": {"Code": "InvalidSecurityToken.Malformed",
                                         "Message": "token %s secret %s is bad" % (TOKEN, SECRET)}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, token=TOKEN).call("DescribeEipAddresses", {})
    text = str(info.value) + repr(info.value.to_dict())
    assert TOKEN not in text and SECRET not in text and "********" in text


def test_proxy_from_the_environment_is_used(stub, clock, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", stub.url)
    monkeypatch.setenv("http_proxy", stub.url)
    make_client("http://vpc.example.invalid", clock).call("DescribeEipAddresses", {"RegionId": "cn-hangzhou"})
    sent = stub.requests[0]
    assert sent["raw_path"].startswith("http://vpc.example.invalid/?")
    assert sent["headers"]["host"] == "vpc.example.invalid"
