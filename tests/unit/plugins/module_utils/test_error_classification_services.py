"""Every code the reference lists for the actions of service=vpc (havip_association) and service=ens
(eip_association) is in the one classification (module_utils/_errors.py), with a kind and a hint.

The list is tests/emulator/reference.py (DOCUMENTED_ERRORS and ASSUMED_ERRORS, keyed "<product>:<Action>").
"""
from __future__ import annotations

import pytest
from emulator import reference

from ansible_collections.alicloud.network.plugins.module_utils import _errors

ACTIONS = ["vpc:AssociateHaVip", "vpc:UnassociateHaVip", "vpc:DescribeHaVips",
           "ens:AssociateEnsEipAddress", "ens:UnAssociateEnsEipAddress", "ens:DescribeEnsEipAddresses"]


def listed_codes():
    for key in ACTIONS:
        for table in (reference.DOCUMENTED_ERRORS, reference.ASSUMED_ERRORS):
            for code in table.get(key, {}):
                yield key, code


CASES = sorted(set(listed_codes()))


def test_the_reference_lists_codes_for_these_actions():
    assert set(ACTIONS) <= set(reference.NEW_ACTIONS)
    assert len(CASES) >= 30, CASES


@pytest.mark.parametrize("key, code", CASES, ids=["%s %s" % case for case in CASES])
def test_every_listed_code_has_a_kind_and_a_hint(key, code):
    if "%s" in code:
        # ENS's documented patterns (Invalid%s, Missing%s, InvalidParameter.%s) and the gateway's Missing<Name> /
        # Invalid<Name>: any instance of the pattern, classified by its family.
        found = _errors.classify(reference.concrete(code, "SomeField"))
    else:
        # A code of its own: listed by name, not caught by a family by accident.
        assert code in _errors.CLASSES, "%s (%s) is not in module_utils/_errors.py" % (code, key)
        found = _errors.CLASSES[code]
    kinds = (_errors.RETRY, _errors.BUSY, _errors.ALREADY, _errors.FAIL)
    assert found is not _errors.UNKNOWN and found.kind in kinds
    assert found.hint, "%s has no hint" % code


@pytest.mark.parametrize("code, kind", [
    ("ResourceNotAssociated", _errors.ALREADY),      # what UnassociateHaVip was asked already holds
    ("Forbidden.UnassociateMaster", _errors.FAIL),   # only force changes the answer
    ("IncorrectHaVipStatus", _errors.BUSY),
    ("OperationFailed.DistibuteLock", _errors.BUSY),
    ("CountLimitExceeded.HaVipOnECSInstance", _errors.FAIL),
    ("NotBelongToSameVSwitch", _errors.FAIL),
    ("IncorrectEipStatus", _errors.BUSY),
    ("InvalidUnAssociation.UnAssociateStandbyEipFist", _errors.FAIL),
    ("EipNotFound", _errors.FAIL),
])
def test_the_kinds_that_decide_what_a_task_does(code, kind):
    assert _errors.classify(code).kind == kind


def test_hints_name_the_option_that_helps():
    assert "force: true" in _errors.hint("Forbidden.UnassociateMaster", instance_id="i-1")
    assert "vsw-1" in _errors.hint("NotBelongToSameVSwitch", instance_id="i-1", vswitch_id="vsw-1")
    assert "standby" in _errors.hint("InvalidUnAssociation.UnAssociateStandbyEipFist")


def test_an_action_may_use_a_code_in_its_own_sense():
    """VPC AssociateHaVip's InvalidParameter may mean "already a member": read again; elsewhere it fails."""
    assert _errors.classify("InvalidParameter", "AssociateHaVip").kind == _errors.ALREADY
    assert _errors.classify("InvalidParameter", "AssociateEipAddress").kind == _errors.FAIL
    assert _errors.classify("InvalidParameter").kind == _errors.FAIL
    assert "member" in _errors.hint("InvalidParameter", "AssociateHaVip")


def test_codes_shared_with_other_actions_keep_one_kind_and_get_the_fitting_hint():
    for action in ("AssociateHaVip", "UnassociateHaVip", "UnassociateEipAddress"):
        assert _errors.classify("InvalidInstanceId.NotFound", action).kind == _errors.FAIL
    assert "NetworkInterface" in _errors.hint("InvalidInstanceId.NotFound", "AssociateHaVip", instance_id="i-1")
    assert "ENS node" in _errors.hint("InvalidParameter.InstanceId", "AssociateEnsEipAddress", instance_id="i-1")
    assert _errors.hint("InvalidParameter.InstanceId", "AssociateHaVip", instance_id="i-1") == \
        "check the instance ID i-1"
