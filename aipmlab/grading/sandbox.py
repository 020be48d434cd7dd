"""Run a learner's grading kernel in a sandbox: Debian's ``bubblewrap`` plus an unprivileged user id of its own.

Every kernel that executes learner code during grading (``make check``, ``make grade``, plain
``nbgrader autograde`` with the course's config, and the test suite) starts as::

    bwrap [new PID, network, IPC and UTS namespaces; a read-only view of the system] --
      setpriv --reuid=<a user id of its own> --clear-groups [no capabilities, no new privileges] --
      prlimit --as=<memory cap> --nproc=<process cap> --fsize=<file cap> --
      python -m ipykernel_launcher -f <connection file>

What the learner's code can see and do inside:

* **files**: the operating system (``/usr``, ``/etc``) and the Python installation and virtual
  environment read-only; of the course, only the ``aipmlab`` package, ``assets/`` and
  ``requirements.txt`` (read-only). Not
  ``solutions/``, ``tests/``, the gradebook, the instructor's course folder or other learners'
  submissions: they are not in its file system at all. It writes only to its working directory
  (``/home/learner``), ``/tmp`` and ``/dev/shm``: private, size-capped in-memory folders that vanish
  with the sandbox;
* **processes**: its own PID namespace, so it cannot see or signal the grader or another learner's
  kernel; it runs as a user id of its own (no account, no capabilities); everything it starts dies with the sandbox
  (``--die-with-parent``, and the grader kills the whole tree when the notebook is done);
* **network**: none, not even the host's loopback. The grader talks to the kernel over Unix sockets
  (jupyter_client's ``ipc`` transport) in a runtime folder made for that kernel alone;
* **environment**: cleared, then only what the kernel needs (no API keys or grader settings leak in).

Where ``bwrap`` is missing or cannot create namespaces, :func:`problem` says why and grading refuses
to run unprotected (``HardenedExecute.sandbox = "auto"`` falls back only outside grading, see there).
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aipmlab.paths import REPO_ROOT

NOBODY_UID = 65534
NOBODY_GID = 65534
#: What every grading kernel and test process gets (``HardenedExecute.kernel_env``'s default).
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "AIPMLAB_HEADLESS": "1",
    "AIPMLAB_LLM_OFFLINE": "1",  # grading never calls a model: aipmlab.llm replays or refuses
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
MEMORY_MB = 3072
MAX_PROCESSES = 256
#: Kernels run as user ids from this range, one id per kernel: limits that count a user's processes
#: (RLIMIT_NPROC) then apply to one learner's kernel, never to two learners graded side by side.
UID_BASE, UID_SPAN = 2_000_000, 1_000_000
_kernels_started = itertools.count()


def fresh_uid() -> int:
    """A user id no other running kernel of this machine's graders uses (no account is needed).

    Only root can hand a kernel another user id; an instructor grading as themselves (say on
    JupyterHub) keeps their own, and the sandbox's private mounts and PID namespace do the isolating.
    """
    if os.geteuid() != 0:
        return os.getuid()
    return UID_BASE + (os.getpid() % 10_000) * 100 + next(_kernels_started) % 100


#: Course files the kernel may read (everything else of the repository is invisible): the helper
#: package, the data, and the pins that every lesson's setup cell checks the environment against.
COURSE_READ_ONLY = ("aipmlab", "assets", "requirements.txt")
INSTALL_HINT = (
    "Learner code is graded only inside a sandbox. Install Debian's bubblewrap "
    "(`sudo apt-get install bubblewrap`; `.ci/run` does this on CI) and run grading as a user "
    "that may create namespaces (root, or with unprivileged user namespaces enabled)."
)


def _read_only_paths() -> list[Path]:
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    paths.update((REPO_ROOT / name).resolve() for name in COURSE_READ_ONLY)
    # A venv's python is a symlink into the base installation: both are bound above.
    return sorted(p for p in paths if p.exists())


def _parents(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if str(p) != "/"]


WORK_DIR = "/home/learner"


def bwrap_command(inner: list[str], *, runtime: Path, env: dict[str, str], memory_mb: int = MEMORY_MB,
                  max_processes: int = MAX_PROCESSES, max_file_mb: int = 256, scratch_mb: int = 512,
                  uid: int = NOBODY_UID) -> list[str]:
    """The full command that runs ``inner`` in the sandbox (see the module docstring).

    ``runtime`` holds the kernel's connection file and sockets; it must exist and be writable by
    the kernel's user. The working directory and ``/tmp`` are in-memory folders of ``scratch_mb`` each.
    """
    size = str(scratch_mb * 1024 * 1024)
    cmd = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session", "--clearenv"]
    if os.geteuid() != 0:  # an ordinary user needs a user namespace to make the others
        cmd.insert(1, "--unshare-user")
    for key, value in sorted(env.items()):
        cmd += ["--setenv", str(key), str(value)]
    cmd += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ("lib", "lib64", "bin", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            cmd += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            cmd += ["--ro-bind", str(target), str(target)]
    # The in-memory folders first, then the folders on the way to each bound path (readable by the
    # kernel's user), then the binds: a checkout under /tmp or a home folder must not be hidden by a
    # later mount, nor sit behind a folder only root may enter.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", size, "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", size, "--tmpfs", "/tmp",
            "--perms", "0755", "--dir", "/home", "--perms", "1777", "--size", size, "--tmpfs", WORK_DIR]
    made = {Path(p) for p in ("/usr", "/etc", "/tmp", "/home", "/proc", "/dev", WORK_DIR)}
    for path in [*_read_only_paths(), runtime]:
        for parent in _parents(path):
            if parent not in made:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
    for path in _read_only_paths():
        cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--bind", str(runtime), str(runtime), "--chdir", WORK_DIR]
    cmd += ["--"]
    if os.geteuid() == 0:  # root hands the kernel a user id of its own, with no capabilities
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    cmd += ["prlimit", f"--nproc={max_processes}", f"--fsize={max_file_mb * 1024 * 1024}"]
    if memory_mb > 0:
        cmd.append(f"--as={memory_mb * 1024 * 1024}")
    cmd += ["--", *inner]
    return cmd


def trusted_launch(sandboxed: bool, kernel_env: dict, memory_mb: int, max_processes: int):
    """How a trusted test process starts: ``(argv_for(inner), env, private folder or None)``.

    In the sandbox it gets a user id and a folder of its own and the kernels' cleared environment;
    without one, the grader's environment plus ``kernel_env``.
    """
    if not sandboxed:
        env = dict(os.environ)
        env.update({str(k): str(v) for k, v in kernel_env.items()})
        return (lambda inner: inner), env, None
    uid = fresh_uid()
    folder = make_private_dir("aipmlab-tests-", uid)

    def argv_for(inner: list[str]) -> list[str]:
        return bwrap_command(inner, runtime=folder, env=kernel_environment(kernel_env), memory_mb=int(memory_mb),
                             max_processes=int(max_processes), uid=uid)

    return argv_for, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, folder


def kernel_environment(extra: dict[str, str]) -> dict[str, str]:
    """The whole environment of a sandboxed kernel: nothing of the grader's own is passed on."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": WORK_DIR,
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime",
        "IPYTHONDIR": "/tmp/ipython",
        "PYTHONDONTWRITEBYTECODE": "1",
        "AIPMLAB_LLM_OFFLINE": "1",
    }
    env.update({str(k): str(v) for k, v in extra.items()})
    return env


def make_private_dir(prefix: str, uid: int = NOBODY_UID) -> Path:
    """A fresh, empty folder owned by ``uid`` (for one kernel's connection file and sockets)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:  # an ordinary user's folder is already theirs
        os.chown(path, uid, uid)
    path.chmod(0o755)
    return path


@functools.cache
def problem() -> str:
    """Why a sandbox cannot be made on this machine, or '' when it can (checked once per process)."""
    if sys.platform != "linux":
        return f"The grading sandbox needs Linux; this is {sys.platform}. {INSTALL_HINT}"
    for tool in ("bwrap", "setpriv", "prlimit"):
        if shutil.which(tool) is None:
            return f"`{tool}` was not found on PATH. {INSTALL_HINT}"
    uid = NOBODY_UID if os.geteuid() == 0 else os.getuid()
    scratch = make_private_dir("aipmlab-sbx-check-", uid)
    try:
        cmd = bwrap_command([sys.executable, "-c", "import os; print(os.getuid())"],
                            runtime=scratch, env=kernel_environment({}), memory_mb=0, uid=uid)
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bwrap could not start: {exc}. {INSTALL_HINT}"
        if out.returncode != 0 or out.stdout.strip() != str(uid):
            detail = (out.stderr or out.stdout).strip().splitlines()[-1:] or ["no output"]
            return f"bwrap could not make a sandbox here ({detail[0]}). {INSTALL_HINT}"
        return ""
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
