"""tools/server.py, the one way the browser tests, screenshots and browser benchmark run the app:
it reports a server that died instead of waiting out its timeout, and stops a server that
ignores SIGTERM by killing it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tools import server


def test_wait_healthy_reports_a_process_that_exited(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("Traceback: no module named nope\n")
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    proc.wait(timeout=60)
    with pytest.raises(RuntimeError, match=r"exited with 3[\s\S]*no module named nope"):
        server.wait_healthy(f"http://127.0.0.1:{server.free_port()}", proc, timeout=60, log=log)


def test_stop_kills_a_process_that_ignores_terminate():
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"  # the handler is in place
    server.stop(proc, timeout=1)
    assert proc.returncode == -9  # SIGKILL after SIGTERM was ignored
    proc.stdout.close()


def test_commands_bind_loopback():
    assert server.command(8600)[-4:] == ["--port", "8600", "--address", "127.0.0.1"]
    cmd = server.command(8600, streamlit_run=True)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
