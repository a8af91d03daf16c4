"""One way to run the app for a browser: start a server process, wait for its health check,
stop it (terminate, then kill). Used by the browser tests (tests/e2e), the screenshots
(tools/screenshots.py) and the browser benchmark (bench/bench_browser.py).

    with app_server(db) as srv:          # python serve.py --port N --address 127.0.0.1
        page.goto(srv.url)

Waits are on ``/_stcore/health`` (polled), never sleeps. The server's output goes to a log file
(``srv.log``) so a failure can be read afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "serve.py"
HEALTH_TIMEOUT_S = 120.0  # a first start on a loaded 2-core machine imports pandas, plotly, duckdb ...
STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Server:
    """A running app server: its base URL (no trailing slash), port, log file and process."""

    url: str
    port: int
    log: Path
    proc: subprocess.Popen


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = HEALTH_TIMEOUT_S, log: Path | None = None) -> None:
    """Return once ``url``/_stcore/health answers 200; raise RuntimeError if the process exits
    first, TimeoutError after ``timeout`` seconds (the log's tail in the message when given)."""

    def tail() -> str:
        if log is None or not log.exists():
            return ""
        return "\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:])

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}{tail()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling interval of the health check, not a wait for the app
    raise TimeoutError(f"{url}/_stcore/health did not answer within {timeout:.0f} s{tail()}")


def stop(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT_S) -> None:
    """Terminate ``proc``; kill it if it has not exited after ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def command(port: int, *, streamlit_run: bool = False, entry: Path = SERVE) -> list[str]:
    """The command line of a loopback server on ``port``: ``python serve.py`` (what ``make run``
    does), or ``streamlit run serve.py`` (the other documented launcher) when ``streamlit_run``."""
    if streamlit_run:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(entry),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
    return [sys.executable, str(entry), "--port", str(port), "--address", "127.0.0.1"]


@contextlib.contextmanager
def app_server(
    db: Path | str | None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    log: Path | None = None,
    streamlit_run: bool = False,
    extra_args: Sequence[str] = (),
    timeout: float = HEALTH_TIMEOUT_S,
    port: int | None = None,
) -> Iterator[Server]:
    """The app served on a free loopback port over the DuckDB file ``db`` (``PMO_DB``; None
    keeps the environment's), with ``env`` added to the environment, run from ``cwd`` (its own
    serve.py if it has one: another checkout's app, for a before/after benchmark). Yields
    once healthy; stops the server on the way out (terminate, then kill). ``port``: a port
    chosen beforehand (e.g. for a sign-in redirect URI), else a free one."""
    port = port or free_port()
    proc_env = dict(os.environ)
    if db is not None:
        proc_env["PMO_DB"] = str(db)
    proc_env.update(env or {})
    if log is None:
        base = Path(db) if db is not None else Path(cwd) / "server"
        log = base.with_name(f"{base.stem}.server-{port}.log")
    url = f"http://127.0.0.1:{port}"
    # another checkout's own serve.py when it has one; else this app's (a folder holding only
    # .streamlit/ settings, e.g. the sign-in tests' secrets)
    entry = Path(cwd) / SERVE.name if (Path(cwd) / SERVE.name).exists() else SERVE
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*command(port, streamlit_run=streamlit_run, entry=entry), *extra_args],
            cwd=cwd,
            env=proc_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(url, proc, timeout, log)
            yield Server(url=url, port=port, log=log, proc=proc)
        finally:
            stop(proc)
