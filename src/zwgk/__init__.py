"""zwgk: Chinese government task-breakdown tables (任务分解表) as typed, validated data.

>>> import zwgk
>>> plan = zwgk.load_sample()
>>> len(plan.tasks)
143
"""

from zwgk._api import export, exporters, load, load_sample, readers, unit_registry, validate, validators
from zwgk._diff import PlanDiff, TaskChange, diff
from zwgk._numbering import parse_number
from zwgk._serialize import dumps, loads
from zwgk.corpus import load_many
from zwgk.errors import ParseError, UnitError, ZwgkError
from zwgk.hookspecs import hookimpl
from zwgk.model import Metadata, Plan, Role, Task, Unit, UnitKind, UnitRef
from zwgk.units import UnitRegistry

__version__ = "0.1.0"

__all__ = [
    "Metadata",
    "ParseError",
    "Plan",
    "PlanDiff",
    "Role",
    "Task",
    "TaskChange",
    "Unit",
    "UnitError",
    "UnitKind",
    "UnitRef",
    "UnitRegistry",
    "ZwgkError",
    "__version__",
    "diff",
    "dumps",
    "export",
    "exporters",
    "hookimpl",
    "load",
    "load_many",
    "load_sample",
    "loads",
    "parse_number",
    "readers",
    "unit_registry",
    "validate",
    "validators",
]
