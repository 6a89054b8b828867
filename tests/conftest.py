"""Test-suite wiring shared by every test folder.

* Makes the checkout importable as ``ansible_collections.alicloud.network`` (ansible-core's layout) by linking
  it into a temporary directory, without moving it.
* ``emulator``: a fresh Alibaba Cloud API emulator per test (tests/emulator).
* ``ansible``: runs real ``ansible-playbook`` / ``ansible`` processes against that emulator and hands back
  every task result (tests/ansible_process.py; recorded by tests/integration/callback_plugins/record_results.py).
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent


def _collections_root() -> Path:
    """The directory that holds ``ansible_collections/alicloud/network`` pointing at this checkout."""
    if REPO_ROOT.parent.name == "alicloud" and REPO_ROOT.parent.parent.name == "ansible_collections":
        return REPO_ROOT.parent.parent.parent
    preset = os.environ.get("ALICLOUD_COLLECTIONS_ROOT")
    if preset:
        return Path(preset)
    root = Path(tempfile.mkdtemp(prefix="alicloud-collections-"))
    namespace = root / "ansible_collections" / "alicloud"
    namespace.mkdir(parents=True)
    (namespace / "network").symlink_to(REPO_ROOT, target_is_directory=True)
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


COLLECTIONS_ROOT = _collections_root()
for _path in (str(COLLECTIONS_ROOT), str(TESTS_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture
def emulator():
    """A running emulator with the seed state and 0.3 s transitions; stopped after the test."""
    from emulator import Emulator

    emu = Emulator(transition_seconds=0.3).start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def ansible(emulator, tmp_path):
    """An AnsibleRunner (tests/ansible_process.py) wired to this test's emulator."""
    from ansible_process import AnsibleRunner

    return AnsibleRunner(emulator, tmp_path, COLLECTIONS_ROOT)
