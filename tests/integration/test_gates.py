"""The ecosystem gates, run from the test suite so the README's test command (and CI) runs them.

Each gate is also a script that runs alone: scripts/sanity.sh (ansible-test sanity), scripts/lint.sh
(ansible-lint production profile from the root of a fresh copy of the checkout, on the modules' EXAMPLES and the
YAML in docs/; antsibull-changelog lint), scripts/docs.sh (antsibull-docs lint and the staleness check of
docs/modules/), scripts/integration.sh (ansible-test integration on tests/integration/targets/). Beside the
wrappers, a few tests show that the checks behind them can fail, and check the execution-environment metadata.
"""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


SCRIPTS = REPO_ROOT / "scripts"


def run_gate(script, *args, env=None, timeout=1200):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "ALIBABA_CLOUD_"))}
    full_env.update(env or {})
    return subprocess.run(["bash", str(SCRIPTS / script), *args], cwd=REPO_ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def report(proc) -> str:
    """The lines that say what failed, then the tail of the output."""
    text = proc.stdout + proc.stderr
    errors = [line for line in text.splitlines() if line.startswith(("ERROR", "FATAL"))]
    return "\n".join(errors[:60]) + "\n----\n" + text[-6000:]


def test_ansible_test_sanity_passes():
    proc = run_gate("sanity.sh")
    assert proc.returncode == 0, report(proc)


def test_ansible_lint_production_and_changelog_lint_pass():
    proc = run_gate("lint.sh")
    assert proc.returncode == 0, report(proc)
    # Plain `ansible-lint --profile production` from a clone's root resolved the modules and passed, and so did
    # the run on the embedded playbooks.
    assert "ansible-lint from the root of a fresh clone" in proc.stdout
    assert (proc.stdout + proc.stderr).count("Profile 'production' was required, and it passed") == 2
    # The modules' EXAMPLES were among the linted files (ansible-lint does not read them by itself).
    for module in sorted((REPO_ROOT / "plugins" / "modules").glob("*.py")):
        assert f"examples_{module.stem}.yml: EXAMPLES of plugins/modules/{module.name}" in proc.stdout


def test_ansible_test_integration_targets_pass_against_the_emulator(emulator, tmp_path):
    """`ansible-test integration` runs every target against this test's emulator, and the targets' check-mode and
    second runs act on nothing: one association and one disassociation per resource."""
    from ansible_process import TEST_ACCESS_KEY, TEST_REGION, TEST_SECRET_KEY

    config = tmp_path / "integration_config.yml"
    config.write_text(yaml.safe_dump({
        "alicloud_access_key": TEST_ACCESS_KEY, "alicloud_secret_key": TEST_SECRET_KEY, "alicloud_region": TEST_REGION,
        "alicloud_vpc_endpoint": emulator.url, "alicloud_ens_endpoint": emulator.url,
    }), encoding="utf-8")

    proc = run_gate("integration.sh", env={"ALICLOUD_INTEGRATION_CONFIG": str(config)})

    assert proc.returncode == 0, report(proc)
    targets = sorted(p.name for p in (REPO_ROOT / "tests" / "integration" / "targets").iterdir() if p.is_dir())
    assert {"eip_association", "havip_association"} <= set(targets)
    for target in targets:
        assert f"Running {target} integration test role" in proc.stdout, target
    defaults = {t: yaml.safe_load((REPO_ROOT / "tests" / "integration" / "targets" / t / "defaults" / "main.yml")
                                  .read_text(encoding="utf-8")) for t in ("eip_association", "havip_association")}
    instances = len(defaults["havip_association"]["havip_association_instance_ids"])
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1
    assert len(emulator.mutating_calls("UnassociateEipAddress")) == 1
    assert len(emulator.mutating_calls("AssociateHaVip")) == instances
    assert len(emulator.mutating_calls("UnassociateHaVip")) == instances
    eip = emulator.eip(defaults["eip_association"]["eip_association_allocation_id"])
    assert eip["Status"] == "Available", "the targets leave the EIP unbound"


def test_module_reference_pages_are_current():
    proc = run_gate("docs.sh")
    assert proc.returncode == 0, report(proc)


def test_docs_check_fails_on_a_stale_page(tmp_path):
    doctored = tmp_path / "modules"
    shutil.copytree(REPO_ROOT / "docs" / "modules", doctored)
    page = doctored / "eip_association.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Parameters", "## Options", 1), encoding="utf-8")
    (doctored / "havip_association.md").unlink()

    proc = run_gate("docs.sh", env={"ALICLOUD_DOCS_DIR": str(doctored)})

    assert proc.returncode == 1, report(proc)
    assert "docs/modules/ is stale" in proc.stderr
    assert "-## Options" in proc.stdout and "+## Parameters" in proc.stdout
    assert "havip_association.md" in proc.stdout


def test_every_module_has_a_reference_page():
    modules = {p.stem for p in (REPO_ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__"}
    pages = {p.stem for p in (REPO_ROOT / "docs" / "modules").glob("*.md")} - {"README"}
    assert pages == modules


def test_examples_are_extracted_task_for_task(tmp_path):
    sys.path.insert(0, str(SCRIPTS / "gates"))
    try:
        import extract_examples
    finally:
        sys.path.remove(str(SCRIPTS / "gates"))
    proc = subprocess.run([sys.executable, str(SCRIPTS / "gates" / "extract_examples.py"), str(REPO_ROOT),
                           str(tmp_path)], capture_output=True, text=True, check=True)
    modules = sorted((REPO_ROOT / "plugins" / "modules").glob("*.py"))
    assert modules
    for module in modules:
        examples = yaml.safe_load(extract_examples.module_examples(module))
        play = yaml.safe_load((tmp_path / f"examples_{module.stem}.yml").read_text(encoding="utf-8"))
        assert play[0]["tasks"] == examples, module.name
        assert any(f"alicloud.network.{module.stem}" in task for task in examples), module.name
    assert "docs_user_guide_" in proc.stdout


# ---- execution environment -----------------------------------------------------------------------------------

STDLIB = set(sys.stdlib_module_names)


def third_party_imports() -> dict[str, set[str]]:
    """Top-level modules the collection's plugins import that neither Python nor ansible-core provide."""
    found: dict[str, set[str]] = {}
    for path in (REPO_ROOT / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in STDLIB and top not in ("ansible", "ansible_collections", "__future__"):
                    found.setdefault(top, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            assert match, f"{path.name}: cannot read requirement {line!r}"
            names.add(match.group(0).lower().replace("_", "-"))
    return names


def test_execution_environment_metadata_declares_what_the_plugins_import():
    meta = yaml.safe_load((REPO_ROOT / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    # The collection metadata format of ansible-builder (its introspection defaults to version 1); version 3 is
    # the schema of an execution environment *definition*, another file. test_packaging.py runs the real thing.
    assert meta["version"] == 1
    dependencies = meta["dependencies"]
    assert set(dependencies) <= {"python", "system", "galaxy"}
    python_file = REPO_ROOT / dependencies["python"]
    assert python_file.is_file()
    if "system" in dependencies:
        assert (REPO_ROOT / dependencies["system"]).is_file()

    declared = requirement_names(python_file)
    imported = third_party_imports()
    assert imported, "the plugins import requests: the scan should find it"
    missing = {name: files for name, files in imported.items() if name.lower() not in declared}
    assert missing == {}, f"imported by the plugins but not in {dependencies['python']}: {missing}"
    # The test-only SDKs must not leak into what an execution environment installs.
    assert not [name for name in declared if name.startswith("alibabacloud")]


def test_execution_environment_files_are_shipped():
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    meta = yaml.safe_load((REPO_ROOT / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    # ansible-builder reads these files from the installed collection: build_ignore must not drop them.
    shipped = ["meta/execution-environment.yml"] + list(meta["dependencies"].values())
    ignored = [path for path in shipped for pattern in galaxy.get("build_ignore", [])
               if path == pattern or path.startswith(pattern.rstrip("/") + "/")]
    assert ignored == []


@pytest.mark.parametrize("script", ["sanity.sh", "lint.sh", "docs.sh", "integration.sh", "find-python.sh",
                                    "bootstrap.sh", "test.sh", "test-min.sh"])
def test_gate_scripts_are_executable(script):
    assert os.access(SCRIPTS / script, os.X_OK)
