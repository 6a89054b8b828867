"""The README's "Supported versions" table says what the scripts and requirements files really set up.

The table names, per ansible-core minor version, the controller Pythons it is tested with. It must agree with
scripts/find-python.sh (which Pythons are tried, newest first, and the minimum), requirements-demo.txt (which
ansible-core goes with which Python in .venv), requirements-min.txt (the core of .venv-min) and
meta/runtime.yml (requires_ansible). `make test` runs this file in both environments, so each also checks that
the environment it runs in is the row it claims to be.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import ansible.release
import pytest
import yaml
from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parents[2]


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def readme_table() -> dict[str, list[str]]:
    """{ansible-core minor: [Python minors]} from the README's "Supported versions" section."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Supported versions", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d+\.\d+", cells[0]):
            rows[cells[0]] = re.findall(r"\d+\.\d+", cells[1])
    assert rows, "no version rows in the README's Supported versions table"
    return rows


def find_python_versions() -> tuple[list[str], str]:
    """(NEWEST_FIRST, MINIMUM) of scripts/find-python.sh."""
    script = (REPO_ROOT / "scripts" / "find-python.sh").read_text(encoding="utf-8")
    newest_first = re.search(r"^NEWEST_FIRST=\(([^)]*)\)", script, re.M).group(1).split()
    minimum = re.search(r"^MINIMUM=(\S+)", script, re.M).group(1)
    return newest_first, minimum


def core_for(requirements_file: str, python: str) -> str:
    """The ansible-core minor version requirements_file installs on Python `python` (its lower bound)."""
    found = []
    for line in (REPO_ROOT / requirements_file).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line.startswith("ansible-core"):
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"python_version": python}):
            lower = [spec.version for spec in req.specifier if spec.operator == ">="]
            assert len(lower) == 1, f"{requirements_file}: {line!r} should give one lower bound"
            found.append(minor(lower[0]))
    assert len(found) == 1, f"{requirements_file}: expected one ansible-core line for Python {python}: {found}"
    return found[0]


def declared_minimum() -> str:
    runtime = yaml.safe_load((REPO_ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    match = re.fullmatch(r">=(\d+\.\d+)\.0", runtime["requires_ansible"])
    assert match, f"requires_ansible should be '>=X.Y.0': {runtime['requires_ansible']!r}"
    return match.group(1)


def test_readme_table_matches_the_scripts_and_requirements():
    table = readme_table()
    newest_first, minimum_python = find_python_versions()
    minimum_core = declared_minimum()

    # The default environment: every Python find-python.sh prefers gets the newest core.
    preferred = [v for v in newest_first if v != minimum_python]
    newest_cores = {core_for("requirements-demo.txt", python) for python in preferred}
    assert len(newest_cores) == 1, newest_cores
    newest_core = newest_cores.pop()
    # The fallback without Python 3.12+ is the minimum Python with the minimum core.
    assert newest_first[-1] == minimum_python
    assert core_for("requirements-demo.txt", minimum_python) == minimum_core
    # .venv-min: the declared minimum core.
    assert core_for("requirements-min.txt", minimum_python) == minimum_core

    assert table == {newest_core: sorted(preferred, reverse=True), minimum_core: [minimum_python]}, (
        "README.md's Supported versions table is out of date")


def test_this_environment_is_a_row_of_the_table():
    python = "%d.%d" % sys.version_info[:2]
    core = minor(ansible.release.__version__)
    table = readme_table()
    venv = Path(sys.prefix).name
    if venv == ".venv-min":
        assert core == declared_minimum()
        if python != find_python_versions()[1]:
            pytest.skip(f"no Python {find_python_versions()[1]} here: the minimum core runs on {python}")
    assert python in table.get(core, []), f"ansible-core {core} on Python {python} is not in the README's table"
    if venv == ".venv":
        assert core == core_for("requirements-demo.txt", python)
    elif venv != ".venv-min":
        pytest.skip(f"not one of the project's environments ({sys.prefix}): only the table was checked")
