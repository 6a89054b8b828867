"""Write the playbook code that lives outside .yml files as playbooks, so ansible-lint can check it.

    python extract_examples.py REPO_ROOT OUTPUT_DIR

ansible-lint reads playbooks and task files, not a module's EXAMPLES string nor the ```yaml blocks of a
Markdown page. This writes:

* OUTPUT_DIR/examples_<module>.yml: each module's EXAMPLES (a task list) as the tasks of a one-play playbook;
* OUTPUT_DIR/docs_<page>_<n>.yml: each ```yaml block of docs/*.md that is a playbook (kept as is) or a task
  list (wrapped in a play);
* OUTPUT_DIR/docs_<page>_<n>/<name>.yml: a block whose first line is a comment naming its file, such as
  `# execution-environment.yml`, under that name, so ansible-lint applies that file kind's schema.
Other blocks (an inventory, a vars file) are left out, and so is docs/modules/, which only repeats the EXAMPLES.

Prints one line per file: the file written and where its content came from, so a lint message can be traced.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import yaml

NAMED_FILE = re.compile(r"^#\s*([\w.-]+\.ya?ml)\s*$")
YAML_BLOCK = re.compile(r"^```ya?ml[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
PLAY_HEADER = "---\n- name: Examples\n  hosts: localhost\n  gather_facts: false\n  tasks:\n"


def module_examples(path: Path) -> str | None:
    """The EXAMPLES string of a module file, read without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def as_play(tasks_yaml: str) -> str:
    """A task list wrapped in one play, its text kept line for line (indented under `tasks:`)."""
    body = "\n".join(("    " + line) if line.strip() else "" for line in tasks_yaml.strip("\n").splitlines())
    return PLAY_HEADER + body + "\n"


def classify(text: str) -> str | None:
    """'playbook', 'tasks' or None for a YAML block."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return "tasks"  # let ansible-lint report the syntax error with its position
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return None
    if all("hosts" in item or "import_playbook" in item or "ansible.builtin.import_playbook" in item for item in data):
        return "playbook"
    return "tasks"


def main(repo_root: str, out_dir: str) -> None:
    root, out = Path(repo_root), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for module in sorted((root / "plugins" / "modules").glob("*.py")):
        examples = module_examples(module)
        if examples and examples.strip():
            target = out / f"examples_{module.stem}.yml"
            target.write_text(as_play(examples), encoding="utf-8")
            print(f"{target.name}: EXAMPLES of {module.relative_to(root)}")
    for page in sorted((root / "docs").glob("*.md")):
        for number, match in enumerate(YAML_BLOCK.finditer(page.read_text(encoding="utf-8")), start=1):
            block, kind = match.group(1), classify(match.group(1))
            stem = f"docs_{page.stem.replace('-', '_')}_{number}"
            named = NAMED_FILE.match(block.splitlines()[0]) if block.strip() else None
            line = page.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
            if named:
                target = out / stem / named.group(1)
                target.parent.mkdir()
                target.write_text("---\n" + block, encoding="utf-8")
                print(f"{stem}/{target.name}: {page.relative_to(root)} line {line}")
                continue
            if kind is None:
                continue
            target = out / f"{stem}.yml"
            text = block if kind == "playbook" else as_play(block)
            target.write_text(text if text.startswith("---") else "---\n" + text, encoding="utf-8")
            print(f"{target.name}: {page.relative_to(root)} line {line} ({kind})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
