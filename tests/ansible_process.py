"""Run real ``ansible-playbook`` / ``ansible`` processes against an emulator and collect every task result.

Used by the pytest fixture ``ansible`` (tests/conftest.py) and by the benchmarks (bench/).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
CALLBACK_DIR = TESTS_DIR / "integration" / "callback_plugins"

# What the emulator's seed accepts (tests/emulator/data/seed.json).
TEST_ACCESS_KEY = "LTAI5tEmuTestAccessKey"
TEST_SECRET_KEY = "EmuSecret-0c3a9f7e-do-not-leak"
TEST_REGION = "cn-hangzhou"


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

    def __init__(self, emulator, workdir: Path, collections_root: Path):
        self.emulator = emulator
        self.collections_root = collections_root
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
            ANSIBLE_COLLECTIONS_PATH=str(self.collections_root),
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
            # Results carry `invocation` (the module arguments, no_log values masked) on every supported core:
            # ansible-core 2.21 leaves it out unless asked, 2.19 always adds it; the secrets tests look at it.
            ANSIBLE_INJECT_INVOCATION="1",
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
        proc = subprocess.run(cmd, cwd=self.workdir, env=full_env, capture_output=True, text=True, timeout=timeout,
                              check=False)  # the caller asserts on rc
        results = []
        if record.exists():
            results = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
        return AnsibleRun(proc.returncode, proc.stdout, proc.stderr, results)
