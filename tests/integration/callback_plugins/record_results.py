# Test-only callback: appends every task result as one JSON line to $RECORD_RESULTS_FILE,
# so tests read what each task returned without parsing Ansible's human output.
from __future__ import annotations

DOCUMENTATION = """
name: record_results
type: notification
short_description: Write each task result as a JSON line (test suite only)
description:
  - Appends one JSON object per task result to the file named by E(RECORD_RESULTS_FILE).
options: {}
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        path = os.environ.get("RECORD_RESULTS_FILE")
        if not path:
            return
        task = result._task
        entry = {
            "host": result._host.get_name(),
            "task": task.get_name(),
            "action": task.action,
            "status": status,
            "finished_at": time.time(),
            "result": self._clean(result._result),
        }
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, default=str) + "\n")

    @staticmethod
    def _clean(data):
        try:
            return json.loads(json.dumps(data, default=str))
        except (TypeError, ValueError):
            return {"unserializable": repr(data)}

    def v2_runner_on_ok(self, result):
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed")
