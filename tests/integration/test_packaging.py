"""The collection as users get it: `ansible-galaxy collection build`, then install the tarball, then run the demo.

This proves the packaging (what the tarball holds and leaves out, that the installed copy works on its own), not
just the checkout: the demo runs with ANSIBLE_COLLECTIONS_PATH pointing only at the installed copy.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


BIN = Path(sys.executable).parent

# Development-only content that must never reach Galaxy / Automation Hub.
MUST_NOT_SHIP = ("tests/", "bench/", "scripts/", ".ci/", ".venv/", ".venv-min/", ".ansible/", "demo/.state/",
                 "Makefile", "requirements-test.txt", "requirements-demo.txt", "requirements-min.txt",
                 "changelogs/.plugin-cache.yaml", ".gitignore")
# What users and ansible-builder need from the tarball.
MUST_SHIP = ("plugins/modules/eip_association.py", "plugins/modules/havip_association.py",
             "plugins/module_utils/_base.py", "plugins/module_utils/_client.py",
             "plugins/doc_fragments/alicloud.py", "meta/runtime.yml", "meta/execution-environment.yml",
             "requirements.txt", "changelogs/changelog.yaml", "LICENSE", "README.md", "docs/user-guide.md",
             "demo/eip_association.yml")


def run(cmd, **kwargs):
    # Without the test run's own collections path: ansible-galaxy would find the linked checkout there and
    # report the collection as "already installed" instead of installing the tarball.
    env = {k: v for k, v in os.environ.items() if k not in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS")}
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False, env=env, **kwargs)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def tarball(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    run([BIN / "ansible-galaxy", "collection", "build", "--output-path", out, REPO_ROOT])
    version = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))["version"]
    path = out / f"alicloud-network-{version}.tar.gz"
    assert path.is_file(), f"no {path.name} in {list(out.iterdir())}"
    return path


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory) -> Path:
    """The collections path the tarball was installed into."""
    root = tmp_path_factory.mktemp("collections")
    run([BIN / "ansible-galaxy", "collection", "install", "--offline", "--force", "-p", root, tarball])
    return root


def test_tarball_holds_the_collection_and_nothing_for_development(tarball):
    with tarfile.open(tarball) as archive:
        names = [m.name[2:] if m.name.startswith("./") else m.name for m in archive.getmembers()]
        manifest = json.load(archive.extractfile("MANIFEST.json"))
    leaked = sorted(n for n in names if any(n == p.rstrip("/") or n.startswith(p) for p in MUST_NOT_SHIP))
    assert leaked == [], f"development files in the tarball: {leaked}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    missing = sorted(set(MUST_SHIP) - set(names))
    assert missing == [], f"missing from the tarball: {missing}"
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == ("alicloud", "network", galaxy["version"])


def test_installed_copy_runs_the_demo_against_the_emulator(installed, ansible, emulator):
    collection = installed / "ansible_collections" / "alicloud" / "network"
    env = {"ANSIBLE_COLLECTIONS_PATH": str(installed)}

    # Only the installed copy is visible: the checkout is not on this collections path.
    listing = subprocess.run([BIN / "ansible-galaxy", "collection", "list", "alicloud.network", "--format", "json"],
                             env=ansible.env(env), capture_output=True, text=True, check=True)
    found = {path for path, collections in json.loads(listing.stdout).items() if "alicloud.network" in collections}
    assert found == {str(installed / "ansible_collections")}

    demo = collection / "demo" / "eip_association.yml"
    wanted = yaml.safe_load(demo.read_text(encoding="utf-8"))[0]["vars"]
    eip_id = wanted["demo_allocation_id"]
    assert emulator.eip(eip_id)["Status"] == "Available", "the seed should leave the demo EIP unbound"

    first = ansible.playbook(demo, env=env)
    assert first.rc == 0, first.stdout + first.stderr
    assert not [r for r in first.results if r["status"] == "failed"]
    associate = first.task("Associate the EIP with the instance")
    assert associate["status"] == "changed"
    instance_id = associate["result"]["association"]["instance_id"]
    assert instance_id.startswith("i-emuecs")
    assert emulator.eip(eip_id)["InstanceId"] == instance_id
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1

    second = ansible.playbook(demo, env=env)
    assert second.rc == 0, second.stdout + second.stderr
    assert not [r for r in second.results if r["status"] in ("changed", "failed")]
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1


def test_ansible_builder_finds_the_collections_requirements(installed):
    """What ansible-builder adds to an execution environment for this collection, read from the installed copy
    as an image build reads it (meta/execution-environment.yml, then the files it names)."""
    proc = run([BIN / "ansible-builder", "introspect", "--sanitize", installed])
    data = yaml.safe_load(proc.stdout.split("---", 1)[1])
    wanted = [line.split("#")[0].strip() for line in (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
              .splitlines() if line.split("#")[0].strip()]
    assert [line.split("#")[0].strip() for line in data["python"]] == wanted
    assert all(line.endswith("# from collection alicloud.network") for line in data["python"])
    assert data["system"] == []
