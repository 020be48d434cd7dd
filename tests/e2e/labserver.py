"""Start and stop a JupyterLab server for the end-to-end tests, leaving nothing running."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil

from aipmlab.paths import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_get(base: str, token: str, path: str) -> dict:
    req = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.load(resp)


def lab_environment() -> dict[str, str]:
    """The server runs as a learner's would: widgets interactive, no headless fallback."""
    env = dict(os.environ)
    env.pop("AIPMLAB_HEADLESS", None)
    env.pop("MPLBACKEND", None)
    env["PATH"] = str(REPO_ROOT / ".venv" / "bin") + os.pathsep + env.get("PATH", "")
    return env


@contextmanager
def running_server(cmd: list[str], base: str, token: str, log_path: Path, cwd: Path, timeout: float = 90):
    """Run a server command until the contents API answers; stop it and every child on exit."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=lab_environment(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            wait_until_serving(proc, base, token, log_path, timeout)
            yield proc
        finally:
            stop_tree(proc, base, token)


def wait_until_serving(proc: subprocess.Popen, base: str, token: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"The JupyterLab server exited early (code {proc.returncode}); see {log_path}.")
        try:
            api_get(base, token, "/api/contents")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; see {log_path}.") from None
            time.sleep(0.3)


def stop_tree(proc: subprocess.Popen, base: str, token: str) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure the whole tree is gone."""
    try:
        family = [psutil.Process(proc.pid)] + psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    try:
        req = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                     headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(req, timeout=5).close()
    except OSError:
        pass
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=5)
    _, alive = psutil.wait_procs(family, timeout=5)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


def new_token() -> str:
    return secrets.token_hex(16)
