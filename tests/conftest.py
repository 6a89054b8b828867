"""Test-suite wiring shared by every test folder.

* Makes the checkout importable as ``ansible_collections.alicloud.network`` (ansible-core's layout) by linking
  it into a temporary directory, without moving it.
* ``emulator``: a fresh Alibaba Cloud API emulator per test (tests/emulator).
* ``ansible``: runs real ``ansible-playbook`` / ``ansible`` processes against that emulator and hands back
  every task result (recorded by tests/integration/callback_plugins/record_results.py).
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
CALLBACK_DIR = TESTS_DIR / "integration" / "callback_plugins"

# What the emulator's seed accepts (tests/emulator/data/seed.json).
TEST_ACCESS_KEY = "LTAI5tEmuTestAccessKey"
TEST_SECRET_KEY = "EmuSecret-0c3a9f7e-do-not-leak"
TEST_REGION = "cn-hangzhou"


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


@dataclass
class AnsibleRun:
    """What one ansible process did: exit code, output and every task result it recorded."""

    rc: int
    stdout: str
    stderr: str
    results: list = field(default_factory=list)

    def task(self, name: str, host: str | None = None) -> dict:
        """The last recorded result of the task called ``name`` (on ``host`` when given)."""
        matches = [r for r in self.results if r["task"] == name and (host is None or r["host"] == host)]
        if not matches:
            raise AssertionError(f"no result for task {name!r}; recorded: {[r['task'] for r in self.results]}\n{self.stdout}\n{self.stderr}")
        return matches[-1]

    @property
    def last(self) -> dict:
        if not self.results:
            raise AssertionError(f"no task result recorded\n{self.stdout}\n{self.stderr}")
        return self.results[-1]


class AnsibleRunner:
    """Runs ansible-playbook and ad-hoc ansible against one emulator, as a user would from a shell."""

    def __init__(self, emulator, workdir: Path):
        self.emulator = emulator
        self.workdir = workdir
        self.bin_dir = Path(sys.executable).parent
        self.inventory = workdir / "inventory.ini"
        self.inventory.write_text(
            f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n",
            encoding="utf-8",
        )

    def env(self, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "ALICLOUD_", "ANSIBLE_"))}
        env.update(
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_ROOT),
            ANSIBLE_CALLBACK_PLUGINS=str(CALLBACK_DIR),
            ANSIBLE_CALLBACKS_ENABLED="record_results",
            ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
            ANSIBLE_HOME=str(self.workdir / ".ansible"),
            ANSIBLE_LOCAL_TEMP=str(self.workdir / ".ansible" / "tmp"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            ANSIBLE_DEPRECATION_WARNINGS="0",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ALIBABA_CLOUD_ACCESS_KEY_ID=TEST_ACCESS_KEY,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET=TEST_SECRET_KEY,
            ALIBABA_CLOUD_REGION_ID=TEST_REGION,
            ALIBABA_CLOUD_VPC_ENDPOINT=self.emulator.url,
            ALIBABA_CLOUD_ENS_ENDPOINT=self.emulator.url,
            HOME=str(self.workdir),
        )
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        return env

    def playbook(self, playbook, *args, env=None, check=False, diff=False, inventory=None, timeout=300) -> AnsibleRun:
        """Run a playbook given as a path or as YAML text."""
        path = Path(playbook) if isinstance(playbook, Path) else None
        if path is None:
            path = self.workdir / f"playbook-{len(list(self.workdir.glob('playbook-*.yml')))}.yml"
            path.write_text(playbook, encoding="utf-8")
        cmd = [str(self.bin_dir / "ansible-playbook"), "-i", str(inventory or self.inventory), str(path)]
        return self._run(cmd + self._flags(check, diff) + list(args), env, timeout)

    def module(self, name, module_args, *args, env=None, check=False, diff=False, timeout=300) -> AnsibleRun:
        """Ad-hoc: ``ansible localhost -m alicloud.network.NAME -a ARGS`` (ARGS a dict or a k=v string)."""
        if not isinstance(module_args, str):
            module_args = json.dumps(module_args)
        cmd = [str(self.bin_dir / "ansible"), "localhost", "-i", str(self.inventory),
               "-m", f"alicloud.network.{name}", "-a", module_args]
        return self._run(cmd + self._flags(check, diff) + list(args), env, timeout)

    @staticmethod
    def _flags(check, diff):
        return (["--check"] if check else []) + (["--diff"] if diff else [])

    def _run(self, cmd, env, timeout) -> AnsibleRun:
        record = self.workdir / "results.jsonl"
        record.unlink(missing_ok=True)
        full_env = self.env(env)
        full_env["RECORD_RESULTS_FILE"] = str(record)
        proc = subprocess.run(cmd, cwd=self.workdir, env=full_env, capture_output=True, text=True, timeout=timeout)
        results = []
        if record.exists():
            results = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
        return AnsibleRun(proc.returncode, proc.stdout, proc.stderr, results)


@pytest.fixture
def ansible(emulator, tmp_path):
    """An AnsibleRunner wired to this test's emulator."""
    return AnsibleRunner(emulator, tmp_path)
