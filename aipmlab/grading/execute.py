"""nbgrader's ``Execute`` step, hardened against submissions that crash, hang, flood or cheat.

``nbgrader_config.py`` puts :class:`HardenedExecute` in place of nbgrader's ``Execute``, so plain
``nbgrader autograde``, ``make check``, ``make grade`` and the test suite all run it. Compared with
nbgrader's own step (nbgrader issues #427, #1033, #1429), it:

* **limits memory**: the kernel's address space is capped with ``prlimit`` (``memory_limit_mb``), so
  a memory bomb raises ``MemoryError`` in the learner's cell; a watchdog also kills the kernel if the
  resident memory of the kernel and its child processes goes over the same limit;
* **survives a dead or stuck kernel** (``os._exit()``, a crash, a loop that ignores the interrupt):
  the cell that killed the kernel gets an error output, a fresh kernel replays the cells before it
  (without the culprit), and grading goes on with the next cell. So only the cells that depend on the
  broken code lose points. After ``max_restarts`` restarts the remaining cells are marked as not run;
* **bounds time and output**: each cell still has nbgrader's ``timeout`` (60 s in this course); the
  whole notebook has ``notebook_timeout``; a cell keeps at most ``max_output_bytes`` of output;
* **protects the names tests rely on**: see ``aipmlab/grading/kernel_guard.py``;
* **runs every kernel the same way**: fixed environment (``kernel_env``: one BLAS thread, a fixed
  hash seed, headless plotting), the lesson's own kernel when a submission names another one, and
  an immediate kernel shutdown instead of nbgrader's graceful few-second wait.

The error names it writes (``MemoryLimitExceeded``, ``KernelDied``, ``KernelUnresponsive``,
``NotebookTimeout``, ``GradingIntegrityError``) are explained to learners by
``aipmlab.grading.feedback``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from time import monotonic
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Enum, Integer, Unicode

from aipmlab.grading import sandbox as _sandbox
from aipmlab.grading.verdict import setup_source, template_key

GUARD_SOURCE = (Path(__file__).with_name("kernel_guard.py")).read_text(encoding="utf-8")
GUARD_MODULE = "_aipmlab_guard"
RPC_SOURCE = (Path(__file__).with_name("learner_rpc.py")).read_text(encoding="utf-8")
RPC_MODULE = "_aipmlab_rpc"

#: Error names this executor writes into cells, with the message shown in the notebook.
GRADER_ERRORS = {
    "MemoryLimitExceeded": "The kernel used more than {limit} MB of memory and was stopped.",
    "KernelDied": "The kernel stopped while running this cell (for example os._exit(), a crash, or "
                  "running out of memory).",
    "KernelUnresponsive": "The cell ran past the time limit and ignored the interrupt, so the kernel "
                          "was stopped.",
    "NotebookTimeout": "Not run: the whole notebook ran past the grader's {limit} s limit.",
    "NotRun": "Not run: the kernel had to be restarted too many times earlier in this notebook.",
    "NotGraded": "Not graded: the grader could not execute this submission or confirm its results, so "
                 "its auto-graded cells score zero.",
    "TestProcessLost": "The grader's test process stopped or ran past the time limit while running this "
                       "test, so it scores zero.",
    "GradingIntegrityError": "The notebook interfered with the grader (it removed or replaced the "
                             "grader's guard), so this test cannot be trusted and scores zero.",
}


#: Called as ``progress(event, cell)`` while a notebook is graded ("kernel" once its kernel is ready,
#: "cell" before each code cell runs): ``make check`` shows which exercise is being graded. Only the
#: grader's own process sets it; it sees cells, never changes them.
progress = None


def _progress(event: str, cell: NotebookNode | None = None) -> None:
    if progress is not None:
        with contextlib.suppress(Exception):
            progress(event, cell)


def _guard_call(expr: str) -> str:
    return f"__import__('sys').modules[{GUARD_MODULE!r}].{expr}"


def guard_setup_code() -> str:
    """Code run silently in a fresh kernel: load the guard from its source and snapshot built-ins."""
    return (
        "def __aipmlab_load_guard(src):\n"
        "    import sys, types\n"
        f"    mod = types.ModuleType({GUARD_MODULE!r})\n"
        "    exec(compile(src, '<aipmlab grading guard>', 'exec'), mod.__dict__)\n"
        f"    sys.modules[{GUARD_MODULE!r}] = mod\n"
        "    ip = get_ipython()\n"
        "    mod.install(ip.user_ns, hidden=list(getattr(ip, 'user_ns_hidden', {})))\n"
        f"__aipmlab_load_guard({GUARD_SOURCE!r})\n"
        "del __aipmlab_load_guard\n"
    )


def rpc_setup_code() -> str:
    """Code run silently in a fresh kernel: load the module that answers the trusted test process."""
    return (
        "def __aipmlab_load_rpc(src):\n"
        "    import sys, types\n"
        f"    mod = types.ModuleType({RPC_MODULE!r})\n"
        "    exec(compile(src, '<aipmlab grading channel>', 'exec'), mod.__dict__)\n"
        f"    sys.modules[{RPC_MODULE!r}] = mod\n"
        f"__aipmlab_load_rpc({RPC_SOURCE!r})\n"
        "del __aipmlab_load_rpc\n"
        f"__import__('sys').modules[{RPC_MODULE!r}].register()\n"
    )


def is_graded_test(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_locked_code(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("locked")) and not meta.get("solution")


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def kill_children(pid: int) -> None:
    """Kill every process started by process ``pid`` (not ``pid`` itself)."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return
    for proc in children:
        with contextlib.suppress(psutil.Error):
            proc.kill()


class _MemoryWatchdog:
    """Poll the resident memory of a kernel and its children; kill them all past the limit."""

    def __init__(self, pid: int, limit_bytes: int, interval: float = 0.25) -> None:
        self.pid, self.limit, self.interval = pid, limit_bytes, interval
        self.fired = False
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"aipmlab-memwatch-{pid}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.wait(self.interval):
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for proc in procs:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            if total > self.limit:
                self.fired = True
                for proc in reversed(procs):
                    with contextlib.suppress(psutil.Error):
                        proc.kill()
                return

    def stop(self) -> None:
        self._stop.set()


#: One template of the trusted test process per grading process (a lesson at a time): key -> Zygote.
_ZYGOTE: dict[tuple, Any] = {}


def _discard_template(zygote: Any, folder: Path | None) -> None:
    zygote.close()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _close_zygote() -> None:
    for key in list(_ZYGOTE):
        _discard_template(*_ZYGOTE.pop(key))


def _keep_template(key: tuple, zygote: Any, folder: Path | None) -> Any:
    """Make ``zygote`` this process's template for ``key`` (closed when the process exits)."""
    import atexit

    if not _ZYGOTE:
        atexit.register(_close_zygote)
    _ZYGOTE[key] = (zygote, folder)
    return zygote


def _trusted_launch(executor: HardenedExecute):
    """How this executor's trusted test process starts (see :func:`aipmlab.grading.sandbox.trusted_launch`)."""
    return _sandbox.trusted_launch(executor._sandboxed, executor.kernel_env, executor.memory_limit_mb,
                                   executor.max_processes)


def _template_key(executor: HardenedExecute, setup: str) -> tuple:
    return template_key(setup, executor._sandboxed, executor.kernel_env, executor.memory_limit_mb,
                        executor.max_processes)


def _zygote_for(executor: HardenedExecute, setup: str, channels: int = 1):
    """The template for this setup cell and these settings, started (or replaced) when needed."""
    from aipmlab.grading.verdict import Zygote

    key = _template_key(executor, setup)
    if key in _ZYGOTE and _ZYGOTE[key][0].alive():
        return _ZYGOTE[key][0]
    _close_zygote()
    argv_for, env, folder = _trusted_launch(executor)
    try:
        zygote = Zygote(argv_for, env, setup, channels=channels)
    except Exception:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return _keep_template(key, zygote, folder)


def start_shared_template(course_dir: str | os.PathLike, lesson: str, workers: int, early=None):
    """``make grade``'s host: start the lesson's test-process template once, for ``workers`` forked workers.

    The template is keyed exactly as each worker's ``HardenedExecute`` would key its own (the setup
    cell and the sandbox settings, from the course's ``nbgrader_config.py``); each worker then calls
    :func:`adopt_shared_template` with its number. ``early`` is ``(key, zygote, folder)`` from
    ``aipmlab.grading.workers.early_template``, started before nbgrader was loaded: it is kept when
    its key is the right one, and closed otherwise. Where the key cannot be worked out (a course
    without the trusted process, a lesson without a setup cell), nothing is started and each worker
    starts its own template as usual. Returns the template, or None.
    """
    from traitlets.config.loader import PyFileConfigLoader

    from aipmlab.grading.notebook import read_notebook

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    executor = HardenedExecute(config=cfg)
    setup = setup_source(read_notebook(Path(course_dir) / "solutions" / lesson / f"{lesson}.ipynb"))
    usable = executor.verdicts_apart and executor.share_setup and setup is not None
    if usable:
        executor._sandboxed = executor._use_sandbox()
    if early is not None:
        key, zygote, folder = early
        if usable and key == _template_key(executor, setup) and zygote.alive():
            return _keep_template(key, zygote, folder)
        _discard_template(zygote, folder)
    return _zygote_for(executor, setup, channels=workers) if usable else None


def adopt_shared_template(channel: int) -> None:
    """In a forked worker: keep channel ``channel`` of the template its host started; the folder is the host's."""
    for key, (zygote, _) in list(_ZYGOTE.items()):
        zygote.adopt(channel)
        _ZYGOTE[key] = (zygote, None)


def release_shared_template() -> None:
    """In the host, once the workers are forked: it keeps the template's process and folder, no channel."""
    for zygote, _ in _ZYGOTE.values():
        zygote.release()


class HardenedExecute(Execute):
    """nbgrader's Execute, hardened; see the module docstring."""

    memory_limit_mb = Integer(
        _sandbox.MEMORY_MB, help="Memory cap of a grading kernel in MB (address space via prlimit, and resident "
                   "memory of the kernel plus its children via a watchdog). 0 turns the cap off.",
    ).tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds a whole notebook may run; cells after that are marked as not run. 0: no limit.",
    ).tag(config=True)
    max_restarts = Integer(
        3, help="How many times a dead or stuck kernel is restarted (and the cells before replayed).",
    ).tag(config=True)
    max_output_bytes = Integer(
        2_000_000, help="Output kept per cell while executing; the rest is dropped. 0: no limit.",
    ).tag(config=True)
    protect_names = Bool(
        True, help="Run the kernel guard (aipmlab/grading/kernel_guard.py) around graded test cells.",
    ).tag(config=True)
    sandbox = Enum(
        ["required", "if-available", "off"], "required",
        help="'required' (the course's setting for nbgrader autograde and make grade): every kernel runs "
             "in the bubblewrap sandbox (aipmlab/grading/sandbox.py) and grading refuses to run where one "
             "cannot be made. 'if-available' (make check: learners grading their own code) uses it where "
             "the machine can make one. 'off' runs learner code unprotected: never for others' work.",
    ).tag(config=True)
    max_processes = Integer(
        _sandbox.MAX_PROCESSES, help="Processes the sandboxed kernel's user may run at once (fork bombs stop here).",
    ).tag(config=True)
    verdicts_apart = Bool(
        True, help="Run the setup cell, the locked cells and every graded test cell in a trusted process "
                   "of their own (aipmlab/grading/verdict.py); tests reach the learner's functions and "
                   "values through a narrow channel. False runs tests in the learner's kernel (plain "
                   "nbgrader's way), where learner code can tamper with their verdicts.",
    ).tag(config=True)
    share_setup = Bool(
        True, help="Run the lesson's setup cell once per grading process in a template of the trusted test "
                   "process, and fork a child of it per notebook (the setup cell is locked, so it is the same "
                   "for every submission): each notebook's test process then starts in milliseconds.",
    ).tag(config=True)
    fallback_kernel = Unicode(
        "python3", help="Kernel used when a notebook names a kernel that is not installed.",
    ).tag(config=True)
    kernel_env = Dict(
        _sandbox.KERNEL_ENV,
        help="Environment variables set for every grading kernel (on top of the grader's own).",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", AsyncKernelManager)
        super().__init__(*args, **kwargs)

    # -- kernel life cycle ---------------------------------------------------------------------
    def _choose_kernel(self) -> None:
        from jupyter_client.kernelspec import KernelSpecManager

        name = self.nb.metadata.get("kernelspec", {}).get("name") or self.fallback_kernel
        try:
            available = KernelSpecManager().find_kernel_specs()
        except Exception:  # noqa: BLE001 - a broken Jupyter install: let nbclient report it
            available = {}
        if name not in available and self.fallback_kernel in available:
            self.log.warning("Notebook asks for kernel %r, which is not installed; using %r.",
                             name, self.fallback_kernel)
            name = self.fallback_kernel
        self.kernel_name = name

    def _use_sandbox(self) -> bool:
        if self.sandbox == "off":
            return False
        why = _sandbox.problem()
        if why and self.sandbox == "required":
            raise RuntimeError(f"Refusing to run learner code without a sandbox: {why}")
        return not why

    def _sandbox_kernel(self) -> None:
        """Point the kernel manager at a sandboxed kernel that speaks over Unix sockets."""
        uid = _sandbox.fresh_uid()
        self._runtime_dir = _sandbox.make_private_dir("aipmlab-kernel-", uid)
        km = self.km
        km.transport = "ipc"
        km.ip = str(self._runtime_dir / "k")
        km.connection_file = str(self._runtime_dir / "kernel.json")
        km.write_connection_file()
        os.chmod(km.connection_file, 0o644)
        inner = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        argv = _sandbox.bwrap_command(
            inner, runtime=self._runtime_dir,
            env=_sandbox.kernel_environment(self.kernel_env), memory_mb=int(self.memory_limit_mb),
            max_processes=int(self.max_processes), uid=uid)
        km._kernel_spec = KernelSpec(argv=argv, display_name="Python 3 (sandboxed)", language="python",
                                     interrupt_mode="message", env={})

    def _start_kernel(self) -> None:
        self.km = self.create_kernel_manager()
        sandboxed = self._sandboxed
        if sandboxed:
            self._sandbox_kernel()
        env = dict(os.environ)
        env.update({str(k): str(v) for k, v in self.kernel_env.items()})
        # The kernel's own stdout/stderr (not what cells print) go nowhere: learner code writing to
        # file descriptor 1 must not reach, flood or imitate the grader's log.
        self.start_new_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.start_new_kernel_client()
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        self._kernel_pid = pid
        self._watchdog = None
        limit = int(self.memory_limit_mb) * 1024 * 1024
        if pid and limit > 0:
            if not sandboxed:  # in the sandbox, prlimit caps the kernel's address space itself
                try:
                    import resource

                    resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
                except (ImportError, AttributeError, OSError, ValueError) as exc:  # not Linux
                    self.log.warning("Could not cap the kernel's address space (%s); the watchdog still applies.", exc)
            self._watchdog = _MemoryWatchdog(pid, limit)
        self._guard_ready = False
        if self.protect_names:
            self._guard_ready = self._run_silent(guard_setup_code()) == "ok"
            if not self._guard_ready:
                self.log.warning("Could not install the grading guard in the kernel.")
        self._rpc_comm = None
        if getattr(self, "_verdict_on", False):
            if self._run_silent(rpc_setup_code()) == "ok":
                self._open_rpc_comm()
            else:
                self.log.warning("Could not install the channel to the test process in the kernel.")
        info = self.wait_for_reply(self.kc.kernel_info())
        if info and "language_info" in info["content"]:
            self.nb.metadata["language_info"] = info["content"]["language_info"]
        _progress("kernel")

    def _stop_kernel(self) -> None:
        if getattr(self, "_watchdog", None) is not None:
            self._watchdog.stop()
        pid = getattr(self, "_kernel_pid", None)
        if pid:  # learner code may have started processes of its own: end the kernel's whole tree
            kill_children(pid)
        self.shutdown_kernel = "immediate"
        try:
            self._cleanup_kernel()
        except Exception as exc:  # noqa: BLE001 - a kernel that is already gone is fine
            self.log.debug("Kernel clean-up: %s", exc)
        self.km = None
        self.kc = None
        if getattr(self, "_runtime_dir", None) is not None:
            shutil.rmtree(self._runtime_dir, ignore_errors=True)
            self._runtime_dir = None

    def _run_silent(self, code: str, timeout: float = 30.0) -> str:
        """Execute code without recording it; return the reply status ('ok', 'error' or 'timeout')."""
        from queue import Empty

        from jupyter_core.utils import run_sync

        if self.kc is None:
            return "error"
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = monotonic() + timeout
        get = run_sync(self.kc.shell_channel.get_msg)
        while True:
            remaining = deadline - monotonic()
            if remaining <= 0:
                return "timeout"
            try:
                msg = get(timeout=remaining)
            except Empty:
                return "timeout"
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg["content"].get("status", "error")

    # -- output cap ----------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        limit = int(self.max_output_bytes)
        if limit > 0 and msg.get("msg_type") in ("stream", "display_data", "execute_result"):
            content = msg.get("content", {})
            size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
            self._output_bytes = getattr(self, "_output_bytes", 0) + size
            if self._output_bytes > limit:
                self._output_dropped = True
                return None
        return super().output(outs, msg, display_id, cell_index)

    # -- the cell loop -------------------------------------------------------------------------
    # -- the trusted test process (aipmlab/grading/verdict.py) ---------------------------------
    def _start_verdict(self) -> None:
        from aipmlab.grading.verdict import VerdictProcess

        inner = [sys.executable, "-m", "aipmlab.grading.verdict"]
        self._verdict_dir = None
        self._verdict = None
        setup = setup_source(self.nb) if self.share_setup else None
        if setup is not None:
            try:
                self._verdict = _zygote_for(self, setup).spawn()
            except (OSError, EOFError, ValueError, TimeoutError) as exc:
                self.log.warning("Could not fork a test process from the template (%s); starting one.", exc)
                _close_zygote()
        if self._verdict is None:
            argv_for, env, self._verdict_dir = _trusted_launch(self)
            path = None if self._sandboxed else (self.resources or {}).get("metadata", {}).get("path") or None
            self._verdict = VerdictProcess(argv_for(inner), env=env, cwd=path)
        history, self._verdict_history = getattr(self, "_verdict_history", []), []
        for source in history:  # a restarted process catches up with the cells it had run
            self._verdict.begin(source)
            try:
                self._verdict.finish(self._learner_rpc, monotonic() + float(self.timeout or 60))
            except (EOFError, TimeoutError, ValueError, OSError):
                break
            self._verdict_history.append(source)

    def _stop_verdict(self) -> None:
        verdict, self._verdict = getattr(self, "_verdict", None), None
        if verdict is not None:
            if verdict.pid:
                kill_children(verdict.pid)
            verdict.close()
        if getattr(self, "_verdict_dir", None) is not None:
            shutil.rmtree(self._verdict_dir, ignore_errors=True)
            self._verdict_dir = None

    def _verdict_begin(self, cell: NotebookNode) -> bool:
        if self._verdict is None or not self._verdict.alive():
            self._stop_verdict()
            self._start_verdict()
        try:
            self._verdict.begin(cell.source)
            return True
        except (OSError, ValueError):
            return False

    def _verdict_finish(self) -> list[dict[str, Any]] | None:
        """The outputs of the cell begun last, or None when the process stopped or timed out."""
        self._rpc_stuck = False
        deadline = monotonic() + float(self.timeout or 60)
        try:
            outputs = self._verdict.finish(self._learner_rpc, deadline)
        except (EOFError, TimeoutError, ValueError, OSError) as exc:
            self.log.warning("The test process failed (%s); it is restarted for the next test.", exc)
            self._stop_verdict()
            return None
        self._verdict_history.append(self._verdict.history[-1])
        return outputs

    def _open_rpc_comm(self) -> None:
        import uuid

        self._rpc_comm = uuid.uuid4().hex
        self._rpc_seq = 0
        msg = self.kc.session.msg("comm_open", {"comm_id": self._rpc_comm, "target_name": "aipmlab_rpc", "data": {}})
        self.kc.shell_channel.send(msg)

    def _learner_rpc(self, request: str, deadline: float) -> dict[str, Any]:
        """Answer one request of the test process in the learner's kernel (over the grading comm)."""
        from queue import Empty

        from jupyter_core.utils import run_sync

        if self.kc is None or getattr(self, "_rpc_comm", None) is None or not self._alive():
            return {"error": "the learner's kernel is not running"}
        self._rpc_seq += 1
        seq = self._rpc_seq
        sent = self.kc.session.msg("comm_msg", {"comm_id": self._rpc_comm, "data": {"request": request, "n": seq}})
        self.kc.shell_channel.send(sent)
        get = run_sync(self.kc.iopub_channel.get_msg)
        interrupted = False
        while True:
            remaining = deadline - monotonic()
            if remaining <= 0:
                if interrupted:
                    self._rpc_stuck = True
                    return {"error": "your code ran past the time limit and ignored the interrupt"}
                with contextlib.suppress(Exception):
                    run_sync(self.km.interrupt_kernel)()
                interrupted, deadline = True, monotonic() + 5
                continue
            try:
                msg = get(timeout=min(remaining, 1.0))
            except Empty:
                if not self._alive():
                    return {"error": "the learner's kernel stopped"}
                continue
            content = msg.get("content", {})
            if (msg.get("msg_type") == "status" and content.get("execution_state") == "idle"
                    and msg.get("parent_header", {}).get("msg_id") == sent["header"]["msg_id"]):
                # the kernel is done with the request and sent no answer (the answer comes before idle)
                return {"error": "the learner's kernel did not answer (its grading channel was removed)"}
            if msg.get("msg_type") != "comm_msg" or content.get("comm_id") != self._rpc_comm:
                continue
            data = content.get("data") or {}
            if data.get("n") != seq:
                continue
            if interrupted:
                return {"error": "your code ran past the time limit and was interrupted"}
            answer = data.get("answer")
            if not isinstance(answer, str) or not answer:
                return {"error": "the learner's kernel did not answer (its grading channel was removed)"}
            return {"reply": answer}

    def _run_trusted_test(self, cell: NotebookNode, index: int) -> str:
        """Run a graded test cell in the test process; return 'ok', 'dead' or 'stuck'."""
        outputs = self._verdict_finish() if self._verdict_begin(cell) else None
        cell = self.nb.cells[index]
        if outputs is None:
            cell.outputs = [error_output("TestProcessLost", GRADER_ERRORS["TestProcessLost"])]
        else:
            import nbformat

            cell.outputs = [nbformat.from_dict(o) for o in outputs]
        self._trusted_runs += 1
        cell.execution_count = self._trusted_runs
        if getattr(self, "_rpc_stuck", False):
            return "stuck"
        if self.kc is None or not self._alive():
            return "dead"
        return "ok"

    def _execute_one(self, cell: NotebookNode, index: int, resources: Any) -> str:
        """Run one cell with the guard around it; return 'ok', 'dead' or 'stuck'."""
        graded = is_graded_test(cell)
        locked = is_locked_code(cell) and not graded
        _progress("cell", cell)
        apart = getattr(self, "_verdict_on", False)
        if apart and graded:
            if self._replaying:
                return "ok"
            return self._run_trusted_test(cell, index)
        trusted_copy = apart and locked and not self._replaying and self._verdict_begin(cell)
        guard_ok = True
        if self.protect_names and self._guard_ready:
            if graded:
                guard_ok = self._run_silent(_guard_call("before_test()")) == "ok"
            elif locked:
                self._run_silent(_guard_call("before_locked()"))
        self._output_bytes = 0
        self._output_dropped = False
        try:
            self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            return "dead"
        except (CellTimeoutError, TimeoutError):
            return "stuck"
        if self.kc is None or not self._alive():
            return "dead"
        cell = self.nb.cells[index]
        if self._output_dropped:
            cell.outputs.append(NotebookNode(
                output_type="stream", name="stdout",
                text=f"\n[grader: output beyond {int(self.max_output_bytes):,} characters was dropped]\n"))
        if self.protect_names and self._guard_ready:
            if graded:
                if not guard_ok:
                    cell.outputs.append(error_output("GradingIntegrityError", GRADER_ERRORS["GradingIntegrityError"]))
                self._run_silent(_guard_call("after_test()"))
            elif locked:
                self._run_silent(_guard_call("after_locked()"))
        if trusted_copy:  # the learner's kernel shows the outputs; the test process keeps the names
            self._verdict_finish()
        return "ok"

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - whatever went wrong, the kernel cannot be used
            return False

    def _mark(self, index: int, ename: str, **fmt: Any) -> None:
        cell = self.nb.cells[index]
        if cell.cell_type == "code":
            cell.setdefault("outputs", []).append(error_output(ename, GRADER_ERRORS[ename].format(**fmt)))

    def _mark_rest(self, start: int, ename: str, **fmt: Any) -> None:
        for j in range(start, len(self.nb.cells)):
            cell = self.nb.cells[j]
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = []
                cell.execution_count = None
                if is_graded_test(cell):
                    self._mark(j, ename, **fmt)

    def _replay(self, upto: int, culprits: set[int], resources: Any) -> bool:
        """In a fresh kernel, re-run the cells before ``upto`` (not the culprits); keep their outputs."""
        self._replaying = True  # the test process keeps its state: only the learner's kernel catches up
        try:
            for j in range(upto):
                original = self.nb.cells[j]
                if j in culprits or original.cell_type != "code" or not original.source.strip():
                    continue
                self.nb.cells[j] = copy.deepcopy(original)
                try:
                    outcome = self._execute_one(self.nb.cells[j], j, resources)
                finally:
                    self.nb.cells[j] = original
                if outcome != "ok":
                    return False
            return True
        finally:
            self._replaying = False

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._choose_kernel()
        started = monotonic()
        culprits: set[int] = set()
        restarts = 0
        self._replaying = False
        self._trusted_runs = 0
        self._verdict = None
        self._verdict_history = []
        self._sandboxed = self._use_sandbox()
        self._verdict_on = bool(self.verdicts_apart)
        if self._verdict_on:
            self._start_verdict()  # starts while the learner's kernel does
        self._start_kernel()
        try:
            index = 0
            while index < len(self.nb.cells):
                cell = self.nb.cells[index]
                if cell.cell_type != "code" or not cell.source.strip():
                    index += 1
                    continue
                if self.notebook_timeout and monotonic() - started > self.notebook_timeout:
                    self.log.warning("Notebook ran past %s s; marking the remaining cells as not run.",
                                     self.notebook_timeout)
                    self._mark_rest(index, "NotebookTimeout", limit=self.notebook_timeout)
                    break
                outcome = self._execute_one(cell, index, resources)
                if outcome == "ok":
                    index += 1
                    continue
                memory = getattr(self, "_watchdog", None) is not None and self._watchdog.fired
                ename = "MemoryLimitExceeded" if memory else ("KernelDied" if outcome == "dead" else "KernelUnresponsive")
                self.log.warning("Cell %s: %s; restarting the kernel.", index, ename)
                self._mark(index, ename, limit=self.memory_limit_mb)
                culprits.add(index)
                self._stop_kernel()
                restarts += 1
                if restarts > self.max_restarts:
                    self._mark_rest(index + 1, "NotRun")
                    break
                self._start_kernel()
                if not self._replay(index, culprits, resources):
                    self._stop_kernel()
                    self._mark_rest(index + 1, "NotRun")
                    break
                index += 1
        finally:
            self._stop_kernel()
            self._stop_verdict()
        self.set_widgets_metadata()
        return self.nb, self.resources
