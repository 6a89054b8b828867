"""The new actions answer only codes their reference table knows, with its HTTP status and message."""
import ast
import inspect
import re

import pytest

from emulator import ens_eip, reference_new_actions as ref, vpc_batch, vpc_havip

MODULES = {
    vpc_batch: ["vpc:AssociateEipAddressBatch"],
    vpc_havip: ["vpc:AssociateHaVip", "vpc:UnassociateHaVip", "vpc:DescribeHaVips"],
    ens_eip: ["ens:AssociateEnsEipAddress", "ens:UnAssociateEnsEipAddress", "ens:DescribeEnsEipAddresses"],
}
RAISED = re.compile(r'ApiError\(\s*(\d{3}),\s*f?"([^"]+)"')


@pytest.mark.parametrize("module", list(MODULES), ids=lambda m: m.__name__)
def test_every_code_a_handler_raises_is_in_the_table_with_its_status(module):
    source = inspect.getsource(module)
    raised = RAISED.findall(source)
    assert raised
    for status, code in raised:
        code = code.replace("{name}", "X")  # f"InvalidParameter.{name}" -> a pattern's instance
        known = [ref.known_code(key, code) for key in MODULES[module]]
        assert any(k and k[0] == int(status) for k in known), (module.__name__, code, status)


@pytest.mark.parametrize("module", list(MODULES), ids=lambda m: m.__name__)
def test_messages_in_the_table_are_the_ones_sent(module):
    strings = {node.value for node in ast.walk(ast.parse(inspect.getsource(module)))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}  # adjacent literals joined
    for key in MODULES[module]:
        for code, message in ref.MESSAGES.get(key, {}).items():
            if module is vpc_batch and code not in ("InvalidEip.EipQuotaExceeded", "QuotaExceeded.NumberOfEip",
                                                    "InvalidParameter.Mismatch",
                                                    "OperationFailed.EipBindModeConflict"):
                continue  # the others come from vpc.py's helpers (AssociateEipAddress's codes)
            assert message in strings, (key, code)


def test_every_action_has_a_page_statuses_and_both_tables():
    keys = {key for keys in MODULES.values() for key in keys}
    for table in (ref.PAGES, ref.DOCUMENTED_ERRORS, ref.ASSUMED_ERRORS, ref.STATUSES):
        assert set(table) == keys
    assert not any(set(ref.DOCUMENTED_ERRORS[k]) & set(ref.ASSUMED_ERRORS[k]) for k in keys)
