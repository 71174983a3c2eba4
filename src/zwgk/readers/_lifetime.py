"""How long a LibreOffice call may run, and that it never outlives the process that started it.

:func:`time_limit` grows with the work: the ``convert_timeout`` for one file of up to a MiB, plus
:data:`SECONDS_PER_MIB` for each further MiB of input and :data:`SECONDS_PER_FILE` for each further
file of a batch call. :func:`guard` starts a small process that watches the process converting and
kills LibreOffice's process group (``soffice.bin`` included) as soon as that process dies (``kill
-9``, the out-of-memory killer), and ends on its own when LibreOffice is done.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["SECONDS_PER_FILE", "SECONDS_PER_MIB", "guard", "time_limit"]

#: Seconds more for each MiB of input beyond the first.
SECONDS_PER_MIB = 30.0
#: Seconds more for each file of a batch call beyond the first.
SECONDS_PER_FILE = 10.0
#: How often the guard process checks that the process it guards is alive (seconds).
_GUARD_POLL = 0.2
#: The guard: kills LibreOffice's process group when the process that started it dies, and ends
#: on its own when that group is gone (argv: the guarded pid, the group).
_GUARD = """
import os, sys, time
parent, group = int(sys.argv[1]), int(sys.argv[2])
while True:
    if os.getppid() != parent:
        try:
            os.killpg(group, 9)
        except OSError:
            pass
        break
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        break
    except PermissionError:
        pass
    time.sleep(float(sys.argv[3]))
"""


def time_limit(timeout: float, paths: Sequence[Path]) -> float:
    """Seconds a LibreOffice call converting ``paths`` may take: ``timeout`` for one file of up to a
    MiB, more for each further MiB (:data:`SECONDS_PER_MIB`) and file (:data:`SECONDS_PER_FILE`)."""
    size = 0
    for p in paths:
        with contextlib.suppress(OSError):
            size += os.stat(p).st_size
    extra_mib = max(0.0, size / (1 << 20) - 1)
    return timeout + SECONDS_PER_MIB * extra_mib + SECONDS_PER_FILE * max(0, len(paths) - 1)


def guard(group: int) -> subprocess.Popen[bytes] | None:
    """A process that kills LibreOffice's process group when this process dies."""
    try:
        return subprocess.Popen([sys.executable, "-S", "-c", _GUARD, str(os.getpid()), str(group), str(_GUARD_POLL)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no guard: LibreOffice is still killed on a timeout and on an exception here
        return None
