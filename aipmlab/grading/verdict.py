"""The trusted side of grading: hidden tests reach their verdicts in a process of their own.

``HardenedExecute`` (``aipmlab.grading.execute``) starts this module as a second process for every
notebook it grades (``python -m aipmlab.grading.verdict``, in a sandbox of its own where the
learner's kernel has one). It runs the cells the learner cannot change: the setup cell and the
other locked cells (which also run in the learner's kernel, so learner code after them works), and
every auto-graded test cell (which runs here only). nbgrader scores the outputs this process gives.

When a cell here reads a name it does not have (the learner's function, their chosen threshold),
the name is fetched from the learner's kernel through the grader
(``aipmlab/grading/learner_rpc.py`` answers there):

* a **function** (or any callable) becomes a :class:`Remote` proxy: calling it sends the arguments
  to the learner's kernel (pickled with cloudpickle, so a test can pass its own functions) and
  brings the result back;
* **values** come back as pickles loaded with an allow-list (:class:`PlainUnpickler`): built-in
  types, numpy arrays and scalars, pandas frames, series, indexes and their dtypes, dates. Nothing
  else can be built here, so an object whose ``__eq__`` always says yes stays in the learner's
  kernel and is reached through a :class:`Remote` handle, which never lets the learner answer a
  comparison;
* a learner's exception comes back as the built-in exception it derives from (``ValueError``,
  ``TypeError``, ...), with its message and, as a note, the learner's traceback.

Names a locked cell or a test cell binds are never fetched from the learner: the test data, the
references and helpers the tests use are this process's own. So nothing the learner's code does
in its kernel (patching numpy, scipy or the notebook's helpers, rebinding data, input
transformers, fake exception classes, reading the test's frame) reaches a test's verdict.

Protocol: length-prefixed JSON messages on stdin/stdout (:func:`send`, :func:`receive`). The grader
sends ``{"op": "run", "source", "test"}``; this process answers ``{"op": "done", "outputs"}``, after
any number of ``{"op": "rpc", "request"}`` / ``{"op": "rpc-reply", "reply" | "error"}`` exchanges.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import importlib
import io
import json
import os
import pickle
import struct
import sys
from typing import Any, BinaryIO

MAX_MESSAGE_BYTES = 768 * 2**20
_HEADER = struct.Struct(">I")


# -- framing (shared with the grader) -------------------------------------------------------------

def send(fh: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message).encode("utf-8")
    fh.write(_HEADER.pack(len(data)) + data)
    fh.flush()


def decode_frame(data: bytes) -> dict[str, Any]:
    message = json.loads(data.decode("utf-8"))
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ValueError("not a grading message")  # noqa: TRY004 - a malformed message, not a wrong argument
    return message


def receive(fh: BinaryIO) -> dict[str, Any]:
    header = fh.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other side closed the channel")
    (size,) = _HEADER.unpack(header)
    if size > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {size} bytes is over the limit")
    data = fh.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the channel mid-message")
    return decode_frame(data)


# -- what may be built from a learner's pickle -----------------------------------------------------

#: Every global a pickle of a plain value may name: built-in containers and numbers, dates,
#: numpy arrays, scalars and dtypes, pandas frames, series, indexes, arrays and their dtypes.
#: Classes only (or reconstruction functions of those classes): nothing here runs learner code.
PLAIN_GLOBALS = frozenset({
    ("builtins", n) for n in ("bytearray", "complex", "frozenset", "list", "range", "set", "slice", "dict",
                              "tuple", "int", "float", "bool", "str", "bytes", "object", "getattr")
} | {("__builtin__", n) for n in ("bytearray", "complex", "frozenset", "list", "set", "slice", "xrange")} | {
    ("_codecs", "encode"), ("copyreg", "_reconstructor"),
    ("collections", "OrderedDict"), ("collections", "Counter"), ("collections", "defaultdict"),
    ("collections", "deque"),
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("decimal", "Decimal"), ("fractions", "Fraction"), ("zoneinfo", "ZoneInfo"),
    ("numpy", "dtype"), ("numpy", "ndarray"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"), ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
} | {
    ("pandas", n) for n in ("DataFrame", "Series", "Index", "RangeIndex", "MultiIndex", "CategoricalIndex",
                            "DatetimeIndex", "TimedeltaIndex", "PeriodIndex", "IntervalIndex", "Categorical",
                            "CategoricalDtype", "DatetimeTZDtype", "PeriodDtype", "IntervalDtype", "StringDtype",
                            "BooleanDtype", "Int8Dtype", "Int16Dtype", "Int32Dtype", "Int64Dtype", "UInt8Dtype",
                            "UInt16Dtype", "UInt32Dtype", "UInt64Dtype", "Float32Dtype", "Float64Dtype",
                            "Interval", "Period", "Timestamp", "Timedelta", "NA", "NaT")
} | {
    ("pandas.core.frame", "DataFrame"), ("pandas.core.series", "Series"),
    ("pandas.core.indexes.base", "_new_Index"), ("pandas.core.indexes.base", "Index"),
    ("pandas.core.indexes.datetimes", "_new_DatetimeIndex"), ("pandas.core.indexes.range", "RangeIndex"),
    ("pandas.core.indexes.multi", "MultiIndex"), ("pandas.core.internals.managers", "BlockManager"),
    ("pandas.core.internals.managers", "SingleBlockManager"), ("pandas._libs.internals", "_unpickle_block"),
    ("pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"),
    ("pandas._libs.interval", "__pyx_unpickle_IntervalMixin"), ("pandas._libs.interval", "Interval"),
    ("pandas._libs.tslibs.nattype", "_nat_unpickle"), ("pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"), ("pandas._libs.missing", "NA"),
    ("pandas._libs.tslibs.period", "Period"),
} | {
    ("pandas.arrays", n) for n in ("BooleanArray", "DatetimeArray", "FloatingArray", "IntegerArray",
                                   "IntervalArray", "PeriodArray", "StringArray", "TimedeltaArray")
} | {
    ("pandas.core.arrays.categorical", "Categorical"), ("pandas.core.dtypes.dtypes", "CategoricalDtype"),
})

_OFFSETS_MODULE = "pandas._libs.tslibs.offsets"


class PlainUnpickler(pickle.Unpickler):
    """Loads a pickle only if it names nothing but :data:`PLAIN_GLOBALS` (the Python documentation's
    "restricting globals"). Anything else raises ``pickle.UnpicklingError``."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in PLAIN_GLOBALS:
            if (module, name) == ("builtins", "getattr"):
                return _plain_getattr
            return super().find_class(module, name)
        if module == _OFFSETS_MODULE and name.isidentifier() and not name.startswith("_"):
            cls = super().find_class(module, name)
            from pandas.tseries.offsets import BaseOffset

            if isinstance(cls, type) and issubclass(cls, BaseOffset):
                return cls
        raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("persistent references are not plain values")


def _plain_getattr(obj: Any, name: str, *default: Any) -> Any:
    """``getattr`` as pickles use it (a dtype's or enum's member), limited to classes and their data."""
    if not isinstance(obj, type) or not isinstance(name, str) or name.startswith("_"):
        raise pickle.UnpicklingError("getattr on a non-class is not a plain value")
    value = getattr(obj, name, *default)
    if callable(value) and not isinstance(value, type):
        raise pickle.UnpicklingError("a method is not a plain value")
    return value


def load_plain(data: bytes) -> Any:
    return PlainUnpickler(io.BytesIO(data)).load()


# -- the learner's side, seen from here ---------------------------------------------------------------

#: Packages a learner's module or global may be re-imported from here (by name: nothing of theirs runs).
IMPORTABLE = frozenset({
    "numpy", "pandas", "scipy", "sklearn", "statsmodels", "matplotlib", "aipmlab", "rank_bm25",
    "math", "cmath", "re", "json", "collections", "itertools", "functools", "operator", "statistics",
    "random", "datetime", "string", "textwrap", "html", "typing", "dataclasses", "decimal", "fractions",
    "numbers", "heapq", "bisect", "unicodedata", "difflib", "csv", "calendar", "time",
    "warnings", "pprint", "copy", "enum", "hashlib",
})
#: Classes a handle may claim to be (for ``isinstance`` in tests): only these packages' own.
CLAIMABLE = ("matplotlib.", "sklearn.")

_MISSING = object()


class LearnerKernelError(RuntimeError):
    """The learner's kernel did not answer (it died, timed out, or its answer was not readable)."""


class _Channel:
    """How this process reaches the learner's kernel: through the grader, over stdin/stdout."""

    def __init__(self, reader: BinaryIO | None, writer: BinaryIO | None) -> None:
        self.reader, self.writer = reader, writer

    def request(self, request: dict[str, Any]) -> Any:
        if self.writer is None or self.reader is None:
            raise LearnerKernelError("no learner kernel is connected")
        buffer = io.BytesIO()
        _RequestPickler(buffer, protocol=5).dump(request)
        send(self.writer, {"op": "rpc", "request": base64.b64encode(buffer.getvalue()).decode("ascii")})
        reply = receive(self.reader)
        if reply.get("op") != "rpc-reply":
            raise LearnerKernelError("the grader answered out of turn")
        if reply.get("error") or not isinstance(reply.get("reply"), str):
            raise LearnerKernelError(str(reply.get("error") or "no answer from the learner's kernel"))
        try:
            answer = load_plain(base64.b64decode(reply["reply"], validate=True))
        except Exception as exc:  # noqa: BLE001 - whatever the learner's kernel sent, it is not an answer
            raise LearnerKernelError(f"the learner's kernel sent an unreadable answer ({type(exc).__name__})") from None
        if not isinstance(answer, dict):
            raise LearnerKernelError("the learner's kernel sent an unreadable answer")
        for stream, target in (("stdout", sys.stdout), ("stderr", sys.stderr)):
            text = answer.get(stream)
            if isinstance(text, str) and text:
                target.write(text)
        if "error" in answer:
            raise _as_exception(answer["error"])
        if "ok" not in answer:
            raise LearnerKernelError("the learner's kernel sent an unreadable answer")
        return answer["ok"]


CHANNEL = _Channel(None, None)


def _request_pickler_class() -> type:
    import cloudpickle

    class RequestPickler(cloudpickle.Pickler):
        def persistent_id(self, obj: Any) -> Any:
            if type(obj) is Remote:
                return ("handle", object.__getattribute__(obj, "_hid"))
            return None

    return RequestPickler


class _LazyPickler:
    cls = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.cls is None:
            self.cls = _request_pickler_class()
        return self.cls(*args, **kwargs)


_RequestPickler = _LazyPickler()


def _as_exception(info: Any) -> BaseException:
    """The learner's exception as the built-in exception class it derives from."""
    if not isinstance(info, dict):
        return LearnerKernelError("the learner's kernel sent an unreadable error")
    cls: type[BaseException] = RuntimeError
    for name in info.get("bases") or ():
        candidate = getattr(builtins, name, None) if isinstance(name, str) else None
        if isinstance(candidate, type) and issubclass(candidate, Exception) and candidate is not Exception:
            cls = candidate
            break
    message = info.get("message") if isinstance(info.get("message"), str) else ""
    exc: BaseException | None = None
    args = info.get("args")
    if isinstance(args, bytes):
        with contextlib.suppress(Exception):
            loaded = load_plain(args)
            if isinstance(loaded, tuple):
                exc = cls(*loaded)
    if exc is None:
        exc = cls(message)
    name = info.get("name") if isinstance(info.get("name"), str) else cls.__name__
    trace = info.get("traceback") if isinstance(info.get("traceback"), str) else ""
    note = f"(raised in your code as {name})"
    if trace:
        note += "\n" + trace.rstrip()
    exc.add_note(note)
    return exc


def _importable(module: Any) -> bool:
    return isinstance(module, str) and module.split(".")[0] in IMPORTABLE and all(
        part.isidentifier() for part in module.split("."))


def decode(enc: Any) -> Any:
    """A value the learner's kernel described (see ``learner_rpc._encode``) as an object here."""
    if not isinstance(enc, tuple) or not enc or not isinstance(enc[0], str):
        raise LearnerKernelError("the learner's kernel sent an unreadable answer")
    kind = enc[0]
    if kind == "items" and len(enc) == 2 and isinstance(enc[1], list):
        return [decode(item) for item in enc[1]]
    if kind == "module" and len(enc) == 3:
        _, name, hid = enc
        if _importable(name):
            with contextlib.suppress(Exception):
                return importlib.import_module(name)
        return Remote(hid, "builtins.module", False)
    if kind == "global" and len(enc) == 4:
        _, module, qualname, hid = enc
        if _importable(module) and isinstance(qualname, str):
            with contextlib.suppress(Exception):
                obj: Any = importlib.import_module(module)
                for part in qualname.split("."):
                    obj = getattr(obj, part)
                return obj
        return Remote(hid, f"{module}.{qualname}", True)
    if kind == "handle" and len(enc) == 4:
        _, hid, cls_name, is_callable = enc
        return Remote(hid, cls_name, bool(is_callable))
    if kind == "value" and len(enc) == 5:
        _, data, hid, cls_name, is_callable = enc
        try:
            return load_plain(data)
        except Exception:  # noqa: BLE001 - not a plain value: it stays in the learner's kernel
            return Remote(hid, cls_name, bool(is_callable))
    if kind == "missing":
        return _MISSING
    raise LearnerKernelError("the learner's kernel sent an unreadable answer")


def _claimed_class(cls_name: Any) -> type | None:
    if not isinstance(cls_name, str) or not cls_name.startswith(CLAIMABLE):
        return None
    module, _, name = cls_name.rpartition(".")
    target = sys.modules.get(module)
    obj = getattr(target, name, None) if target is not None and name.isidentifier() else None
    return obj if isinstance(obj, type) else None


class Remote:
    """A learner's object that stays in their kernel: calls, attributes, items, length and iteration
    are asked of it there. Comparisons, truth, hashing and arithmetic are not: they are this
    object's own (identity), so a learner's object cannot vouch for itself."""

    __slots__ = ("_callable", "_cls", "_hid")

    def __init__(self, hid: int, cls_name: str, is_callable: bool) -> None:
        object.__setattr__(self, "_hid", hid)
        object.__setattr__(self, "_cls", cls_name)
        object.__setattr__(self, "_callable", is_callable)

    def _ask(self, op: str, **fields: Any) -> Any:
        return decode(CHANNEL.request({"op": op, "target": object.__getattribute__(self, "_hid"), **fields}))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._ask("call", args=args, kwargs=kwargs)

    def _batch(self, calls: list[tuple[tuple, dict]]) -> list[Any]:
        return self._ask("map", calls=calls) if calls else []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("a learner's object cannot be changed from the tests")

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key=key)

    def __len__(self) -> int:
        value = self._ask("len")
        if type(value) is not int:
            raise TypeError("__len__ of the learner's object did not return an int")
        return value

    def __iter__(self):
        return iter(self._ask("iter"))

    def __contains__(self, item: Any) -> bool:
        return self._ask("contains", item=item) is True

    def __repr__(self) -> str:
        try:
            text = self._ask("repr")
        except Exception:  # noqa: BLE001
            text = None
        return text if isinstance(text, str) else f"<{object.__getattribute__(self, '_cls')} in the learner's kernel>"

    def __str__(self) -> str:
        try:
            text = self._ask("str")
        except Exception:  # noqa: BLE001
            text = None
        return text if isinstance(text, str) else repr(self)

    @property
    def __class__(self) -> type:  # isinstance(ax, plt.Axes) for a learner's figure
        return _claimed_class(object.__getattribute__(self, "_cls")) or Remote

    __hash__ = object.__hash__


# -- running cells ----------------------------------------------------------------------------------

BATCH_NAME = "__aipmlab_each__"


def each(function: Any, calls, original) -> list[Any]:
    """A test's ``[function(...) for ...]``: when ``function`` is the learner's, all the calls go in
    one request (``calls()`` gives their arguments); otherwise the test's own comprehension runs
    exactly as written (``original()``). ``[route_ticket(t) for t in texts]`` costs one round trip,
    not 9,000."""
    if type(function) is Remote:
        return function._batch(list(calls()))
    return original()


_NESTED_SCOPES = ("Lambda", "GeneratorExp", "ListComp", "SetComp", "DictComp", "NamedExpr", "Await", "Yield",
                  "YieldFrom")


def _batch_transformer():
    import ast

    class BatchCalls(ast.NodeTransformer):
        """Rewrites ``[f(a, k=b) for t in it]`` as
        ``each(f, lambda: [((a,), {"k": b}) for t in it], lambda: [f(a, k=b) for t in it])``.

        Only the simplest form: one ``for``, no ``if``, the element a call of a plain name that the
        comprehension does not bind, with no ``*``/``**`` and no lambda, generator or comprehension
        among its arguments (those would see the loop variable late). For a learner's function the
        arguments are computed here, in order, and the calls sent together; for any other function
        the comprehension runs as written.
        """

        def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
            self.generic_visit(node)
            call = node.elt
            if (len(node.generators) != 1 or node.generators[0].ifs or node.generators[0].is_async
                    or not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name)
                    or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)
                    or any(type(n).__name__ in _NESTED_SCOPES for a in [*call.args, *call.keywords]
                           for n in ast.walk(a))):
                return node
            bound = {n.id for n in ast.walk(node.generators[0].target) if isinstance(n, ast.Name)}
            if call.func.id in bound:
                return node
            pair = ast.Tuple(elts=[ast.Tuple(elts=list(call.args), ctx=ast.Load()),
                                   ast.Dict(keys=[ast.Constant(k.arg) for k in call.keywords],
                                            values=[k.value for k in call.keywords])], ctx=ast.Load())
            no_args = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
            calls = ast.Lambda(args=no_args, body=ast.ListComp(elt=pair, generators=node.generators))
            original = ast.Lambda(args=no_args, body=node)
            new = ast.Call(func=ast.Name(BATCH_NAME, ast.Load()),
                           args=[ast.Name(call.func.id, ast.Load()), calls, original], keywords=[])
            return ast.copy_location(new, node)

    return BatchCalls()


def _make_shell():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Hook(DisplayHook):
        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:
            self.shell.outputs.append({"output_type": "execute_result", "data": format_dict,
                                       "metadata": md_dict or {}, "execution_count": None})

        def finish_displayhook(self) -> None:
            pass

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
            self.shell.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False) -> None:
            self.shell.outputs.clear()

    class VerdictShell(InteractiveShell):
        displayhook_class = Hook
        display_pub_class = Publisher

        def _showtraceback(self, etype, evalue, stb) -> None:
            self.outputs.append({"output_type": "error", "ename": str(getattr(etype, "__name__", etype)),
                                 "evalue": str(evalue), "traceback": list(stb)})

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = VerdictShell.instance(config=config)
    shell.outputs = []
    shell.register_magic_function(lambda line="": None, "line", "matplotlib")
    shell.ast_transformers.append(_batch_transformer())
    shell.user_ns[BATCH_NAME] = each
    shell.user_ns_hidden[BATCH_NAME] = each
    return shell


class Runner:
    """Runs trusted cells in one namespace; fetches what they read from the learner's kernel."""

    def __init__(self) -> None:
        self.shell = _make_shell()
        self.trusted: set[str] = set()

    def _fetch(self, names: list[str]) -> dict[str, Any]:
        if not names:
            return {}
        try:
            found = decode_lookup(CHANNEL.request({"op": "lookup", "names": names}))
        except Exception as exc:  # noqa: BLE001 - the test then fails with a NameError, as it should
            sys.stderr.write(f"[grader: the learner's names could not be read: {exc}]\n")
            return {}
        return {name: value for name, value in found.items() if value is not _MISSING}

    def run(self, source: str) -> list[dict[str, Any]]:
        from aipmlab.grading.names import cell_names

        reads, binds = cell_names(source)
        ns = self.shell.user_ns
        out, err = io.StringIO(), io.StringIO()
        self.shell.outputs = []
        injected: dict[str, Any] = {}
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            wanted = sorted(n for n in reads if n not in ns and n not in self.trusted)
            injected = self._fetch(wanted)
            ns.update(injected)
            try:
                self.shell.run_cell(source, store_history=False, silent=False)
            finally:
                for name, value in injected.items():
                    if ns.get(name, _MISSING) is value:
                        del ns[name]
        self.trusted.update(binds)
        outputs = []
        for name, buffer in (("stdout", out), ("stderr", err)):
            if buffer.getvalue():
                outputs.append({"output_type": "stream", "name": name, "text": buffer.getvalue()})
        return outputs + self.shell.outputs


def decode_lookup(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise LearnerKernelError("the learner's kernel sent an unreadable answer")
    return {name: decode(enc) for name, enc in answer.items() if isinstance(name, str)}


def _jsonable(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for output in outputs:
        try:
            json.dumps(output)
            clean.append(output)
        except (TypeError, ValueError):
            data = {k: v for k, v in output.get("data", {}).items() if isinstance(v, str)}
            clean.append({**output, "data": data, "metadata": {}})
    return clean


# -- the grader's side ------------------------------------------------------------------------------

class VerdictProcess:
    """The grader's handle on one trusted process (see the module docstring): a process of its own,
    or a child forked for one notebook by a :class:`Zygote`."""

    def __init__(self, argv: list[str] | None = None, env: dict[str, str] | None = None, cwd: str | None = None,
                 *, sock=None, zygote: Zygote | None = None, child: int | None = None) -> None:
        import subprocess

        self._buffer = b""
        self.history: list[str] = []
        self.proc, self.sock, self.zygote, self.child = None, sock, zygote, child
        if sock is None:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env, cwd=cwd)
            self._fd, self._writer = self.proc.stdout.fileno(), self.proc.stdin
        else:
            self._fd, self._writer = sock.fileno(), sock.makefile("wb")
        self._closed = False

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def alive(self) -> bool:
        if self._closed:
            return False
        if self.proc is not None:
            return self.proc.poll() is None
        return self.zygote is not None and self.zygote.alive()

    def _read(self, deadline: float) -> dict[str, Any]:
        import select
        from time import monotonic

        fd = self._fd
        while True:
            if len(self._buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack(self._buffer[:_HEADER.size])
                if size > MAX_MESSAGE_BYTES:
                    raise ValueError(f"message of {size} bytes is over the limit")
                end = _HEADER.size + size
                if len(self._buffer) >= end:
                    data, self._buffer = self._buffer[_HEADER.size:end], self._buffer[end:]
                    return decode_frame(data)
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise TimeoutError("the test process ran past the time limit")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise EOFError("the test process stopped")
                self._buffer += chunk

    def begin(self, source: str) -> None:
        """Start running ``source`` (the process works while the learner's kernel runs its copy)."""
        send(self._writer, {"op": "run", "source": source})
        self.history.append(source)

    def finish(self, answer_rpc, deadline: float) -> list[dict[str, Any]]:
        """Wait for the cell begun last; ``answer_rpc(request, deadline)`` answers its requests to
        the learner's kernel and returns ``{"reply": ...}`` or ``{"error": ...}``."""
        while True:
            message = self._read(deadline)
            if message["op"] == "rpc" and isinstance(message.get("request"), str):
                send(self._writer, {"op": "rpc-reply", **answer_rpc(message["request"], deadline)})
            elif message["op"] == "done":
                outputs = message.get("outputs")
                return outputs if isinstance(outputs, list) else []

    def close(self) -> None:
        import subprocess

        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            send(self._writer, {"op": "quit"})
        with contextlib.suppress(Exception):
            self._writer.close()
        if self.sock is not None:
            if self.zygote is not None and self.child is not None:
                self.zygote.kill(self.child)  # a child stuck in a long computation would not read "quit"
            with contextlib.suppress(Exception):
                self.sock.close()
            return
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(Exception):
            self.proc.stdout.close()


def setup_source(nb: dict) -> str | None:
    """A lesson's setup cell, which a template runs once: its first locked code cell that is not a test.

    It is the same in every submission (it is locked). ``nb`` is a notebook, or its raw JSON.
    """
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if (cell.get("cell_type") == "code" and meta.get("locked") and not meta.get("solution")
                and not meta.get("grade") and source.strip()):
            return source
    return None


def template_key(setup: str, sandboxed: bool, kernel_env: dict, memory_mb: int, max_processes: int) -> tuple:
    """What makes two templates interchangeable: the setup cell and the settings of the sandbox."""
    return (setup, bool(sandboxed), tuple(sorted((str(k), str(v)) for k, v in kernel_env.items())),
            int(memory_mb), int(max_processes))


class Zygote:
    """A trusted process that has run a lesson's setup cell once and forks one child per notebook.

    Every submission of a lesson has the same setup cell (it is locked), so the imports and data
    loading it does are paid once per grading process instead of once per notebook; each child starts
    from exactly the state a fresh process would have after the setup cell. Children talk to the
    grader over a socket pair whose end the grader hands over with the fork request.
    """

    def __init__(self, argv_for, env: dict[str, str], setup: str, cwd: str | None = None, channels: int = 1) -> None:
        import socket
        import subprocess

        self.setup = setup
        pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(max(1, channels))]
        self._channels = [ours for ours, _ in pairs]
        fds = [theirs.fileno() for _, theirs in pairs]
        argv = argv_for([sys.executable, "-m", "aipmlab.grading.verdict", "--zygote", ",".join(map(str, fds))])
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=env, cwd=cwd, pass_fds=fds)
        for _, theirs in pairs:
            theirs.close()
        self.ctrl = self._channels[0]
        for ours in self._channels:
            ours.settimeout(120)
        self._adopted = False
        self._order: list[str] = []  # what each request sent and not yet answered was
        self._tickets = 0
        self._pids: dict[int, int] = {}
        # The template runs the setup cell while the grader starts the learner's kernel: nothing waits here.
        self._send({"op": "setup", "source": setup}, "setup")

    def adopt(self, channel: int) -> None:
        """In a forked grading worker: use control channel ``channel`` of a template its parent started.

        ``make grade`` starts one template for all its workers (``aipmlab.grading.workers``); each
        forked worker keeps one channel and closes the others, and the parent keeps none.
        """
        for i, ours in enumerate(self._channels):
            if i != channel:
                ours.close()
        self.ctrl, self._channels = self._channels[channel], [self._channels[channel]]
        self._adopted = True
        if channel != 0:  # the setup cell's answer comes back on channel 0
            self._order = [what for what in self._order if what != "setup"]

    def release(self) -> None:
        """In the parent of the workers that adopted the channels: close its copies, keep the process."""
        for ours in self._channels:
            ours.close()
        self._channels = []

    def _send(self, message: dict[str, Any], what: str, fds: list[int] | None = None) -> None:
        import socket

        data = json.dumps(message).encode("utf-8")
        if fds:
            socket.send_fds(self.ctrl, [data], fds)
        else:
            self.ctrl.send(data)
        self._order.append(what)

    def _drain(self, keep: int = 0) -> None:
        """Read the template's answers in order, until at most ``keep`` remain unread."""
        while len(self._order) > keep:
            reply = self.ctrl.recv(1 << 16)
            if not reply:
                raise EOFError("the test process template stopped")
            message = decode_frame(reply)
            what = self._order.pop(0)
            if what.startswith("fork:") and message.get("op") == "forked" and type(message.get("pid")) is int:
                self._pids[int(what[5:])] = message["pid"]

    def alive(self) -> bool:
        if self._adopted:  # not this process's child: it can only ask whether it still exists
            try:
                os.kill(self.proc.pid, 0)
            except OSError:
                return False
            return True
        return self.proc.poll() is None

    def spawn(self) -> VerdictProcess:
        """A child for one notebook. The request is queued behind the setup cell: the grader may talk to
        the child at once (the socket holds what it sends until the child reads it)."""
        import socket

        if not self.alive():
            raise EOFError("the test process template stopped")
        self._drain(keep=2)  # keep the queue of unread answers short
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._tickets += 1
        try:
            self._send({"op": "fork"}, f"fork:{self._tickets}", fds=[theirs.fileno()])
        finally:
            theirs.close()
        return VerdictProcess(sock=ours, zygote=self, child=self._tickets)

    def kill(self, ticket: int) -> None:
        """Stop the child of ``ticket`` (one that stopped already is no matter)."""
        with contextlib.suppress(Exception):
            self._drain()
            pid = self._pids.pop(ticket, None)
            if pid is not None:
                self._send({"op": "kill", "pid": pid}, "kill")
                self._drain()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ctrl.send(json.dumps({"op": "quit"}).encode("utf-8"))
        for ours in self._channels:
            with contextlib.suppress(Exception):
                ours.close()
        if self._adopted:  # the worker that started it reaps it, once every channel is closed
            return
        try:
            self.proc.wait(timeout=2)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait()


def _serve(reader: BinaryIO, writer: BinaryIO, runner: Runner, preloaded: tuple[str, ...] = ()) -> None:
    CHANNEL.reader, CHANNEL.writer = reader, writer
    send(writer, {"op": "ready"})
    skip = list(preloaded)
    while True:
        try:
            message = receive(reader)
        except (EOFError, ValueError, OSError):
            return
        if message["op"] == "quit":
            return
        if message["op"] == "run" and isinstance(message.get("source"), str):
            if skip and message["source"] == skip[0]:  # the template ran it before forking
                skip.pop(0)
                send(writer, {"op": "done", "outputs": []})
                continue
            skip = []
            outputs = runner.run(message["source"])
            send(writer, {"op": "done", "outputs": _jsonable(outputs)})


def _silence_descriptors() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # what libraries write to the file descriptors goes nowhere
    os.dup2(devnull, 2)


def zygote(fds: list[int]) -> None:
    """Run as a template: set up once, then fork a child per notebook (see :class:`Zygote`).

    It answers on as many control channels as it was given (one per ``make grade`` worker), each in
    the order its requests came, and stops when every channel is closed or says "quit".
    """
    import select
    import signal
    import socket

    channels = [socket.socket(fileno=fd) for fd in fds]
    _silence_descriptors()
    runner = Runner()
    preloaded: list[str] = []
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    ready = channels[:1]  # the setup cell comes first, on channel 0, before any fork request is read
    while channels:
        for ctrl in ready:
            if not _zygote_step(ctrl, channels, runner, preloaded):
                channels.remove(ctrl)
                ctrl.close()
        if channels:
            ready, _, _ = select.select(channels, [], [])


def _zygote_step(ctrl, channels: list, runner: Runner, preloaded: list[str]) -> bool:
    """Answer one request on ``ctrl``; False when that channel is done."""
    import signal
    import socket

    try:
        data, fds, _, _ = socket.recv_fds(ctrl, 1 << 20, 4)
    except OSError:
        return False
    if not data:
        return False
    try:
        message = decode_frame(data)
    except ValueError:
        return False
    op = message.get("op")
    if op == "setup" and isinstance(message.get("source"), str):
        with contextlib.suppress(Exception):
            runner.run(message["source"])
        preloaded.append(message["source"])
        ctrl.send(json.dumps({"op": "done"}).encode("utf-8"))
    elif op == "fork" and fds:
        pid = os.fork()
        if pid == 0:
            try:
                for channel in channels:
                    channel.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                sock = socket.socket(fileno=fds[0])
                _serve(sock.makefile("rb"), sock.makefile("wb"), runner, tuple(preloaded))
            finally:
                os._exit(0)
        for extra in fds:
            os.close(extra)
        ctrl.send(json.dumps({"op": "forked", "pid": pid}).encode("utf-8"))
    elif op == "kill" and type(message.get("pid")) is int:
        with contextlib.suppress(OSError):
            os.kill(message["pid"], signal.SIGKILL)
        ctrl.send(json.dumps({"op": "done"}).encode("utf-8"))
    else:
        for extra in fds:
            os.close(extra)
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--zygote"] and len(argv) == 2:
        zygote([int(fd) for fd in argv[1].split(",")])
        return
    reader = sys.stdin.buffer
    writer = os.fdopen(os.dup(1), "wb")
    _silence_descriptors()
    _serve(reader, writer, Runner())


if __name__ == "__main__":
    # Run as the module proper, not as __main__: what tests send to the learner's kernel names this
    # module's functions (each, Remote) by reference, and a __main__ copy would be pickled by value.
    from aipmlab.grading import verdict as _module  # noqa: PLW0406 - on purpose, see above

    _module.main()
