"""Benchmarks of alicloud.network against the emulator (issue 8). Not part of the test suite.

Each figure is taken in the same run as the floor it is compared with, so the ratios hold on a slow or busy
machine even where the absolute times do not. Run with ``make bench`` (or ``scripts/bench.sh [--quick]``);
the table is printed and written into docs/performance.md between its bench markers.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

from ansible_process import AnsibleRunner  # noqa: E402  (tests/ holds the shared runner)
from emulator import Emulator  # noqa: E402

MODULE_UTILS = "ansible_collections.alicloud.network.plugins.module_utils._base"
MODULE = "ansible_collections.alicloud.network.plugins.modules.eip_association"
MUTATING = {"AssociateEipAddress", "UnassociateEipAddress"}


def link_collection(root: Path) -> Path:
    namespace = root / "ansible_collections" / "alicloud"
    namespace.mkdir(parents=True)
    (namespace / "network").symlink_to(REPO_ROOT, target_is_directory=True)
    return root


def eip(n: int) -> str:
    return f"eip-emu{n:04d}"


def ecs(n: int) -> str:
    return f"i-emuecs{n:04d}"


def play(tasks: str, hosts: str = "localhost") -> str:
    return f"- hosts: {hosts}\n  gather_facts: false\n  tasks:\n{tasks}"


def eip_task(name: str, allocation: str, instance: str, indent: str = "    ") -> str:
    return (f"{indent}- name: {name}\n{indent}  alicloud.network.eip_association:\n"
            f"{indent}    allocation_id: {allocation}\n{indent}    instance_id: {instance}\n")


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def check(run):
    if run.rc != 0:
        raise SystemExit(f"benchmark play failed (rc={run.rc}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


class Bench:
    def __init__(self, workdir: Path, quick: bool):
        self.workdir = workdir
        self.quick = quick
        self.collections = link_collection(workdir / "collections")
        self.emu = Emulator(transition_seconds=0.5).start()
        self.runner = AnsibleRunner(self.emu, workdir, self.collections)
        self.rows: list[tuple[str, str, str, str]] = []

    def close(self):
        self.emu.stop()

    def calls_since(self, mark: int) -> dict:
        counts: dict[str, int] = {}
        for call in self.emu.calls[mark:]:
            counts[call["action"]] = counts.get(call["action"], 0) + 1
        return counts

    # 1. API calls per task ------------------------------------------------------------------------------------
    def api_calls(self):
        self.emu.reset()
        self.emu.set_transition(0.5)
        mark = len(self.emu.calls)
        check(self.runner.playbook(play(eip_task("associate", eip(1), ecs(1)))))
        first = self.calls_since(mark)
        mark = len(self.emu.calls)
        check(self.runner.playbook(play(eip_task("again", eip(1), ecs(1)))))
        again = self.calls_since(mark)
        describes = first.get("DescribeEipAddresses", 0)
        self.rows.append(("API calls, nothing to do", "1 (one Describe)", json.dumps(again),
                          "met" if again == {"DescribeEipAddresses": 1} else "MISSED"))
        self.rows.append(("API calls, one association (0.5 s transition)", "1 Describe + 1 Associate + polls",
                          json.dumps(first), f"{describes - 1} poll(s) after the first read"))

    # 2. Task time against ansible.builtin.ping ------------------------------------------------------------------
    def task_time(self, tasks: int = 20, repeats: int = 3):
        self.emu.reset()
        check(self.runner.playbook(play(eip_task("setup", eip(2), ecs(2)))))
        ping = play("".join(f"    - name: ping {i}\n      ansible.builtin.ping:\n" for i in range(tasks)))
        noop = play("".join(eip_task(f"noop {i}", eip(2), ecs(2)) for i in range(tasks)))
        floors, ours = [], []
        for _round in range(repeats):
            floors.append(timed(lambda: check(self.runner.playbook(ping)))[0])
            ours.append(timed(lambda: check(self.runner.playbook(noop)))[0])
        floor, mine = statistics.median(floors), statistics.median(ours)
        ratio = mine / floor
        self.rows.append((f"{tasks} tasks, nothing to do vs ping", "<= 1.3x",
                          f"{mine:.2f} s vs {floor:.2f} s = {ratio:.2f}x", "met" if ratio <= 1.3 else "MISSED"))

    # 3. Convergence latency -------------------------------------------------------------------------------------
    def convergence(self, transitions=(0.5, 2.0, 10.0)):
        for index, transition in enumerate(transitions):
            self.emu.reset()
            self.emu.set_transition(transition)
            mark = len(self.emu.calls)
            run = check(self.runner.playbook(play(eip_task("converge", eip(10 + index), ecs(10 + index)))))
            calls = self.emu.calls[mark:]
            associated = next(c["time"] for c in calls if c["action"] == "AssociateEipAddress")
            in_use_at = associated + transition
            latency = run.task("converge")["finished_at"] - in_use_at
            polls = sum(1 for c in calls if c["action"] == "DescribeEipAddresses" and c["time"] > associated)
            target = 0.25 + 0.1 * transition
            self.rows.append((f"latency after InUse, {transition:g} s transition", f"<= {target:.2f} s",
                              f"{latency:.2f} s, {polls} polls", "met" if latency <= target else "MISSED"))

    # 4. Module start cost ---------------------------------------------------------------------------------------
    def python(self, code: str, best_of: int = 5) -> float:
        env = dict(os.environ, PYTHONPATH=str(self.collections))
        times = []
        for _attempt in range(best_of):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    def peak_rss_mb(self, code: str) -> float:
        env = dict(os.environ, PYTHONPATH=str(self.collections))
        probe = ("import resource, runpy, sys; sys.argv=['x']\n" + code +
                 "\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
        return int(out.stdout.split()[-1]) / 1024

    def start_cost(self):
        bare = "import ansible.module_utils.basic"
        ours = f"import ansible.module_utils.basic, {MODULE_UTILS}, {MODULE}"
        sdk = "import ansible.module_utils.basic, alibabacloud_vpc20160428.client"
        t_bare, t_ours, t_sdk = self.python(bare), self.python(ours), self.python(sdk)
        m_bare, m_ours, m_sdk = self.peak_rss_mb(bare), self.peak_rss_mb(ours), self.peak_rss_mb(sdk)
        added_t, added_m = t_ours - t_bare, m_ours - m_bare
        self.rows.append(("import: module + module_utils over bare AnsibleModule", "<= 0.15 s, <= 15 MB",
                          f"+{added_t:.3f} s, +{added_m:.1f} MB",
                          "met" if added_t <= 0.15 and added_m <= 15 else "MISSED"))
        self.rows.append(("import: official VPC SDK client over bare AnsibleModule", "(comparison)",
                          f"+{t_sdk - t_bare:.3f} s, +{m_sdk - m_bare:.1f} MB", "-"))

    # 5. Scale ---------------------------------------------------------------------------------------------------
    def scale(self, sizes=(50, 200), forks: int = 10):
        for size in sizes:
            self.emu.reset()
            self.emu.set_transition(0.5)
            loop = play(
                "    - name: associate many\n      alicloud.network.eip_association:\n"
                "        allocation_id: \"{{ 'eip-emu%04d' | format(item) }}\"\n"
                "        instance_id: \"{{ 'i-emuecs%04d' | format(item) }}\"\n"
                f"      loop: \"{{{{ range(1, {size} + 1) | list }}}}\"\n")
            ping_loop = play(f"    - name: ping many\n      ansible.builtin.ping:\n      loop: \"{{{{ range(1, {size} + 1) | list }}}}\"\n")
            mark = len(self.emu.calls)
            t_loop = timed(lambda: check(self.runner.playbook(loop)))[0]
            loop_calls = sum(self.calls_since(mark).values())
            t_ping_loop = timed(lambda: check(self.runner.playbook(ping_loop)))[0]
            self.rows.append((f"scale: {size} EIPs, one task with a loop", "(growth)",
                              f"{t_loop:.1f} s ({loop_calls} calls) vs ping {t_ping_loop:.1f} s", "-"))

            self.emu.reset()
            inventory = self.workdir / f"hosts-{size}.ini"
            inventory.write_text("[eips]\n" + "".join(
                f"h{n} ansible_connection=local ansible_python_interpreter={sys.executable} eip={eip(n)} ecs={ecs(n)}\n"
                for n in range(1, size + 1)), encoding="utf-8")
            hosts_play = play("    - name: associate per host\n      alicloud.network.eip_association:\n"
                              "        allocation_id: \"{{ eip }}\"\n        instance_id: \"{{ ecs }}\"\n", "eips")
            ping_hosts = play("    - name: ping per host\n      ansible.builtin.ping:\n", "eips")
            mark = len(self.emu.calls)
            t_hosts = timed(lambda: check(self.runner.playbook(hosts_play, "-f", str(forks), inventory=inventory)))[0]
            host_calls = sum(self.calls_since(mark).values())
            t_ping_hosts = timed(lambda: check(self.runner.playbook(ping_hosts, "-f", str(forks), inventory=inventory)))[0]
            self.rows.append((f"scale: {size} EIPs, {size} hosts, forks {forks}", "(growth)",
                              f"{t_hosts:.1f} s ({host_calls} calls) vs ping {t_ping_hosts:.1f} s",
                              f"{t_hosts / t_ping_hosts:.2f}x ping"))

    def table(self) -> str:
        lines = ["| measure | target | result | verdict |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(lines)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_results(path: Path, block: str) -> None:
    """Replace the block between the bench markers, keeping the hand-written analysis around it."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{START}\n{END}\n"
    head, _start, rest = text.partition(START)
    _old, _end, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n{block}{END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one 0.5 s transition (a smoke run)")
    parser.add_argument("--output", default=str(REPO_ROOT / "docs" / "performance.md"),
                        help="markdown file whose bench:start/bench:end block receives the table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alicloud-bench-") as tmp:
        bench = Bench(Path(tmp), args.quick)
        try:
            bench.api_calls()
            bench.task_time(tasks=5 if args.quick else 20, repeats=1 if args.quick else 3)
            bench.convergence((0.5,) if args.quick else (0.5, 2.0, 10.0))
            bench.start_cost()
            bench.scale((10,) if args.quick else (50, 200))
        finally:
            bench.close()
    table = bench.table()
    print(table)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    kind = "quick run" if args.quick else "full run"
    write_results(Path(args.output), f"Last {kind}: {stamp}, {os.cpu_count()} cores.\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
