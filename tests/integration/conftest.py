"""Which integration tests also run on the declared minimum ansible-core.

`make test` runs the whole suite in .venv (the newest Python and ansible-core), then `scripts/test-min.sh` runs
the tests marked ``minimum`` again in .venv-min (Python 3.11 with the ansible-core that meta/runtime.yml's
requires_ansible names). Those are the module tests: every file named for a module (``test_<module>*.py``), so
a module's test file added later is included without further ado. The reliability matrix, the per-code runs and
the gates exercise the collection's own code paths (client, engine, tooling), which do not change with the
ansible-core version, and would double CI's time.
"""
from __future__ import annotations

import re

import pytest

MODULE_TEST = re.compile(r"test_(eip|havip)_(association|info)\w*\.py")


def pytest_itemcollected(item):
    if MODULE_TEST.fullmatch(item.path.name):
        item.add_marker(pytest.mark.minimum)
