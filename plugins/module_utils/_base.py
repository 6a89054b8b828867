# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AlicloudModule: what every module of this collection builds on.

It declares the shared options once, resolves region, endpoint and credentials,
builds one AlibabaClient per run and turns results and errors into exit_json /
fail_json the same way for every module.
"""

from __future__ import annotations

import os
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.alicloud.network.plugins.module_utils import _endpoints, _validation
from ansible_collections.alicloud.network.plugins.module_utils._client import (
    REQUESTS_IMPORT_ERROR,
    AlibabaClient,
    ApiError,
    new_session,
)
from ansible_collections.alicloud.network.plugins.module_utils._credentials import (
    CredentialsError,
    resolve_credentials,
    profile_region,
)
from ansible_collections.alicloud.network.plugins.module_utils._errors import hint as error_hint


# For modules that wait for a change to complete (AlicloudModule(waits=True)); each documents them in its own
# words, since what is waited for differs.
WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
)

# Documented once, in plugins/doc_fragments/alicloud.py: keep the two in step.
SHARED_ARGUMENT_SPEC = dict(
    access_key=dict(type="str", aliases=["access_key_id"], no_log=False),
    secret_key=dict(type="str", aliases=["access_key_secret"], no_log=True),
    security_token=dict(type="str", no_log=True),
    profile=dict(type="str", fallback=(env_fallback, ["ALIBABA_CLOUD_PROFILE"])),
    region=dict(type="str", aliases=["region_id"],
                fallback=(env_fallback, ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"])),
    endpoint=dict(type="str"),
    validate_certs=dict(type="bool", default=True),
    ca_bundle=dict(type="path"),
    assume_role_arn=dict(type="str"),
    assume_role_session_name=dict(type="str"),
    assume_role_duration=dict(type="int", default=3600),
    ecs_role_name=dict(type="str"),
    connect_timeout=dict(type="float", default=10.0),
    read_timeout=dict(type="float", default=30.0),
    max_retry_time=dict(type="float", default=60.0),
    allow_insecure_endpoint=dict(type="bool", default=False),
)


class AlicloudModule:
    """An AnsibleModule with the shared options, a lazily built client and uniform results."""

    def __init__(self, argument_spec=None, product="vpc", supports_check_mode=False, waits=False, **kwargs):
        spec = dict(SHARED_ARGUMENT_SPEC)
        if waits:
            spec.update(WAIT_ARGUMENT_SPEC)
        spec.update(argument_spec or {})
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode, **kwargs)
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self.params = self.module.params
        self._check_option_values()
        # One wait_timeout budget for the whole task of a module that waits: every wait, every "busy, try again"
        # and every retry of a call draws on it (None: calls are bounded by max_retry_time alone).
        self._deadline = time.monotonic() + self.params["wait_timeout"] if waits else None
        # The product (endpoint, API version, RegionId, ClientToken) is fixed here, before anything is resolved. A
        # module whose `service` option chooses the API passes a callable of the params, e.g.
        # product=lambda params: params["service"].
        self.product = product(self.params) if callable(product) else product
        self.request_ids = []
        self._client = None
        # Validate what can be checked locally before any request goes out.
        self.region = self._resolve_region()
        self.endpoint = self._resolve_endpoint()
        self._check_endpoint_transport()
        self._check_ca_bundle()

    @property
    def check_mode(self):
        return self.module.check_mode

    # ---- resolution -------------------------------------------------------------

    def _resolve_region(self):
        region = self.params.get("region") or profile_region(self.params.get("profile"))
        if not region:
            if _endpoints.PRODUCTS[self.product].regional:
                self.fail("No region given: set the region option, ALIBABA_CLOUD_REGION_ID or ALICLOUD_REGION.")
            return None
        problem = _validation.region_problem("region", region)
        if problem:
            self.fail(problem + ".")
        return region

    def _resolve_endpoint(self):
        try:
            return _endpoints.resolve(self.product, self.region, self.params.get("endpoint"))
        except ValueError as exc:
            self.fail(str(exc))

    def _check_option_values(self):
        """Numbers in range, before anything uses them (a nan retry budget never ends)."""
        # The invocation echoed with any failure must not show a password given in the endpoint option.
        self.module.no_log_values.update(_validation.userinfo_secrets(self.params.get("endpoint")))
        problems = _validation.number_problems(self.params)
        if problems:
            self.module.fail_json(msg="Invalid options: %s." % "; ".join(problems))

    def _check_endpoint_transport(self):
        problem = _validation.insecure_endpoint_problem(self.endpoint, "endpoint",
                                                        self.params["allow_insecure_endpoint"])
        if problem:
            self.fail(problem + ".")

    def _check_ca_bundle(self):
        path = self.params.get("ca_bundle")
        if path and not os.path.isfile(path):
            self.fail("ca_bundle %s is not a readable file." % path)

    def _build_client(self):
        session = new_session(verify=self.params["ca_bundle"] or self.params["validate_certs"])
        timeouts = dict(connect_timeout=self.params["connect_timeout"],
                        read_timeout=self.params["read_timeout"],
                        max_retry_time=self.params["max_retry_time"])
        try:
            credentials = resolve_credentials(self.params, session=session,
                                              no_log_values=self.module.no_log_values, **timeouts)
        except CredentialsError as exc:
            self.fail(str(exc))
        except ApiError as exc:
            self.fail_api(exc, exc.action or "AssumeRole")
        return AlibabaClient(self.endpoint, _endpoints.PRODUCTS[self.product].version, credentials,
                             session=session, **timeouts)

    @property
    def client(self):
        if self._client is None:
            self._client = self._build_client()
        return self._client

    # ---- calls and waiting --------------------------------------------------------

    def call(self, action, params, mutating=False):
        """Call `action`; VPC calls get RegionId, mutating ones a stable ClientToken."""
        params = dict(params or {})
        product = _endpoints.PRODUCTS[self.product]
        if product.takes_region_id and self.region:
            params.setdefault("RegionId", self.region)
        try:
            result = self.client.call(action, params, idempotent=mutating and product.takes_client_token,
                                      mutating=mutating, deadline=self._deadline,
                                      method="GET" if action in product.get_actions else "POST")
        except CredentialsError as exc:  # temporary credentials could not be renewed mid-run
            self.fail(str(exc))
        if mutating and result.get("RequestId"):
            self.request_ids.append(result["RequestId"])
        return result

    def remaining(self):
        """Seconds left of the task's wait_timeout budget (0 for a module that does not wait)."""
        return max(0.0, self._deadline - time.monotonic()) if self._deadline is not None else 0.0

    # ---- results ------------------------------------------------------------------

    @staticmethod
    def api_error_message(err, action=None, hint=None):
        """'<Action> failed: <Code>: <message> (request id ...). Hint: ...' for a failed call."""
        msg = "%s failed: %s: %s" % (action or err.action or "the API call", err.code, err.message)
        details = []
        if err.request_id:
            details.append("request id %s" % err.request_id)
        if err.attempts > 1:
            details.append("gave up after %d attempts" % err.attempts)
        if details:
            msg += " (%s)" % "; ".join(details)
        if not msg.endswith("."):
            msg += "."
        if hint:
            msg += " Hint: %s" % hint
        return msg

    def fail_api(self, err, action=None, hint=None):
        """fail_json for a failed call: code, message, request id, and a hint (the classification's by default)."""
        self.fail(self.api_error_message(err, action, hint or error_hint(err.code)), error=err.to_dict())

    def fail(self, msg, **kwargs):
        kwargs.setdefault("request_ids", list(self.request_ids))
        self.module.fail_json(msg=msg, **kwargs)

    def exit(self, changed, before=None, after=None, **result):
        if self.module._diff:
            result["diff"] = dict(before=before if before is not None else {},
                                  after=after if after is not None else {})
        result.setdefault("request_ids", list(self.request_ids))
        self.module.exit_json(changed=changed, **result)
