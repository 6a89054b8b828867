"""AlibabaClient over HTTP: signing on the wire, retries (fake clock), ClientToken, error mapping."""
from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

import pytest
from alibabacloud_tea_openapi.utils import Utils as SdkUtils

from ansible_collections.alicloud.network.plugins.module_utils._client import (
    BACKOFF_BASE, BACKOFF_CAP, MAX_BODY_BYTES, MIN_ATTEMPT_SECONDS, REFUSED_ATTEMPTS, REFUSED_WINDOW, AlibabaClient,
    ApiError)
from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials, StaticProvider
from module_utils_doubles import EMPTY_EIPS

SECRET, TOKEN = "unit-secret-do-not-leak", "unit-token-do-not-leak"
THROTTLED = {"status": 400, "body": {"Code": "Throttling.User", "Message": "Request was denied due to user flow control.",
                                     "RequestId": "req-throttled"}}
UNAVAILABLE = {"status": 503, "body": {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "req-503"}}
OK = {"status": 200, "body": {"RequestId": "req-ok", **EMPTY_EIPS}}


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
    stub.default = {"delay": 1.0, "status": 200, "body": {"RequestId": "late", **EMPTY_EIPS}}
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


def test_non_json_answers_to_a_read_are_retried_then_reported(stub, clock):
    stub.script({"status": 502, "body": "<html>Bad Gateway</html>"})
    stub.default = {"status": 200, "body": "not json"}
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=3.0).call("DescribeEipAddresses", {})
    assert info.value.code == "InvalidResponse" and len(stub.requests) > 2  # the 502 and the non-JSON were retried


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


# ---- issue 17: transport failures, outcome_unknown, redirects, deadlines, caps --------------------------------

class RawServer:
    """A loopback server that answers every connection with `handler(conn)`: for answers no HTTP library
    would write (truncated, dripping, oversized)."""

    def __init__(self, handler):
        self.connections = 0
        self._handler = handler
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.url = "http://127.0.0.1:%d" % self._sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn = self._sock.accept()[0]
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            conn.recv(65536)
            self._handler(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self._sock.close()


def head(length, status="200 OK", extra=""):
    return ("HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n"
            % (status, length, extra)).encode()


@pytest.fixture
def raw_server():
    servers = []

    def start(handler):
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_truncated_answer_to_a_change_is_an_unknown_outcome_not_a_traceback(raw_server, clock):
    body = b'{"RequestId": "req-cut", "Extra": "'
    server = raw_server(lambda conn: conn.sendall(head(len(body) + 50) + body))
    with pytest.raises(ApiError) as info:
        make_client(server.url, clock).call("AssociateHaVip", {"HaVipId": "havip-1"}, mutating=True)
    error = info.value
    assert error.code == "IncompleteResponse" and error.outcome_unknown is True and error.transitional is True
    assert server.connections == 1, "no ClientToken: a change whose outcome is unknown is never resent"


def test_truncated_answer_to_a_read_is_retried(raw_server, clock):
    body = b'{"RequestId": "r"'
    server = raw_server(lambda conn: conn.sendall(head(len(body) + 10) + body))
    with pytest.raises(ApiError) as info:
        make_client(server.url, clock, max_retry_time=2.0).call("DescribeEipAddresses", {})
    assert info.value.code == "IncompleteResponse" and server.connections > 1


def test_a_dripping_body_cannot_outlive_the_attempt(raw_server, clock):
    def drip(conn):
        conn.sendall(head(1000))
        for _byte in range(1000):
            conn.sendall(b" ")
            time.sleep(0.05)

    server = raw_server(drip)
    started = time.monotonic()
    with pytest.raises(ApiError) as info:
        make_client(server.url, clock, max_retry_time=0.0, read_timeout=0.5).call("DescribeEipAddresses", {})
    assert info.value.code == "ReadTimeout" and info.value.outcome_unknown is True
    assert time.monotonic() - started < 5, "the whole answer must come within read_timeout of the attempt"


def test_an_oversized_body_is_not_read_whole(raw_server, clock):
    def flood(conn):
        conn.sendall("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".encode())
        conn.sendall(b'{"RequestId": "r", "Pad": "')
        chunk = b"x" * 65536
        for _piece in range(200):  # 13 MB, more than the cap, without a Content-Length
            conn.sendall(chunk)

    server = raw_server(flood)
    with pytest.raises(ApiError) as info:
        make_client(server.url, clock, max_retry_time=0.0).call("DescribeEipAddresses", {})
    assert info.value.code == "InvalidResponse" and "larger than" in info.value.message


def test_a_declared_oversized_body_fails_before_reading(stub, clock):
    stub.default = {"status": 200, "body": "x", "headers": {"X-Pad": "1"}}
    stub.script({"status": 200, "body": b"{" + b" " * (MAX_BODY_BYTES + 1) + b"}"})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=0.0).call("DescribeEipAddresses", {})
    assert info.value.code == "InvalidResponse"


@pytest.mark.parametrize("body", ["not json", {"Unexpected": True}])
def test_invalid_answer_to_a_change_is_an_unknown_outcome(stub, clock, body):
    stub.script({"status": 200, "body": body})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateHaVip", {"HaVipId": "havip-1"}, mutating=True)
    assert info.value.code == "InvalidResponse" and info.value.outcome_unknown is True
    assert len(stub.requests) == 1


def test_invalid_answer_to_a_tokened_change_is_resent_and_the_doubt_is_kept(stub, clock):
    stub.script({"status": 200, "body": "garbage"},
                {"status": 400, "body": {"Code": "LastTokenProcessing", "Message": "busy", "RequestId": "r2"}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateEipAddress", {}, idempotent=True, mutating=True)
    error = info.value
    assert error.code == "LastTokenProcessing" and error.transitional is True
    assert error.outcome_unknown is True, "the first attempt may have acted"
    assert len({r["query"]["ClientToken"] for r in stub.requests}) == 1 and len(stub.requests) == 2


def test_a_describe_answer_without_its_fields_is_never_an_empty_result(stub, clock):
    stub.script({"status": 200, "body": {"RequestId": "r1"}}, OK)
    assert make_client(stub.url, clock).call("DescribeEipAddresses", {})["RequestId"] == "req-ok"
    stub.script({"status": 200, "body": {"RequestId": "r1", "TotalCount": 1}})
    stub.default = {"status": 200, "body": {"RequestId": "r1", "TotalCount": 1}}
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=1.0).call("DescribeEipAddresses", {})
    assert info.value.code == "InvalidResponse" and "EipAddresses" in info.value.message


def test_expect_names_the_fields_an_answer_must_carry(stub, clock):
    stub.script({"status": 200, "body": {"RequestId": "r1"}}, {"status": 200, "body": {"RequestId": "r2", "X": 1}})
    assert make_client(stub.url, clock).call("SomeAction", {}, expect=("X",))["RequestId"] == "r2"


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("location", ["https://evil.example:8443/steal?token=abc", "file:///etc/passwd"])
def test_redirects_are_never_followed(stub, clock, status, location):
    stub.script({"status": status, "body": "", "headers": {"Location": location}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, token=TOKEN).call("AssociateEipAddress", {}, idempotent=True, mutating=True)
    error = info.value
    assert error.code == "UnexpectedRedirect" and str(status) in error.message
    assert "steal" not in error.message and "token=abc" not in error.message and "passwd" not in error.message
    assert ("evil.example" in error.message) == location.startswith("https")
    assert len(stub.requests) == 1 and error.outcome_unknown is False


def test_rejections_and_4xx_are_known_outcomes_5xx_is_not(stub, clock):
    stub.script({"status": 400, "body": {"Code": "InvalidParameter", "Message": "bad", "RequestId": "r"}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateHaVip", {}, mutating=True)
    assert info.value.outcome_unknown is False
    stub.script({"status": 500, "body": {"Code": "InternalError", "Message": "oops", "RequestId": "r"}})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateHaVip", {}, mutating=True)
    assert info.value.outcome_unknown is True
    stub.default = THROTTLED
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, max_retry_time=1.0).call("AssociateHaVip", {}, mutating=True)
    assert info.value.outcome_unknown is False


def test_dropped_connection_after_sending_is_an_unknown_outcome(stub, clock):
    stub.script({"drop": True})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("AssociateHaVip", {}, mutating=True)
    assert info.value.code == "ConnectionError" and info.value.outcome_unknown is True


def test_refused_connection_gets_a_few_quick_tries_only(clock):
    url = "http://127.0.0.1:%d" % free_port()
    start = clock.now
    with pytest.raises(ApiError) as info:
        make_client(url, clock, max_retry_time=60.0).call("DescribeEipAddresses", {})
    assert info.value.code == "ConnectionError" and info.value.outcome_unknown is False
    assert 1 < info.value.attempts <= REFUSED_ATTEMPTS and clock.now - start <= REFUSED_WINDOW


def test_deadline_bounds_retries_and_attempt_timeouts(stub, clock):
    stub.default = THROTTLED
    start = clock.now
    with pytest.raises(ApiError):
        make_client(stub.url, clock, max_retry_time=60.0).call("DescribeEipAddresses", {}, deadline=start + 3.0)
    assert clock.now - start <= 3.0
    client = make_client(stub.url, clock, read_timeout=30.0, connect_timeout=10.0)
    assert client._attempt_timeouts(clock.now + 5.0) == (5.0, 5.0)
    assert client._attempt_timeouts(clock.now - 5.0) == (MIN_ATTEMPT_SECONDS, MIN_ATTEMPT_SECONDS)
    assert client._attempt_timeouts(None) == (10.0, 30.0)


def test_deadline_limits_a_real_attempt(stub, clock):
    stub.default = {"delay": 3.0, "status": 200, "body": {"RequestId": "late", **EMPTY_EIPS}}
    started = time.monotonic()
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock, read_timeout=30.0).call("DescribeEipAddresses", {}, deadline=clock.now)
    assert info.value.code == "ReadTimeout" and time.monotonic() - started < 2.5


def test_secret_split_by_the_length_cut_is_still_masked(stub, clock):
    from urllib.parse import quote, quote_plus
    secret, token = "sec/ret+with spaces=do-not-leak", "tok/en+a b=do-not-leak"
    for prefix in (170, 185, 195):
        for form in (token, quote(token, safe=""), quote_plus(token), secret, quote(secret)):
            stub.script({"status": 400, "body": "x" * prefix + form + " tail"})
            creds = StaticProvider(Credentials("LTAI5tUnit", secret, token))
            client = AlibabaClient(stub.url, "2016-04-28", creds, clock=clock, sleep=clock.sleep)
            with pytest.raises(ApiError) as info:
                client.call("DescribeEipAddresses", {})
            message = info.value.message
            assert len(message) <= 200
            for piece in ("do-not-leak", "do-not", "en+a", "en%2Ba", "ret+with", "ret%2Bwith"):
                assert piece not in message, (prefix, form, message)


def test_signatures_echoed_in_an_error_body_are_masked(stub, clock):
    stub.script({"status": 400, "body": "bad request: Authorization: ACS3-HMAC-SHA256 Credential=LTAI5tUnit,"
                                        "SignedHeaders=host,Signature=abcdef0123456789"})
    with pytest.raises(ApiError) as info:
        make_client(stub.url, clock).call("DescribeEipAddresses", {})
    assert "abcdef0123456789" not in info.value.message and "LTAI5tUnit" in info.value.message
