"""Start and stop gunicorn servers on loopback for the throughput runs."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "--workers 2 --threads 1").split()


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict[str, str], health: str = "/healthz"):
    """Run `gunicorn target` with the benchmark settings; yield its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}",
           "--log-level", "warning", "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG")
           else "/dev/null", target]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn {target} exited with {proc.returncode}")
            try:
                urllib.request.urlopen(base + health, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {target} did not answer on {base}") from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
