"""The Java runtime MPXJ needs, started only inside the isolated parse child (``safety.py``).

``java_status()`` says whether native schedule files can be read here (Java, JPype and the
``mpxj`` package present) without starting anything, so the Import page and the CLI can say
exactly what to install. ``start()`` starts the JVM once per child process with a heap that fits
the child's address-space cap: the child's Python side (NumPy/Arrow runtime) reserves about
1.5 GiB, the JVM's own code cache, class space and thread stacks about 0.4 GiB more (with glibc's
malloc arenas limited to two: each JVM thread would otherwise reserve a 64 MiB arena), and Java's
default heap (a quarter of the machine's memory, reserved up front) would not fit a 4 GiB cap:
4096 - 1536 - 512 - 512 = a 1536 MiB heap.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from ..errors import IngestError

PYTHON_RESERVE_MB = 1536  # what the child's Python/NumPy/Arrow runtime reserves (1.4 GiB measured)
JVM_OVERHEAD_MB = 512  # code cache, class space, metaspace, thread stacks (0.4 GiB measured, capped below)
WORK_MARGIN_MB = 512  # the Python side's frames built from the read project
MIN_HEAP_MB = 256
CHILD_ENV = "PMO_PARSE_CHILD_MB"  # set by safety._child: "this process is the parse child, cap N MiB"
INSTALL_HINT = "apt-get install default-jre-headless && pip install mpxj jpype1  (or: make jre)"


@dataclass(frozen=True)
class JavaStatus:
    """Whether native schedule files can be read: ``ok``, else ``missing`` names what is absent."""

    ok: bool
    missing: str = ""  # "java" or "mpxj"


def java_status() -> JavaStatus:
    """Java runtime and the Python packages present? (Nothing is started.)"""
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError:
        return JavaStatus(False, "mpxj")
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.exists(os.path.join(java_home, "bin", "java")):
        return JavaStatus(True)
    if shutil.which("java") is None:
        try:
            import jpype

            jpype.getDefaultJVMPath()
        except Exception:  # noqa: BLE001 - JVMNotFoundException and friends
            return JavaStatus(False, "java")
    return JavaStatus(True)


def heap_mb(cap_mb: int) -> int:
    """``-Xmx`` for a child whose whole address space is capped at ``cap_mb`` MiB."""
    return max(MIN_HEAP_MB, int(cap_mb) - PYTHON_RESERVE_MB - JVM_OVERHEAD_MB - WORK_MARGIN_MB)


def jvm_options(cap_mb: int) -> list[str]:
    """JVM flags: heap sized to the cap, other reservations capped, quick start (no JIT tiers
    beyond C1: a parse is short), no AWT."""
    return [
        f"-Xmx{heap_mb(cap_mb)}m",
        "-Xss1m",
        "-XX:ReservedCodeCacheSize=64m",
        "-XX:CompressedClassSpaceSize=64m",
        "-XX:MaxMetaspaceSize=192m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
    ]


def start(file: str = "") -> None:
    """Start the JVM in this process (once). Refused outside the isolated parse child: a JVM
    cannot be stopped again and must never live in the server process."""
    cap = os.environ.get(CHILD_ENV)
    if not cap:
        raise IngestError(key="native.not_isolated", file=file)
    status = java_status()
    if not status.ok:
        raise IngestError(key=f"native.no_{status.missing}", file=file, hint_key="hint.install_java")
    import jpype

    if jpype.isJVMStarted():
        return
    import mpxj  # noqa: F401 - puts MPXJ's jars on the class path

    _limit_malloc_arenas()

    jpype.startJVM(*jvm_options(int(float(cap))), convertStrings=True)


def _limit_malloc_arenas() -> None:
    """glibc gives each new thread its own 64 MiB malloc arena (address space, counted by the
    child's RLIMIT_AS); the JVM starts a dozen threads. Two arenas are plenty for one parse."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc
        pass
