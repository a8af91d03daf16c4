"""Defences against hostile and broken uploads: a clear error, the server stays up, the database
unchanged.

Two layers:

1. Checks before any parser runs (``readers.check_xlsx``: zip structure, per-part compression
   ratio, total unpacked size, DTDs in workbook XML, declared and actual sheet extent;
   ``xmlread.parse_xml``: XML through ``defusedxml`` with DTDs, entities and external references
   refused, so billion-laughs, quadratic blow-up and XXE cannot run).
2. ``parse_isolated``: the whole read/detect/parse runs in a child process (``forkserver`` on
   Linux, ``spawn`` elsewhere) under an address-space limit (``RLIMIT_AS``), a CPU-time limit and
   a wall-clock timeout. python-calamine *aborts the whole process* when a crafted workbook makes
   it allocate a huge sheet; in the child that abort only ends the child, and the person sees
   ``UnsafeFileError``. Errors raised in the child (``IngestError`` and friends) come back with
   their message, hint, file and sheet intact. The result is pickled back to the caller.

Limits (keyword arguments, else environment, else defaults): ``memory_mb``
(``PMO_PARSE_MEMORY_MB``, 4096; the child's whole address space, which includes about 1.5 GB the
Arrow/NumPy runtime reserves), ``timeout_s`` (``PMO_PARSE_TIMEOUT_S``, 300). At most
``PMO_PARSE_WORKERS`` (2) children run at once; further callers wait their turn.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types

from .. import errors
from ..errors import IngestError, PmoError, UnsafeFileError

DEFAULT_MEMORY_MB = 4096
# imported before the limits are set, so that a low memory limit cannot fail an import
PRELOAD = [
    "pmo_analytics.ingest",
    "python_calamine",
    "pyarrow.csv",
    "pyarrow.compute",
    "defusedxml.ElementTree",
    "openpyxl",
]
DEFAULT_TIMEOUT_S = 300.0

_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


# ---------------------------------------------------------------- isolation


def _env_num(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _slots_sem() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, int(_env_num("PMO_PARSE_WORKERS", 2))))
        return _slots


def _context():
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        try:
            ctx.set_forkserver_preload(PRELOAD)
        except (AttributeError, ValueError):  # pragma: no cover - older Pythons
            pass
        return ctx
    return multiprocessing.get_context("spawn")


def _error_payload(exc: PmoError) -> tuple:
    attrs = {k: v for k, v in vars(exc).items() if isinstance(v, (str, int, float, list, dict, type(None)))}
    attrs.pop("problems", None)
    problems = getattr(exc, "problems", None)
    return ("error", type(exc).__name__, exc.message, attrs, problems)


def _rebuild_error(cls_name: str, message: str, attrs: dict, problems) -> PmoError:
    cls = getattr(errors, cls_name, None)
    if not (isinstance(cls, type) and issubclass(cls, PmoError)):
        cls = IngestError
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.__dict__.update(attrs)
    exc.message = message
    if problems is not None:
        exc.problems = problems
    return exc


def _pack(parsed):  # pragma: no cover - runs in the child
    """Tables as Arrow IPC bytes (text columns pickle one Python object per value; a 1M-row table
    crosses the pipe several times faster as Arrow). Falls back to plain pickling per table."""
    import pyarrow as pa

    packed = {}
    tables, parsed.tables = parsed.tables, {}
    for name in list(tables):
        df = tables.pop(name)  # each frame freed once packed: the child's peak stays lower
        try:
            arrays, kinds = [], {}
            for c in df.columns:
                col = df[c]
                if col.dtype == object:
                    arrays.append(pa.array(col.to_numpy(), from_pandas=True))
                    kinds[c] = "object"
                else:
                    arrays.append(pa.Array.from_pandas(col))
                    kinds[c] = str(col.dtype)
            table = pa.Table.from_arrays(arrays, names=[str(c) for c in df.columns])
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            del table, arrays
            packed[name] = ("arrow", sink.getvalue().to_pybytes(), kinds)
        except Exception:  # noqa: BLE001 - mixed object columns: pickle as they are
            packed[name] = ("frame", df, None)
    parsed.tables = packed
    return parsed


# From this many rows a text column comes back Arrow-backed (pandas "string[pyarrow]": one
# buffer, no Python object per value, missing values as <NA>): a 1.5M-row upload then takes
# about a quarter of the memory in the server. Smaller tables keep object text with None.
COMPACT_ROWS = 100_000


def _unpack(parsed):
    """The inverse of ``_pack`` (same dtypes: object text with None, lists as lists; text
    columns of tables from ``COMPACT_ROWS`` rows as Arrow-backed strings)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    tables = {}
    items, parsed.tables = dict(parsed.tables or {}), {}
    for name in list(items):
        item = items.pop(name)  # each payload freed once unpacked
        if not (isinstance(item, tuple) and len(item) == 3 and item[0] in ("arrow", "frame")):
            tables[name] = item
            continue
        kind, payload, kinds = item
        if kind == "frame":
            tables[name] = payload
            continue
        table = pa.ipc.open_stream(pa.py_buffer(payload)).read_all()
        data = {}
        for field, col in zip(table.schema, table.columns, strict=True):
            k = kinds[field.name]
            if k == "object":
                if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
                    vals = np.empty(len(col), dtype=object)
                    vals[:] = col.to_pylist()
                elif pa.types.is_null(field.type):
                    vals = np.full(len(col), None, dtype=object)
                elif len(col) >= COMPACT_ROWS and (
                    pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
                ):
                    data[field.name] = pd.Series(pd.arrays.ArrowStringArray(col.cast(pa.large_string())))
                    continue
                else:
                    vals = col.to_numpy().astype(object)
                    vals[pd.isna(vals)] = None
                data[field.name] = pd.Series(vals, dtype=object)
            else:
                data[field.name] = col.to_pandas().astype(k)
        tables[name] = pd.DataFrame(data, copy=False)
    parsed.tables = tables
    return parsed


def _child(  # pragma: no cover - runs in the child
    conn, task: str, name: str, data: bytes, kw: dict, mem_bytes: int, cpu_s: int
) -> None:
    import importlib

    for mod in PRELOAD:
        try:
            importlib.import_module(mod)
        except ImportError:
            pass
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or hard > cpu_s:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    except (ImportError, ValueError, OSError):
        pass
    os.environ["RUST_BACKTRACE"] = "0"
    # the JVM (native schedule files, ingest/jvm.py) may start only here, sized to this cap
    os.environ["PMO_PARSE_CHILD_MB"] = str(mem_bytes // 2**20)
    try:
        if task == "read":
            from .readers import read_upload

            raw = read_upload(name, data, **kw)
            raw.digest = raw.sha256
            raw.data = b""  # the caller has the bytes: not a second copy back through the pipe
            msg = ("ok", raw)
        else:
            from . import parse_bytes

            msg = ("ok", _pack(parse_bytes(name, data, **kw)))
    except PmoError as exc:
        msg = _error_payload(exc)
    except MemoryError:
        msg = ("memory",)
    except RecursionError:
        msg = ("crash", "the file is nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a clear error
        msg = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(msg)
    except MemoryError:
        conn.send(("memory",))
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
        conn.send(("crash", f"the result could not be returned: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def parse_isolated(
    name: str,
    data: bytes,
    *,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    **kw,
):
    """``ingest.parse_bytes(name, data, **kw)`` in a child process with memory and time limits.

    Returns the ``ParsedUpload``; raises the same ``IngestError`` subclasses ``parse_bytes`` does,
    plus ``UnsafeFileError`` when the child crashed, ran out of memory or out of time. The caller's
    process (the Streamlit server) is never at risk."""
    return _run_isolated("parse", name, data, timeout_s, memory_mb, kw)


def read_isolated(
    name: str,
    data: bytes,
    *,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    **kw,
):
    """``readers.read_upload(name, data, **kw)`` (the raw sheets, e.g. for the mapping editor) in a
    child process with the same limits as ``parse_isolated``."""
    return _run_isolated("read", name, data, timeout_s, memory_mb, kw)


_start_lock = threading.Lock()


def _start(proc) -> None:
    """Start ``proc`` without making the child import the caller's ``__main__``.

    multiprocessing re-imports the main script in a forkserver/spawn child. Under Streamlit the
    main module is the page being run, so the child would run the whole page (UI, database) before
    parsing. A bare ``__main__`` is put in place just for the start."""
    with _start_lock:
        main = sys.modules.get("__main__")
        bare = types.ModuleType("__main__")
        sys.modules["__main__"] = bare
        try:
            proc.start()
        finally:
            if sys.modules.get("__main__") is bare and main is not None:
                sys.modules["__main__"] = main


def _run_isolated(task: str, name: str, data: bytes, timeout_s, memory_mb, kw: dict):
    timeout = float(timeout_s if timeout_s is not None else _env_num("PMO_PARSE_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    mem_mb = int(memory_mb if memory_mb is not None else _env_num("PMO_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB))
    ctx = _context()
    with _slots_sem():
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_child,
            args=(child, task, name, data, kw, mem_mb * 2**20, int(timeout) + 1),
            name=f"pmo-parse-{os.getpid()}",
            daemon=True,
        )
        _start(proc)
        child.close()
        deadline = time.monotonic() + timeout
        msg = None
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if parent.poll(min(left, 0.5)):
                    try:
                        msg = parent.recv()
                    except (EOFError, OSError):
                        msg = None
                    break
                if not proc.is_alive() and not parent.poll(0):
                    break
        finally:
            if msg is None and proc.is_alive():
                proc.kill()
            proc.join(timeout=10)
            if proc.is_alive():  # pragma: no cover - should not happen after SIGKILL
                proc.kill()
                proc.join(timeout=5)
            parent.close()
    if msg is None:
        code = proc.exitcode
        if code is None or time.monotonic() >= deadline:
            raise UnsafeFileError(
                key="safety.timeout", params={"seconds": timeout}, file=name, hint_key="hint.split_or_fewer_columns"
            )
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
            what = {
                -signal.SIGKILL: "safety.reader_memory",
                -signal.SIGABRT: "safety.reader_aborted",
                -signal.SIGSEGV: "safety.reader_crashed",
                -signal.SIGBUS: "safety.reader_crashed",
            }[code]
        elif code == -signal.SIGXCPU:
            what = "safety.reader_cpu"
        else:
            what = "safety.reader_exit"
        raise UnsafeFileError(key=what, params={"code": code}, file=name, hint_key="hint.fresh_copy")
    kind = msg[0]
    if kind == "ok":
        return _unpack(msg[1]) if task == "parse" else msg[1]
    if kind == "error":
        raise _rebuild_error(*msg[1:])
    if kind == "memory":
        raise UnsafeFileError(
            key="safety.memory", params={"limit_mb": mem_mb}, file=name, hint_key="hint.split_or_raise_memory"
        )
    raise IngestError(key="safety.unreadable", params={"detail": str(msg[1])}, file=name)
