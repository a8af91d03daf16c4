"""Bounded memory for large uploads (issue 15 item 9): a budget checked before any large
allocation, one large import at a time per process, and memory handed back afterwards.

- **Budget.** ``check_budget(name, size)`` estimates the peak memory an import of ``size`` bytes
  needs (the server process plus its parse child), from the figures ``bench/bench_memory.py``
  measured per kind of file, and refuses the file *before it is parsed* when the estimate exceeds
  ``PMO_IMPORT_MEMORY_MB`` (default 1536 MiB) with a message naming the file, its size, the
  estimate, the budget and the largest file of that kind that fits.
- **Queue.** ``large_import_slot(size, on_wait)``: files from ``PMO_LARGE_IMPORT_MB`` (default 20 MB)
  take the process's one large-import slot for their parse and for their load; a second one waits
  for it, and ``on_wait`` is called first so the person is told ("another large import is
  running; yours starts when it ends").
- **Release.** ``release()`` collects garbage and asks the C allocator to hand freed memory back
  to the operating system (``malloc_trim`` on glibc), after a large import or a cancelled one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import FileTooLargeError

# Peak resident memory of a whole import (server process + parse child) as base + factor x file
# size, from bench/bench_memory.py (figures in the README, Performance): a 200 MiB task CSV
# (1.47M rows x 18 columns) peaked at 2,246 MiB -> 150 + 10.5 x 200; a 30 MiB task xlsx (350k
# rows) at 1,009 MiB -> 150 + 29.1 x 30, taken as 30. Kinds without a measurement (XML, JSON)
# are bounded by the parse child's own limit (PMO_PARSE_MEMORY_MB) only.
BASE_MB = 150.0
FACTORS = {"csv": 10.5, "xlsx": 30.0}
_KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def _env_mb(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def budget_mb() -> float:
    """Memory one import may take (``PMO_IMPORT_MEMORY_MB``, 1536 MiB; 0 = no budget check)."""
    return _env_mb("PMO_IMPORT_MEMORY_MB", 1536)


def large_bytes() -> int:
    """Uploads from this size take the large-import slot (``PMO_LARGE_IMPORT_MB``, 20 MB)."""
    return int(_env_mb("PMO_LARGE_IMPORT_MB", 20) * 2**20)


def kind_of(name: str) -> str | None:
    """ "csv" or "xlsx" from the file name, None for kinds without a measured factor."""
    return _KINDS.get(Path(name).suffix.lower())


def estimate_mb(name: str, size: int) -> float | None:
    """Estimated peak MiB of importing ``size`` bytes named ``name`` (None: not measured)."""
    kind = kind_of(name)
    if kind is None:
        return None
    return BASE_MB + FACTORS[kind] * size / 2**20


def check_budget(name: str, size: int) -> None:
    """Refuse ``name`` (``FileTooLargeError``, before anything is read) when its estimated peak
    memory exceeds the budget."""
    need, budget = estimate_mb(name, size), budget_mb()
    if need is None or budget <= 0 or need <= budget:
        return
    kind = kind_of(name) or ""
    fits = max(0.0, (budget - BASE_MB) / FACTORS[kind])
    raise FileTooLargeError(
        key="memory.over_budget",
        params={
            "name": name,
            "mb": f"{size / 2**20:,.0f}",
            "need": f"{need:,.0f}",
            "budget": f"{budget:,.0f}",
            "fits": f"{fits:,.0f}",
            "kind": kind.upper(),
        },
        file=name,
        hint_key="hint.memory_over_budget",
    )


_slot = threading.Lock()


@contextmanager
def large_import_slot(size: int, on_wait: Callable[[], None] | None = None) -> Iterator[bool]:
    """Hold the process's large-import slot while a file of ``size`` bytes (from
    ``large_bytes()``) is parsed or loaded; smaller files pass straight through. When another
    large import holds it, ``on_wait()`` is called, then this waits its turn. Yields whether the
    slot was taken."""
    if size < large_bytes():
        yield False
        return
    if not _slot.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        _slot.acquire()
    try:
        yield True
    finally:
        _slot.release()
        release()


def slot_busy() -> bool:
    """True while a large import holds the slot."""
    return _slot.locked()


_libc = None


def release() -> None:
    """Collect garbage and hand freed heap memory back to the operating system (glibc)."""
    global _libc
    gc.collect()
    if _libc is None:
        path = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(path) if path else False
        except OSError:
            _libc = False
    trim = getattr(_libc, "malloc_trim", None) if _libc else None
    if trim is not None:
        trim(0)
