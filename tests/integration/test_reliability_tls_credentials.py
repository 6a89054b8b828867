"""Issue 7, TLS and credentials: a self-signed HTTPS endpoint is refused by default and accepted with ca_bundle or
validate_certs: false; bad, unknown, expired and missing credentials fail clearly and change nothing.
"""
from __future__ import annotations

import pytest

from reliability_support import EIP_MODULE, HAVIP_MODULE, failed, playbook, succeeded, task, world

MUTATING_ACTIONS = {"AssociateEipAddress", "UnassociateEipAddress", "AssociateHaVip", "UnassociateHaVip"}


@pytest.fixture
def tls_emulator(tmp_path):
    """The emulator over HTTPS with a throw-away self-signed certificate for 127.0.0.1."""
    pytest.importorskip("cryptography")
    from emulator import Emulator
    from emulator.tls import self_signed_cert

    cert, key = self_signed_cert(str(tmp_path))
    emu = Emulator(transition_seconds=0.3, tls=(cert, key)).start()
    emu.cert = cert
    yield emu
    emu.stop()


def test_self_signed_endpoint_refused_by_default_accepted_with_ca_bundle_or_without_validation(
        tls_emulator, ansible, tmp_path):
    from ansible_process import AnsibleRunner

    (tmp_path / "tls").mkdir()
    runner = AnsibleRunner(tls_emulator, tmp_path / "tls", ansible.collections_root)
    assert tls_emulator.url.startswith("https://")
    cases = {  # name -> (module, args, refused?)
        "eip default": (EIP_MODULE, dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001"), True),
        "eip ca_bundle": (EIP_MODULE, dict(allocation_id="eip-emu0002", instance_id="i-emuecs0002",
                                           ca_bundle=tls_emulator.cert), False),
        "eip validate_certs false": (EIP_MODULE, dict(allocation_id="eip-emu0003", instance_id="i-emuecs0003",
                                                      validate_certs=False), False),
        "havip default": (HAVIP_MODULE, dict(havip_id="havip-emuensb001", instance_id="i-emuensb001"), True),
        "havip ca_bundle": (HAVIP_MODULE, dict(havip_id="havip-emuensb002", instance_id="i-emuensb002",
                                               ca_bundle=tls_emulator.cert), False),
        "havip validate_certs false": (HAVIP_MODULE, dict(havip_id="havip-emuensb003", instance_id="i-emuensb003",
                                                          validate_certs=False), False),
    }

    run = runner.playbook(playbook(*[task(name, module, args, ignore_errors=True)
                                     for name, (module, args, _refused) in cases.items()]))

    for name, (_module, _args, refused) in cases.items():
        if refused:
            msg = failed(run, name)["msg"]
            assert "SSLError" in msg and "certificate verify failed" in msg and tls_emulator.url in msg, msg
            assert "validate_certs" in msg or "ca_bundle" in msg, msg  # says what to do
        else:
            assert succeeded(run, name)["status"] == "changed"
    assert tls_emulator.eip("eip-emu0001")["Status"] == "Available"
    assert tls_emulator.havip("havip-emuensb001")["Status"] == "Available"
    refused_ids = {"eip-emu0001", "havip-emuensb001"}
    assert [c for c in tls_emulator.calls if refused_ids & set(c["params"].values())] == []


CREDENTIAL_CASES = {  # name -> (module, credentials options, words the message must contain)
    "eip wrong secret": (EIP_MODULE, dict(access_key="LTAI5tEmuTestAccessKey", secret_key="not-the-secret"),
                         ["DescribeEipAddresses", "SignatureDoesNotMatch", "secret_key"]),
    "havip wrong secret": (HAVIP_MODULE, dict(access_key="LTAI5tEmuTestAccessKey", secret_key="not-the-secret"),
                           ["DescribeHaVips", "SignatureDoesNotMatch", "secret_key"]),
    "eip unknown key": (EIP_MODULE, dict(access_key="LTAI5tNoSuchKey", secret_key="whatever"),
                        ["InvalidAccessKeyId.NotFound", "access_key"]),
    "havip unknown key": (HAVIP_MODULE, dict(access_key="LTAI5tNoSuchKey", secret_key="whatever"),
                          ["InvalidAccessKeyId.NotFound", "access_key"]),
    "eip expired STS token": (EIP_MODULE, dict(access_key="STS.EmuExpiredKey",
                                               secret_key="EmuExpiredSecret-1d2e-do-not-leak",
                                               security_token="EmuExpiredToken-aa11-do-not-leak"),
                              ["InvalidSecurityToken.Expired", "expired"]),
    "havip expired STS token": (HAVIP_MODULE, dict(access_key="STS.EmuExpiredKey",
                                                   secret_key="EmuExpiredSecret-1d2e-do-not-leak",
                                                   security_token="EmuExpiredToken-aa11-do-not-leak"),
                                ["InvalidSecurityToken.Expired", "expired"]),
    "eip STS key without its token": (EIP_MODULE, dict(access_key="STS.EmuTempKey",
                                                       secret_key="EmuStsSecret-77b1-do-not-leak"),
                                      ["InvalidSecurityToken"]),
}


def target(module):
    if module == EIP_MODULE:
        return dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001")
    return dict(havip_id="havip-emuens0001", instance_id="i-emuens0001")


def test_bad_credentials_are_named_and_change_nothing(emulator, ansible):
    before = world(emulator)
    run = ansible.playbook(playbook(*[task(name, module, dict(target(module), **creds), ignore_errors=True)
                                      for name, (module, creds, _words) in CREDENTIAL_CASES.items()]))

    for name, (_module, _creds, words) in CREDENTIAL_CASES.items():
        msg = failed(run, name)["msg"]
        assert all(word in msg for word in words), (name, msg)
    assert world(emulator) == before
    assert [c for c in emulator.calls if c["action"] in MUTATING_ACTIONS] == []


def test_missing_credentials_list_every_place_looked(emulator, ansible):
    """No options, no environment, an empty HOME: one message naming every source of the chain."""
    no_keys = {"ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    run = ansible.playbook(playbook(task("eip", EIP_MODULE, target(EIP_MODULE), ignore_errors=True),
                                    task("havip", HAVIP_MODULE, target(HAVIP_MODULE), ignore_errors=True)),
                           env=no_keys)

    home = str(ansible.workdir)
    for name in ("eip", "havip"):
        msg = failed(run, name)["msg"]
        assert msg.startswith("No Alibaba Cloud credentials found."), msg
        for place in ("access_key/secret_key options", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY",
                      f"{home}/.alibabacloud/credentials", f"{home}/.aliyun/config.json", "ecs_role_name"):
            assert place in msg, (place, msg)
    assert emulator.calls == []


# For docs/reliability.md.
TLS_CASES = 6
CREDENTIAL_FAILURES = len(CREDENTIAL_CASES) + 2
