"""Reading a task breakdown written as paragraphs against the same plan written as a table (DOCX).

Target: a paragraph-form DOCX of 1,500 tasks reads in no more than 2x the time of the table DOCX.

    python benchmarks/bench_paragraphs.py [--tasks 1500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import zwgk
from zwgk.model import Metadata, Plan, Task, task_id

UNITS = ("市财政局", "市教育局", "市自然资源和规划局", "市行政审批服务局", "各县（市、区）", "市政府各部门（单位）",
         "市生态环境局", "市卫生健康委", "市政府办公室", "市住房城乡建设局", "市医保局", "市统计局")
#: Target ratio of paragraph-form to table reading time.
TARGET_RATIO = 2.0


def make_plan(n: int, seed: int = 1) -> Plan:
    rng = random.Random(seed)
    reg = zwgk.unit_registry()
    tasks: list[Task] = []
    taken: set[str] = set()
    for i in range(n):
        top = i * 6 // n
        path = (f"{'一二三四五六'[top]}、重点任务{top + 1}", f"（{'一二三四五'[i % 5]}）推进领域公开{i // 5 % 50}")
        text = f"（{i + 1}）推进政务公开第{i + 1}项工作"
        lead = reg.parse_cell("、".join(rng.sample(UNITS, 1)), learn=True)
        coop = reg.parse_cell("、".join(rng.sample(UNITS, rng.randint(0, 3))), learn=True)
        tasks.append(Task(id=task_id(path, text, taken), path=path, text=text, serial=f"（{i + 1}）",
                          requirement=f"围绕第{i + 1}项工作建立健全制度机制，完善标准规范。",
                          leads=lead.refs, cooperating=coop.refs, deadline="2021年底前"))
    title = "2021年泰安市政务公开工作要点任务分工"
    return Plan(title=title, tasks=tuple(tasks), metadata=Metadata.from_title(title), preamble=(title,))


def best_of(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        zwgk.load(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    plan = make_plan(args.tasks)
    with tempfile.TemporaryDirectory() as tmp:
        table, paragraphs = Path(tmp) / "table.docx", Path(tmp) / "list.docx"
        zwgk.export(plan, "docx", table)
        zwgk.export(plan, "docx", paragraphs, form="list")
        assert zwgk.load(table) == zwgk.load(paragraphs) == plan
        t_table = best_of(table, args.repeat)
        t_list = best_of(paragraphs, args.repeat)
    ratio = t_list / t_table
    print(f"{args.tasks:,} tasks: table DOCX {t_table * 1000:.0f} ms, paragraph DOCX {t_list * 1000:.0f} ms, "
          f"ratio {ratio:.2f} (target <= {TARGET_RATIO})")
    print("OK" if ratio <= TARGET_RATIO else "OVER TARGET")


if __name__ == "__main__":
    main()
