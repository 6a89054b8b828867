"""The credentials chain: order, profile files, AssumeRole and ECS metadata (against a local stub), masking."""
from __future__ import annotations

import json

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _credentials
from ansible_collections.alicloud.network.plugins.module_utils._client import new_session
from ansible_collections.alicloud.network.plugins.module_utils._credentials import (
    Credentials, CredentialsError, RefreshingProvider, profile_region, resolve_credentials)

OPTION_KEYS = {"access_key": "opt-key", "secret_key": "opt-secret-do-not-leak"}
ENV_KEYS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "env-key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret-do-not-leak"}


def write_ini(home, text):
    path = home / ".alibabacloud" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def write_cli(home, config):
    path = home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return path


INI = """
[default]
type = access_key
access_key_id = ini-default-key
access_key_secret = ini-default-secret
region_id = cn-shanghai

[other]
type = sts
access_key_id = STS.ini-other
access_key_secret = ini-other-secret
security_token = ini-other-token
"""

CLI = {"current": "work", "profiles": [
    {"name": "work", "mode": "AK", "access_key_id": "cli-work-key", "access_key_secret": "cli-work-secret",
     "region_id": "cn-beijing"},
    {"name": "temp", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "cli-temp-secret",
     "sts_token": "cli-temp-token"}]}


def resolve(params=None, environ=None, home=None, **kw):
    params = dict({"profile": None, "assume_role_arn": None, "ecs_role_name": None}, **(params or {}))
    return resolve_credentials(params, session=new_session(), environ=environ or {}, home=str(home), **kw).get()


def test_options_win_over_everything(tmp_path):
    write_ini(tmp_path, INI)
    creds = resolve(OPTION_KEYS, ENV_KEYS, tmp_path)
    assert (creds.access_key_id, creds.access_key_secret) == ("opt-key", "opt-secret-do-not-leak")


def test_environment_wins_over_profiles(tmp_path):
    write_ini(tmp_path, INI)
    assert resolve({}, ENV_KEYS, tmp_path).access_key_id == "env-key"


def test_alicloud_environment_names_are_understood(tmp_path):
    env = {"ALICLOUD_ACCESS_KEY": "old-key", "ALICLOUD_SECRET_KEY": "old-secret", "ALICLOUD_SECURITY_TOKEN": "old-t"}
    assert resolve({}, env, tmp_path) == Credentials("old-key", "old-secret", "old-t")
    assert resolve({}, dict(env, **ENV_KEYS), tmp_path).access_key_id == "env-key"


def test_default_ini_profile_then_named_ones(tmp_path):
    write_ini(tmp_path, INI)
    assert resolve({}, {}, tmp_path).access_key_id == "ini-default-key"
    expected = Credentials("STS.ini-other", "ini-other-secret", "ini-other-token")
    assert resolve({"profile": "other"}, {}, tmp_path) == expected
    assert resolve({}, {"ALIBABA_CLOUD_PROFILE": "other"}, tmp_path).access_key_id == "STS.ini-other"


def test_credentials_file_path_from_environment(tmp_path):
    elsewhere = tmp_path / "creds.ini"
    elsewhere.write_text(INI)
    env = {"ALIBABA_CLOUD_CREDENTIALS_FILE": str(elsewhere)}
    assert resolve({}, env, tmp_path / "empty-home").access_key_id == "ini-default-key"


def test_aliyun_cli_profiles(tmp_path):
    write_cli(tmp_path, CLI)
    assert resolve({}, {}, tmp_path).access_key_id == "cli-work-key"  # the CLI's current profile
    assert resolve({"profile": "temp"}, {}, tmp_path) == Credentials("STS.cli", "cli-temp-secret", "cli-temp-token")


def test_profile_region(tmp_path):
    write_cli(tmp_path, CLI)
    assert profile_region(None, {}, str(tmp_path)) == "cn-beijing"
    write_ini(tmp_path, INI)
    assert profile_region(None, {}, str(tmp_path)) == "cn-shanghai"
    assert profile_region("missing", {}, str(tmp_path)) is None


def test_named_profile_missing_is_an_error_naming_both_files(tmp_path):
    write_ini(tmp_path, INI)
    with pytest.raises(CredentialsError) as info:
        resolve({"profile": "nope"}, {}, tmp_path)
    assert "'nope'" in str(info.value) and "credentials" in str(info.value) and "config.json" in str(info.value)


def test_nothing_found_lists_every_place_looked(tmp_path):
    with pytest.raises(CredentialsError) as info:
        resolve({}, {}, tmp_path)
    message = str(info.value)
    for place in ("access_key/secret_key options", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY",
                  str(tmp_path / ".alibabacloud" / "credentials"), str(tmp_path / ".aliyun" / "config.json"),
                  "ecs_role_name"):
        assert place in message


def test_half_given_options_are_an_error(tmp_path):
    with pytest.raises(CredentialsError, match="together"):
        resolve({"access_key": "only-key"}, ENV_KEYS, tmp_path)


def test_secrets_are_registered_for_masking(tmp_path):
    hidden = set()
    resolve(dict(OPTION_KEYS, security_token="opt-token"), {}, tmp_path, no_log_values=hidden)
    assert hidden == {"opt-secret-do-not-leak", "opt-token"}


def metadata_reply(key="STS.ecs-key", expiration="2099-01-01T00:00:00Z"):
    return {"status": 200, "body": {"Code": "Success", "AccessKeyId": key, "AccessKeySecret": "ecs-secret",
                                    "SecurityToken": "ecs-token", "Expiration": expiration}}


def test_ecs_metadata_with_imdsv2_token(stub, tmp_path):
    stub.script({"status": 200, "body": "imds-session-token"}, metadata_reply())
    hidden = set()
    env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": stub.url}
    creds = resolve({"ecs_role_name": "EcsRole"}, env, tmp_path, no_log_values=hidden)
    assert creds.access_key_id == "STS.ecs-key" and creds.security_token == "ecs-token"
    put, get = stub.requests
    assert put["method"] == "PUT" and put["path"] == "/latest/api/token"
    assert get["path"] == "/latest/meta-data/ram/security-credentials/EcsRole"
    assert get["headers"]["x-aliyun-ecs-metadata-token"] == "imds-session-token"
    assert {"ecs-secret", "ecs-token"} <= hidden


def test_ecs_metadata_without_imdsv2(stub, tmp_path):
    stub.script({"status": 404, "body": "not here"}, metadata_reply())
    env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": stub.url}
    assert resolve({"ecs_role_name": "EcsRole"}, env, tmp_path).access_key_id == "STS.ecs-key"
    assert "x-aliyun-ecs-metadata-token" not in stub.requests[1]["headers"]


def test_ecs_metadata_failure_is_clear(stub, tmp_path):
    stub.default = {"status": 404, "body": "no such role"}
    env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": stub.url}
    with pytest.raises(CredentialsError, match="'Missing'.*%s" % stub.url):
        resolve({"ecs_role_name": "Missing"}, env, tmp_path)


def test_ecs_metadata_comes_after_keys(stub, tmp_path):
    env = dict(ENV_KEYS, ALIBABA_CLOUD_ECS_METADATA_ENDPOINT=stub.url)
    assert resolve({"ecs_role_name": "EcsRole"}, env, tmp_path).access_key_id == "env-key"
    assert stub.requests == []


def test_assume_role_uses_the_base_credentials(stub, tmp_path):
    stub.script({"status": 200, "body": {"RequestId": "r", "Credentials": {
        "AccessKeyId": "STS.assumed", "AccessKeySecret": "assumed-secret", "SecurityToken": "assumed-token",
        "Expiration": "2099-01-01T00:00:00Z"}}})
    hidden = set()
    env = dict(ENV_KEYS, ALIBABA_CLOUD_STS_ENDPOINT=stub.url)
    params = {"assume_role_arn": "acs:ram::123:role/deployer", "assume_role_duration": 900}
    creds = resolve(params, env, tmp_path, no_log_values=hidden)
    assert creds == Credentials("STS.assumed", "assumed-secret", "assumed-token", creds.expiration)
    sent = stub.requests[0]
    assert sent["headers"]["x-acs-action"] == "AssumeRole" and sent["headers"]["x-acs-version"] == "2015-04-01"
    assert "Credential=env-key," in sent["headers"]["authorization"]
    assert sent["query"] == {"RoleArn": "acs:ram::123:role/deployer", "RoleSessionName": "ansible-alicloud-network",
                             "DurationSeconds": "900"}
    assert {"env-secret-do-not-leak", "assumed-secret", "assumed-token"} <= hidden


def test_ini_ram_role_arn_profile_assumes_the_role(stub, tmp_path):
    write_ini(tmp_path, "[default]\ntype = ram_role_arn\naccess_key_id = k\naccess_key_secret = s\n"
                        "role_arn = acs:ram::1:role/r\nrole_session_name = mine\n")
    stub.script({"status": 200, "body": {"RequestId": "req-sts", "Credentials": {
        "AccessKeyId": "STS.x", "AccessKeySecret": "y", "SecurityToken": "z"}}})
    creds = resolve({}, {"ALIBABA_CLOUD_STS_ENDPOINT": stub.url}, tmp_path)
    assert creds.access_key_id == "STS.x"
    assert stub.requests[0]["query"]["RoleSessionName"] == "mine"


def test_refreshing_provider_fetches_again_before_expiry():
    now = [1000.0]
    fetched = []

    def fetch():
        fetched.append(now[0])
        return Credentials("k%d" % len(fetched), "s", "t", now[0] + 3600)

    provider = RefreshingProvider(fetch, wallclock=lambda: now[0])
    assert provider.get().access_key_id == "k1" and provider.get().access_key_id == "k1"
    now[0] += 3600 - _credentials.REFRESH_MARGIN + 1
    assert provider.get().access_key_id == "k2" and len(fetched) == 2
