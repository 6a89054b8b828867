# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every module of alicloud.network shares (argument spec: module_utils/_base.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
requirements:
  - requests >= 2.25
options:
  access_key:
    description:
      - Alibaba Cloud AccessKey ID.
      - Credentials are taken from the first source that has them, in this order
        C(access_key)/C(secret_key) options; the environment (E(ALIBABA_CLOUD_ACCESS_KEY_ID),
        E(ALIBABA_CLOUD_ACCESS_KEY_SECRET), E(ALIBABA_CLOUD_SECURITY_TOKEN), or E(ALICLOUD_ACCESS_KEY),
        E(ALICLOUD_SECRET_KEY), E(ALICLOUD_SECURITY_TOKEN)); the profile named by O(profile) (or the default
        one) in C(~/.alibabacloud/credentials) and the aliyun CLI's C(~/.aliyun/config.json);
        the ECS instance RAM role O(ecs_role_name). O(assume_role_arn) then exchanges them for a role's
        temporary credentials.
    type: str
    aliases: [access_key_id]
  secret_key:
    description:
      - Alibaba Cloud AccessKey secret. Never logged or returned.
    type: str
    aliases: [access_key_secret]
  security_token:
    description:
      - STS security token, for temporary credentials.
    type: str
  profile:
    description:
      - Name of a profile in the Alibaba Cloud credentials file (INI, C(~/.alibabacloud/credentials),
        path overridable with E(ALIBABA_CLOUD_CREDENTIALS_FILE); types C(access_key), C(sts),
        C(ram_role_arn), C(ecs_ram_role)) or in the aliyun CLI's C(~/.aliyun/config.json)
        (modes C(AK), C(StsToken), C(RamRoleArn), C(EcsRamRole)).
      - Falls back to E(ALIBABA_CLOUD_PROFILE); without either the C(default) INI section and the CLI's
        current profile are used if present.
    type: str
  region:
    description:
      - Region ID, for example V(cn-hangzhou).
      - Falls back to E(ALIBABA_CLOUD_REGION_ID), then E(ALICLOUD_REGION), then the profile's region.
      - Required for VPC; it selects the endpoint the way the official SDK does.
    type: str
    aliases: [region_id]
  endpoint:
    description:
      - Full URL of the API endpoint, scheme included, for example V(https://vpc.aliyuncs.com).
      - Falls back to E(ALIBABA_CLOUD_VPC_ENDPOINT) (VPC modules) or E(ALIBABA_CLOUD_ENS_ENDPOINT) (ENS modules);
        without either it is derived from the region.
    type: str
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate.
    type: bool
    default: true
  ca_bundle:
    description:
      - Path of a CA bundle to verify the endpoint's certificate with instead of the system one.
    type: path
  assume_role_arn:
    description:
      - ARN of a RAM role to assume with STS AssumeRole, using the credentials found as described in
        O(access_key); the role's temporary credentials are then used for every call.
      - The STS endpoint is V(https://sts.aliyuncs.com), overridable with E(ALIBABA_CLOUD_STS_ENDPOINT).
    type: str
  assume_role_session_name:
    description:
      - Session name for O(assume_role_arn). Defaults to V(ansible-alicloud-network).
    type: str
  assume_role_duration:
    description:
      - Lifetime in seconds of the credentials from O(assume_role_arn); 900 to 43200.
    type: int
    default: 3600
  ecs_role_name:
    description:
      - Name of the RAM role attached to the ECS instance this runs on; its temporary credentials are read
        from the ECS metadata service (V(http://100.100.100.200), overridable with
        E(ALIBABA_CLOUD_ECS_METADATA_ENDPOINT)).
      - Used only when no other credentials are found.
    type: str
  connect_timeout:
    description:
      - Seconds to wait for a connection to the endpoint; more than 0, at most 300.
    type: float
    default: 10.0
  read_timeout:
    description:
      - Seconds within which the whole answer to one request must have arrived, counted from the start of
        the request (a body that trickles in is cut off); more than 0, at most 3600. Answers larger than a few MiB
        are refused, and redirects are never followed.
    type: float
    default: 30.0
  max_retry_time:
    description:
      - Upper bound in seconds on the time spent retrying one call after throttling, server errors,
        dropped connections or timeouts (capped exponential backoff with full jitter); 0 to 3600.
      - A refused connection is tried only a few times within about 2 seconds.
    type: float
    default: 60.0
  allow_insecure_endpoint:
    description:
      - Allow an O(endpoint) (or E(ALIBABA_CLOUD_VPC_ENDPOINT), E(ALIBABA_CLOUD_ENS_ENDPOINT)) with plain
        C(http://) to a host other than this machine. Requests, including the security token of temporary
        credentials, then travel unencrypted; only for trusted networks. C(http://) to C(localhost) or a loopback
        address is always allowed.
      - An endpoint that carries a user name or password (C(http://user:password@host)) is always refused.
    type: bool
    default: false
notes:
  - Requires the Python library C(requests) on the host that runs the module (usually the controller).
  - Mutating VPC calls carry one C(ClientToken) across all their retries, so a retried request never acts twice.
"""
