# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credentials chain: options > environment > profile files > AssumeRole > ECS metadata.

Every secret found is added to the module's no_log_values so Ansible masks it anywhere it
might appear; nothing here logs or formats a secret into a message.
"""

from __future__ import annotations

import calendar
import configparser
import json
import os
import time
from collections import namedtuple

from ansible_collections.alicloud.network.plugins.module_utils import _endpoints, _validation
from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, requests

Credentials = namedtuple("Credentials", "access_key_id access_key_secret security_token expiration")
Credentials.__new__.__defaults__ = (None, None)

# Where a profile or role led us, before any network call: base credentials and/or what to fetch.
Source = namedtuple("Source", "where credentials role_arn session_name duration ecs_role region")
Source.__new__.__defaults__ = (None,) * 6

ENV_KEY_SETS = (
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
    ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
)
DEFAULT_METADATA_ENDPOINT = "http://100.100.100.200"
METADATA_ENDPOINT_ENV = "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT"
DEFAULT_SESSION_NAME = "ansible-alicloud-network"
REFRESH_MARGIN = 180  # seconds before expiry at which temporary credentials are fetched again


class CredentialsError(Exception):
    """No usable credentials, or a credentials source that is broken; the message says where."""


# ---- providers: what AlibabaClient calls ------------------------------------------------


class StaticProvider:
    def __init__(self, credentials):
        self._credentials = credentials

    def get(self):
        return self._credentials


class RefreshingProvider:
    """Temporary credentials (STS, ECS metadata) fetched again shortly before they expire."""

    def __init__(self, fetch, on_new=None, wallclock=time.time):
        self._fetch, self._on_new, self._wallclock = fetch, on_new, wallclock
        self._credentials = None

    def get(self):
        creds = self._credentials
        if creds is None or (creds.expiration and creds.expiration - self._wallclock() < REFRESH_MARGIN):
            creds = self._fetch()
            if self._on_new:
                self._on_new(creds)
            self._credentials = creds
        return creds


# ---- the chain ------------------------------------------------------------------------------


def resolve_credentials(params, session, no_log_values=None, environ=None, home=None,
                        connect_timeout=10.0, read_timeout=30.0, max_retry_time=60.0):
    """Return a provider (with .get()) for the first credentials source that is configured."""
    environ = os.environ if environ is None else environ
    hide = _hider(no_log_values)
    looked = []
    source = (_from_options(params, looked) or _from_environment(environ, looked)
              or _from_profiles(params.get("profile") or environ.get("ALIBABA_CLOUD_PROFILE"),
                                environ, home, looked))
    if source is None and params.get("ecs_role_name"):
        source = Source(where="ecs_role_name option", ecs_role=params["ecs_role_name"])
    if source is None:
        looked.append("the ecs_role_name option (not set)")
        raise CredentialsError("No Alibaba Cloud credentials found. Looked at: %s." % "; ".join(looked))

    timeouts = dict(connect_timeout=connect_timeout, read_timeout=read_timeout)
    if source.credentials:
        hide(source.credentials)
        base = StaticProvider(source.credentials)
    else:
        base = RefreshingProvider(lambda: fetch_ecs_credentials(session, source.ecs_role, environ, **timeouts),
                                  on_new=hide)
        base.get()  # fail now, with a clear message, rather than on the first API call

    role_arn = params.get("assume_role_arn") or source.role_arn
    if not role_arn:
        return base
    session_name = params.get("assume_role_session_name") or source.session_name or DEFAULT_SESSION_NAME
    duration = params.get("assume_role_duration") or source.duration or 3600

    def assume():
        return assume_role(session, base, role_arn, session_name, duration, environ,
                           max_retry_time=max_retry_time, **timeouts)

    provider = RefreshingProvider(assume, on_new=hide)
    provider.get()
    return provider


def profile_region(profile_name, environ=None, home=None):
    """The region a profile names (aliyun CLI `region_id`, INI `region_id`), or None."""
    environ = os.environ if environ is None else environ
    try:
        source = _from_profiles(profile_name or environ.get("ALIBABA_CLOUD_PROFILE"), environ, home, [])
    except CredentialsError:
        return None
    return source.region if source else None


def _hider(no_log_values):
    """Return a function that registers a credential's secret parts with Ansible's masking."""
    def hide(creds):
        if no_log_values is not None:
            for secret in (creds.access_key_secret, creds.security_token):
                if secret:
                    no_log_values.add(secret)
    return hide


def _from_options(params, looked):
    key, secret = params.get("access_key"), params.get("secret_key")
    if key and secret:
        return Source(where="module options", credentials=Credentials(key, secret, params.get("security_token")))
    if key or secret:
        raise CredentialsError("access_key and secret_key must be given together; only %s was set"
                               % ("access_key" if key else "secret_key"))
    looked.append("the access_key/secret_key options (not set)")
    return None


def _from_environment(environ, looked):
    for key_name, secret_name, token_name in ENV_KEY_SETS:
        key, secret = environ.get(key_name), environ.get(secret_name)
        if key and secret:
            return Source(where="environment", credentials=Credentials(key, secret, environ.get(token_name)))
    looked.append("environment variables %s (not set)"
                  % ", ".join("%s/%s" % names[:2] for names in ENV_KEY_SETS))
    return None


def _from_profiles(name, environ, home, looked):
    """A named profile (or the default one) from the SDK's INI file, then from the aliyun CLI config."""
    home = home or os.path.expanduser("~")
    ini_path = environ.get("ALIBABA_CLOUD_CREDENTIALS_FILE") or os.path.join(home, ".alibabacloud", "credentials")
    cli_path = os.path.join(home, ".aliyun", "config.json")
    source = _from_ini(ini_path, name or "default", looked) or _from_cli_config(cli_path, name, looked)
    if source is None and name:
        raise CredentialsError("profile %r not found in %s or %s" % (name, ini_path, cli_path))
    return source


def _from_ini(path, name, looked):
    if not os.path.isfile(path):
        looked.append("profile %r in %s (no such file)" % (name, path))
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        raise CredentialsError("cannot parse the credentials file %s" % path)
    if not parser.has_section(name):
        looked.append("profile %r in %s (no such section)" % (name, path))
        return None
    section = parser[name]
    where = "profile %r in %s" % (name, path)
    kind = section.get("type", "access_key")
    keys = Credentials(section.get("access_key_id"), section.get("access_key_secret"),
                       section.get("security_token"))
    region = section.get("region_id")
    if kind in ("access_key", "sts"):
        return _checked(Source(where=where, credentials=keys, region=region))
    if kind == "ram_role_arn":
        return _checked(Source(where=where, credentials=keys, role_arn=section.get("role_arn"),
                               session_name=section.get("role_session_name"), region=region))
    if kind == "ecs_ram_role":
        return Source(where=where, ecs_role=section.get("role_name"), region=region)
    raise CredentialsError("%s: credential type %r is not supported" % (where, kind))


def _from_cli_config(path, name, looked):
    if not os.path.isfile(path):
        looked.append("aliyun CLI profile in %s (no such file)" % path)
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError):
        raise CredentialsError("cannot parse the aliyun CLI config %s" % path)
    name = name or config.get("current") or "default"
    profile = next((p for p in config.get("profiles", []) if p.get("name") == name), None)
    if profile is None:
        looked.append("aliyun CLI profile %r in %s (not there)" % (name, path))
        return None
    return _cli_profile_source(profile, "aliyun CLI profile %r in %s" % (name, path))


def _cli_profile_source(profile, where):
    mode = profile.get("mode", "AK")
    keys = Credentials(profile.get("access_key_id"), profile.get("access_key_secret"), profile.get("sts_token"))
    region = profile.get("region_id")
    if mode in ("AK", "StsToken"):
        return _checked(Source(where=where, credentials=keys, region=region))
    if mode == "RamRoleArn":
        return _checked(Source(where=where, credentials=keys, role_arn=profile.get("ram_role_arn"),
                               session_name=profile.get("ram_session_name"),
                               duration=profile.get("expired_seconds"), region=region))
    if mode == "EcsRamRole":
        return Source(where=where, ecs_role=profile.get("ram_role_name"), region=region)
    raise CredentialsError("%s: mode %r is not supported" % (where, mode))


def _checked(source):
    creds = source.credentials
    if not (creds.access_key_id and creds.access_key_secret):
        raise CredentialsError("%s lacks access_key_id or access_key_secret" % source.where)
    return source


# ---- temporary credentials ----------------------------------------------------------------


def _expiration(text):
    """'2015-04-09T11:52:19Z' -> epoch seconds; None when absent or unreadable."""
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except (TypeError, ValueError):
        return None


def fetch_ecs_credentials(session, role_name, environ=None, connect_timeout=10.0, read_timeout=30.0):
    """Temporary credentials of the instance RAM role from the ECS metadata service (IMDSv2 when offered)."""
    environ = os.environ if environ is None else environ
    base = (environ.get(METADATA_ENDPOINT_ENV) or DEFAULT_METADATA_ENDPOINT).rstrip("/")
    problem = _validation.userinfo_problem(base, METADATA_ENDPOINT_ENV)
    if problem:
        raise CredentialsError(problem)
    # The metadata service is local to the instance: never send it through a proxy, nor follow it elsewhere.
    options = dict(timeout=(min(connect_timeout, 5.0), min(read_timeout, 5.0)),
                   proxies={"http": None, "https": None}, allow_redirects=False)
    try:
        headers = _metadata_token_header(session, base, options)
        if not role_name:
            role_name = _metadata_get(session, base + "/latest/meta-data/ram/security-credentials/",
                                      headers, options).strip().splitlines()[0]
        text = _metadata_get(session, base + "/latest/meta-data/ram/security-credentials/" + role_name,
                             headers, options)
    except (requests.exceptions.RequestException, IndexError) as exc:
        raise CredentialsError("cannot get credentials for ECS RAM role %r from the metadata service at %s (%s)"
                               % (role_name, base, type(exc).__name__))
    try:
        data = json.loads(text)
    except ValueError:
        data = {}
    if data.get("Code", "Success") != "Success" or not data.get("AccessKeyId"):
        raise CredentialsError("the metadata service at %s gave no credentials for ECS RAM role %r"
                               % (base, role_name))
    return Credentials(data["AccessKeyId"], data["AccessKeySecret"], data.get("SecurityToken"),
                       _expiration(data.get("Expiration")))


def _metadata_token_header(session, base, options):
    """IMDSv2: a session token if the service hands one out; otherwise fall back to plain reads."""
    try:
        response = session.put(base + "/latest/api/token",
                               headers={"X-aliyun-ecs-metadata-token-ttl-seconds": "21600"}, **options)
    except requests.exceptions.RequestException:
        return {}
    if response.status_code == 200 and response.text:
        return {"X-aliyun-ecs-metadata-token": response.text.strip()}
    return {}


def _metadata_get(session, url, headers, options):
    response = session.get(url, headers=headers, **options)
    response.raise_for_status()
    return response.text


def assume_role(session, base_provider, role_arn, session_name, duration, environ=None,
                connect_timeout=10.0, read_timeout=30.0, max_retry_time=60.0):
    """STS AssumeRole signed with the base credentials; returns the temporary Credentials."""
    endpoint = _endpoints.resolve("sts", None, environ=environ)
    client = AlibabaClient(endpoint, _endpoints.PRODUCTS["sts"].version, base_provider, session=session,
                           connect_timeout=connect_timeout, read_timeout=read_timeout,
                           max_retry_time=max_retry_time)
    answer = client.call("AssumeRole", {"RoleArn": role_arn, "RoleSessionName": session_name,
                                        "DurationSeconds": int(duration)})
    data = answer.get("Credentials") or {}
    if not data.get("AccessKeyId"):
        raise CredentialsError("STS AssumeRole for %s returned no credentials" % role_arn)
    return Credentials(data["AccessKeyId"], data["AccessKeySecret"], data.get("SecurityToken"),
                       _expiration(data.get("Expiration")))
