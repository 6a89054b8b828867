"""Issue 7, secrets: representative runs of both modules at -vvvv - success, API failure, check+diff, credentials
from the environment, from options, as an STS token, from profile files, through AssumeRole and the ECS metadata
service, wrong and missing credentials - leak neither a secret key, nor a security token, nor a signature, into
stdout, stderr, the recorded results (diffs and error text included).

Every secret the emulator knows or issues ends in "do-not-leak"; the signatures are the ones the emulator actually
received (reliability_support.WireRecorder).
"""
from __future__ import annotations

import json

from reliability_support import EIP_MODULE, HAVIP_MODULE, WireRecorder, playbook, task

LEAK_MARK = "do-not-leak"
STS_KEY = dict(access_key="STS.EmuTempKey", secret_key="EmuStsSecret-77b1-do-not-leak",
               security_token="EmuStsToken-ffee-do-not-leak")
ROLE_ARN = "acs:ram::1234567890123456:role/emu-network-admin"
WRONG_SECRET = "WrongSecret-0000-do-not-leak"

INI_PROFILES = """\
[default]
type = access_key
access_key_id = LTAI5tEmuTestAccessKey
access_key_secret = EmuSecret-0c3a9f7e-do-not-leak

[sts]
type = sts
access_key_id = STS.EmuTempKey
access_key_secret = EmuStsSecret-77b1-do-not-leak
security_token = EmuStsToken-ffee-do-not-leak
"""

CLI_CONFIG = {"current": "emu", "profiles": [{
    "name": "emu", "mode": "StsToken", "access_key_id": "STS.EmuTempKey",
    "access_key_secret": "EmuStsSecret-77b1-do-not-leak", "sts_token": "EmuStsToken-ffee-do-not-leak",
    "region_id": "cn-hangzhou"}]}


def eip(number, **extra):
    return dict(dict(allocation_id="eip-emu%04d" % number, instance_id="i-emuecs%04d" % number), **extra)


def havip(number, **extra):
    return dict(dict(havip_id="havip-emuensb%03d" % number, instance_id="i-emuensb%03d" % number), **extra)


def with_env_credentials():
    """Credentials from the environment (the runner's default), from options, as STS tokens, via AssumeRole."""
    return [
        task("eip success", EIP_MODULE, eip(1)),
        task("eip check and diff", EIP_MODULE, eip(2), check_mode=True, diff=True),
        task("eip real change with diff", EIP_MODULE, eip(3), diff=True),
        task("eip API failure", EIP_MODULE, eip(4, instance_id="i-emunothere"), ignore_errors=True),
        task("eip reassociation refused", EIP_MODULE, dict(allocation_id="eip-emubound01",
                                                           instance_id="i-emuecs0005"), ignore_errors=True),
        task("havip success", HAVIP_MODULE, havip(1)),
        task("havip check and diff", HAVIP_MODULE, havip(2), check_mode=True, diff=True),
        task("havip API failure", HAVIP_MODULE, dict(havip_id="havip-emuens0001", instance_id="i-emuens0006"),
             ignore_errors=True),
        task("eip credentials as options", EIP_MODULE,
             eip(6, access_key="LTAI5tEmuTestAccessKey", secret_key="EmuSecret-0c3a9f7e-do-not-leak")),
        task("eip STS token as options", EIP_MODULE, eip(7, **STS_KEY), diff=True),
        task("havip STS token as options", HAVIP_MODULE, havip(3, **STS_KEY), diff=True),
        task("eip wrong secret", EIP_MODULE, eip(8, access_key="LTAI5tEmuTestAccessKey", secret_key=WRONG_SECRET),
             ignore_errors=True),
        task("eip expired STS token", EIP_MODULE, eip(9, access_key="STS.EmuExpiredKey",
                                                      secret_key="EmuExpiredSecret-1d2e-do-not-leak",
                                                      security_token="EmuExpiredToken-aa11-do-not-leak"),
             ignore_errors=True),
        task("eip through AssumeRole", EIP_MODULE, eip(10, assume_role_arn=ROLE_ARN), diff=True),
        task("havip through AssumeRole", HAVIP_MODULE, havip(4, assume_role_arn=ROLE_ARN)),
    ]


def without_env_credentials(ini_path, cli_home):
    """Profiles (SDK INI file, aliyun CLI config), the ECS metadata service, and no credentials at all."""
    ini = {"ALIBABA_CLOUD_CREDENTIALS_FILE": str(ini_path)}
    return [
        task("eip default INI profile", EIP_MODULE, eip(11), environment=ini),
        task("eip STS INI profile", EIP_MODULE, eip(12, profile="sts"), environment=ini, diff=True),
        task("havip STS INI profile", HAVIP_MODULE, havip(5, profile="sts"), environment=ini),
        task("eip aliyun CLI StsToken profile", EIP_MODULE, eip(13), environment={"HOME": str(cli_home)}),
        task("eip ECS RAM role", EIP_MODULE, eip(14, ecs_role_name="emu-ecs-role"), diff=True),
        task("havip ECS RAM role failure", HAVIP_MODULE,
             dict(havip_id="havip-emuens0001", instance_id="i-emuens0006", ecs_role_name="emu-ecs-role"),
             ignore_errors=True),
        task("eip no credentials", EIP_MODULE, eip(15), ignore_errors=True),
    ]


def leaks(run, recorder):
    """Every secret-looking thing in the run's output and results."""
    haystack = "\n".join([run.stdout, run.stderr, json.dumps(run.results)])
    found = []
    if LEAK_MARK in haystack:
        at = haystack.index(LEAK_MARK)
        found.append(("secret", haystack[max(0, at - 80):at + 20]))
    found += [("signature", s) for s in recorder.signatures if s in haystack]
    found += [("authorization", a) for a in recorder.authorizations if a in haystack]
    found += [(marker, "") for marker in ("Signature=", "ACS3-HMAC-SHA256 Credential") if marker in haystack]
    return found


def statuses(run):
    return {r["task"]: r["status"] for r in run.results}


def test_nothing_secret_in_any_output(emulator, ansible, tmp_path):
    recorder = WireRecorder(emulator)
    ini_path = tmp_path / "credentials.ini"
    ini_path.write_text(INI_PROFILES, encoding="utf-8")
    cli_home = tmp_path / "cli-home"
    (cli_home / ".aliyun").mkdir(parents=True)
    (cli_home / ".aliyun" / "config.json").write_text(json.dumps(CLI_CONFIG), encoding="utf-8")
    endpoints = {"ALIBABA_CLOUD_STS_ENDPOINT": emulator.url, "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": emulator.url}
    no_env_keys = dict(endpoints, ALIBABA_CLOUD_ACCESS_KEY_ID=None, ALIBABA_CLOUD_ACCESS_KEY_SECRET=None)

    first = ansible.playbook(playbook(*with_env_credentials()), "-vvvv", env=endpoints)
    second = ansible.playbook(playbook(*without_env_credentials(ini_path, cli_home)), "-vvvv", env=no_env_keys)

    # The runs did what they were meant to, so the outputs really hold successes, failures and diffs.
    assert statuses(first) == {
        "eip success": "changed", "eip check and diff": "changed", "eip real change with diff": "changed",
        "eip API failure": "failed", "eip reassociation refused": "failed", "havip success": "changed",
        "havip check and diff": "changed", "havip API failure": "failed", "eip credentials as options": "changed",
        "eip STS token as options": "changed", "havip STS token as options": "changed",
        "eip wrong secret": "failed", "eip expired STS token": "failed", "eip through AssumeRole": "changed",
        "havip through AssumeRole": "changed"}, first.stdout[-3000:]
    assert statuses(second) == {
        "eip default INI profile": "changed", "eip STS INI profile": "changed", "havip STS INI profile": "changed",
        "eip aliyun CLI StsToken profile": "changed", "eip ECS RAM role": "changed",
        "havip ECS RAM role failure": "failed", "eip no credentials": "failed"}, second.stdout[-3000:]
    assert "diff" in first.task("eip STS token as options")["result"]
    # -vvvv really prints module arguments: the secret options show up, masked by Ansible.
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in first.stdout
    # Every API call was signed (V3), and the recorder holds each signature to look for.
    assert {c["signature"] for c in emulator.calls if c["signature"]} == {"v3"}
    assert len(recorder.signatures) >= len(emulator.calls) > 0

    assert leaks(first, recorder) == []
    assert leaks(second, recorder) == []


# For docs/reliability.md.
LEAK_SCENARIOS = len(with_env_credentials()) + len(without_env_credentials("x", "y"))
