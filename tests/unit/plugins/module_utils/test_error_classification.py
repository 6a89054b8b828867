"""One classification of error codes for every module (plugins/module_utils/_errors.py)."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _client, _errors


@pytest.mark.parametrize("code, kind", [
    ("Throttling.User", _errors.RETRY),
    ("Throttling.Whatever", _errors.RETRY),             # the family
    ("TaskConflict", _errors.BUSY),
    ("IncorrectHaVipStatus", _errors.BUSY),
    ("IncorrectInstanceAssociationStatus", _errors.BUSY),
    ("LastTokenProcessing", _errors.BUSY),
    ("InstanceNotAssociated", _errors.ALREADY),
    ("InvalidAssociation.Duplicated", _errors.ALREADY),
    ("InvalidAllocationId.NotFound", _errors.FAIL),
    ("MissingHaVipId", _errors.FAIL),                   # ENS "Missing%s"
    ("InvalidInstanceType", _errors.FAIL),              # ENS "Invalid%s"
    ("Nobody.Knows", _errors.FAIL),
])
def test_each_code_has_one_kind(code, kind):
    assert _errors.classify(code).kind == kind


def test_hints_fill_placeholders_and_keep_them_when_unknown():
    assert "i-1" in _errors.hint("IncorrectInstanceVSwitch", instance_id="i-1", vswitch_id="vsw-1")
    assert "{vswitch_id}" in _errors.hint("IncorrectInstanceVSwitch", instance_id="i-1")
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" in _errors.hint("SignatureDoesNotMatch")
    assert _errors.hint("Nobody.Knows") is None


def test_no_code_has_two_kinds():
    tables = [_errors.RETRY_CODES, _errors.BUSY_CODES, _errors.ALREADY_CODES, _errors.FAIL_CODES]
    seen = {}
    for table in tables:
        for code in table:
            assert code not in seen, code
            seen[code] = table


def test_the_client_retries_exactly_the_retry_codes():
    assert set(_client.RETRY_CODES) == set(_errors.RETRY_CODES)


def test_every_documented_code_of_every_action_called_is_classified_explicitly():
    """The emulator's reference tables (tests/emulator/reference.py) list what the API reference pages document;
    each code needs its own entry, so a new page code is a decision, not a silent default."""
    from emulator import reference
    missing = sorted({code for action, code in reference.documented_codes() if code not in _errors.CLASSES})
    assert missing == []
