"""The association engine (plugins/module_utils/_association.py) on a tiny resource: a light with one owner."""
from __future__ import annotations

import pytest
from task_doubles import Ended, FakeModule

from ansible_collections.alicloud.network.plugins.module_utils import _association
from ansible_collections.alicloud.network.plugins.module_utils._association import AssociationTask, Change
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    monkeypatch.setattr(_association.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(_association, "wait_until", _instant_wait_until)


def _instant_wait_until(read, done, timeout, what):
    for attempt in range(20):  # bounded: a wait that never ends is a failed test
        resource = read()
        if done(resource):
            return resource
    raise _association.WaitTimeout(what, resource, timeout)


class Light(AssociationTask):
    """A resource with an owner; 'Moving' while a change is under way."""

    result_key = "light"

    def __init__(self, module, reads):
        super().__init__(module)
        self.reads = reads            # the states read, in order; the last one repeats
        self.aborted = False

    def read(self):
        return self.reads.pop(0) if len(self.reads) > 1 else self.reads[0]

    def plan(self, light, /):
        wanted = self.params["owner"]
        if light["owner"] == wanted:
            return []
        return [Change("Bind", {"Owner": wanted}, lambda r: r["owner"] == wanted and r["status"] == "On",
                       "light to be on for %s" % wanted, subject=wanted)]

    def predict(self, light, /, changes, settled=True):
        return dict(light, owner=self.params["owner"], status="On" if settled else "Moving")

    def view(self, light, /):
        return dict(light)

    def diff_view(self, light, /):
        return dict(owner=light["owner"])

    def is_settled(self, light, /):
        return light["status"] != "Moving"

    def describe_state(self, light, /):
        return "%s, owner %s" % (light["status"] if light else "?", light["owner"] if light else "?")

    def describe_subject(self):
        return "the light"

    def not_found(self):
        return "no light"

    def on_abort(self):
        self.aborted = True
        return "Put back."


def run(task):
    with pytest.raises(Ended) as ended:
        task.run()
    return ended.value


def accept(action, params):
    return {"RequestId": "req-1"}


OFF = {"owner": None, "status": "Off"}
MOVING = {"owner": "me", "status": "Moving"}
ON = {"owner": "me", "status": "On"}


def test_nothing_to_do_reads_once_and_reports_unchanged():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept)
    end = run(Light(module, [dict(ON)]))
    assert (end.failed, end.result["changed"], module.calls) == (False, False, [])


def test_a_change_is_made_then_waited_for():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept)
    end = run(Light(module, [dict(OFF), dict(OFF), dict(MOVING), dict(ON)]))
    assert end.result["changed"] is True
    assert end.result["light"] == ON
    assert end.result["diff"] == {"before": {"owner": None}, "after": {"owner": "me"}}
    assert module.calls == [("Bind", {"Owner": "me"})]


def test_check_mode_predicts_and_calls_nothing():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept, check_mode=True)
    end = run(Light(module, [dict(OFF)]))
    assert (end.result["changed"], end.result["light"], module.calls) == (True, ON, [])


def test_wait_false_returns_the_prediction_in_progress():
    module = FakeModule({"owner": "me", "wait": False, "wait_timeout": 30}, accept)
    end = run(Light(module, [dict(OFF)]))
    assert end.result["light"] == {"owner": "me", "status": "Moving"}


def test_a_transient_state_is_waited_out_before_deciding():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept)
    end = run(Light(module, [{"owner": "me", "status": "Moving"}, dict(ON)]))
    assert (end.result["changed"], module.calls) == (False, [])


def test_busy_answer_reads_again_and_tries_again():
    answers = [ApiError("Bind", "TaskConflict", "busy", http_status=400), {"RequestId": "req-2"}]

    def api(action, params):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, api)
    end = run(Light(module, [dict(OFF), dict(OFF), dict(OFF), dict(ON)]))
    assert end.result["changed"] is True
    assert [c[0] for c in module.calls] == ["Bind", "Bind"]


def test_a_lost_answer_whose_change_holds_counts_as_this_tasks_change():
    def api(action, params):
        raise ApiError(action, "ConnectionError", "dropped after sending", outcome_unknown=True)
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, api)
    end = run(Light(module, [dict(OFF), dict(ON)]))
    assert (end.failed, end.result["changed"]) == (False, True)


def test_a_refusal_for_good_fails_through_the_funnel_with_the_hint():
    def api(action, params):
        raise ApiError(action, "IncorrectInstanceVSwitch", "other vswitch", request_id="req-9", http_status=400)
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, api)
    task = Light(module, [dict(OFF)])
    end = run(task)
    assert end.failed and task.aborted
    assert "Bind failed: IncorrectInstanceVSwitch" in end.result["msg"] and "req-9" in end.result["msg"]
    assert "me must be on the HAVIP's vSwitch" in end.result["msg"]      # subject filled into the hint
    assert end.result["msg"].endswith("Put back.")
    assert end.result["error"]["code"] == "IncorrectInstanceVSwitch"
    assert end.result["changed"] is False


def test_a_race_lost_after_the_own_change_fails_at_once_and_says_changed():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept)
    end = run(Light(module, [dict(OFF), dict(OFF), {"owner": "you", "status": "On"}]))
    assert end.failed and end.result["changed"] is True
    assert "overridden" in end.result["msg"] and "you" in end.result["msg"]


def test_a_stale_read_after_the_change_is_not_taken_for_a_lost_race():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 30}, accept)
    end = run(Light(module, [dict(OFF), dict(OFF), dict(OFF), dict(ON)]))
    assert (end.failed, end.result["changed"]) == (False, True)


def test_budget_spent_fails_naming_wait_timeout_and_the_last_state():
    module = FakeModule({"owner": "me", "wait": True, "wait_timeout": 7}, accept, budget=0)
    end = run(Light(module, [dict(OFF), {"owner": "me", "status": "Moving"}]))
    assert end.failed and end.result["changed"] is True
    assert end.result["msg"].startswith("Timed out after 7s (wait_timeout) waiting for light to be on for me")
    assert end.result["light"] == {"owner": "me", "status": "Moving"}
