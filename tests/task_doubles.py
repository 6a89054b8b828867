"""A stand-in for AlicloudModule, so the association engine and the modules' decisions run without a process."""
from __future__ import annotations

from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule


class Ended(Exception):
    """exit_json / fail_json was called; `result` is what the module returned."""

    def __init__(self, failed, result):
        super().__init__(result.get("msg"))
        self.failed = failed
        self.result = result


class FakeModule:
    """params, call() answered by `api(action, params)`, a budget that never runs out unless told, check mode."""

    region = "cn-hangzhou"
    api_error_message = staticmethod(AlicloudModule.api_error_message)

    def __init__(self, params, api=None, check_mode=False, budget=30.0):
        self.params = dict(params)
        self.api = api
        self.check_mode = check_mode
        self.budget = budget
        self.calls = []

    def call(self, action, params, mutating=False):
        self.calls.append((action, dict(params)))
        return self.api(action, params)

    def remaining(self):
        return self.budget

    def fail(self, msg, **result):
        raise Ended(True, dict(result, msg=msg))

    def exit(self, changed, before=None, after=None, **result):
        raise Ended(False, dict(result, changed=changed, diff=dict(before=before, after=after)))
