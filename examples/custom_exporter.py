"""A complete zwgk plugin: export every (task, role, unit) assignment as CSV.

Use it from code::

    import zwgk, custom_exporter
    zwgk.plugins.register(custom_exporter)
    zwgk.export(zwgk.load_sample(), "assignments", "assignments.csv")

or package it with an entry point in the ``zwgk`` group (see ``plugins/zwgk-xlsx/pyproject.toml``)
and ``zwgk export TABLE.docx -o assignments.csv`` finds it by the suffix.
"""

import csv
import io

import zwgk
from zwgk.exporters import Exporter


def write_assignments(plan, stream, *, delimiter=","):
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(["task_id", "category", "task", "role", "unit", "as_written"])
    for a in plan.assignments():
        writer.writerow([a.task.id, " / ".join(a.task.path), a.task.text, a.role.value, a.unit.name, a.unit.as_written])
    stream.write(text.getvalue().encode("utf-8-sig"))  # with a BOM, so Excel reads the Chinese right


@zwgk.hookimpl
def register_exporters(register):
    register(Exporter("assignments", (".csv",), write_assignments, "CSV: one row per task, role and unit"))
