"""Runs inside the learner's (sandboxed) grading kernel: answers the trusted test process.

The hidden tests run in a process of their own (``aipmlab.grading.verdict``). When a test reads a
name the learner defined, or calls a learner's function, the grader sends the request over a Jupyter
comm (target ``aipmlab_rpc``, opened by :func:`register`); ``serve(request)`` answers it and the answer
goes back on the same comm (a comm message costs about a millisecond; executing code that carries
the request would cost tens of milliseconds for a large argument). Requests are pickles
made by the trusted side (with cloudpickle, so a test may pass its own functions); answers are
pickles of plain values, which the trusted side loads with an allow-list (anything else stays here
and is reached through a handle).

Nothing here is trusted: learner code may replace this module or lie through it. It can only ever
change what the learner's own functions seem to return, never the test's verdict on it.

This file is executed in the kernel from its source; it imports nothing from ``aipmlab``.
"""

import base64 as _base64
import contextlib as _contextlib
import io as _io
import pickle as _pickle
import sys as _sys
import traceback as _traceback
import types as _types

#: The answer to the last request: a base64 string of a pickled dict.
last = ""
_HANDLES = {}
_NEXT = [0]
_MAX_VALUE_BYTES = 256 * 2**20
_TEXT_LIMIT = 20_000


def _store(obj):
    _NEXT[0] += 1
    _HANDLES[_NEXT[0]] = obj
    return _NEXT[0]


def _global_name(obj):
    """(module, qualified name) when ``obj`` is reachable as that global of an importable module."""
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(module, str) or not isinstance(name, str) or module == "__main__":
        return None
    target = _sys.modules.get(module)
    for part in name.split("."):
        target = getattr(target, part, None)
    return (module, name) if target is obj else None


def _encode(obj):
    hid = _store(obj)
    cls = type(obj)
    cls_name = f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', '?')}"
    if isinstance(obj, _types.ModuleType):
        return ("module", obj.__name__, hid)
    if isinstance(obj, (type, _types.FunctionType, _types.BuiltinFunctionType, _types.MethodType)) or (
            callable(obj) and cls.__module__ in ("numpy", "functools")):
        where = _global_name(obj)
        if where is not None:
            return ("global", where[0], where[1], hid)
        return ("handle", hid, cls_name, True)
    try:
        data = _pickle.dumps(obj, protocol=5)
    except Exception:  # noqa: BLE001 - not picklable: reach it through its handle
        return ("handle", hid, cls_name, callable(obj))
    if len(data) > _MAX_VALUE_BYTES:
        return ("handle", hid, cls_name, callable(obj))
    return ("value", data, hid, cls_name, callable(obj))


def _builtin_bases(exc):
    import builtins

    return [k.__name__ for k in type(exc).__mro__ if getattr(builtins, k.__name__, None) is k]


def _error(exc):
    try:
        args = _pickle.dumps(exc.args, protocol=5)
    except Exception:  # noqa: BLE001
        args = None
    text = "".join(_traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"bases": _builtin_bases(exc), "name": type(exc).__name__, "args": args,
            "message": str(exc)[:_TEXT_LIMIT], "traceback": text[-_TEXT_LIMIT:]}


class _Loader(_pickle.Unpickler):
    def persistent_load(self, pid):
        return _HANDLES[pid[1]]


def _handle(request):
    op = request["op"]
    if op == "lookup":
        from IPython import get_ipython

        ns = get_ipython().user_ns
        return {name: (_encode(ns[name]) if name in ns else ("missing",)) for name in request["names"]}
    target = _HANDLES[request["target"]]
    if op == "call":
        return _encode(target(*request["args"], **request["kwargs"]))
    if op == "map":  # one request for a test's [f(x) for x in xs]: the calls in order, the first error ends it
        return ("items", [_encode(target(*args, **kwargs)) for args, kwargs in request["calls"]])
    if op == "getattr":
        return _encode(getattr(target, request["name"]))
    if op == "getitem":
        return _encode(target[request["key"]])
    if op == "len":
        return _encode(len(target))
    if op == "iter":
        return ("items", [_encode(x) for x in target])
    if op == "contains":
        return _encode(request["item"] in target)
    if op == "repr":
        return _encode(repr(target)[:_TEXT_LIMIT])
    if op == "str":
        return _encode(str(target)[:_TEXT_LIMIT])
    raise ValueError(f"unknown request {op!r}")


def serve(request_b64):
    """Answer one request of the trusted test process; the answer is left in ``last``."""
    global last
    out, err = _io.StringIO(), _io.StringIO()
    try:
        request = _Loader(_io.BytesIO(_base64.b64decode(request_b64))).load()
        with _contextlib.redirect_stdout(out), _contextlib.redirect_stderr(err):
            answer = {"ok": _handle(request)}
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the test, as the test's error
        answer = {"error": _error(exc)}
    answer["stdout"] = out.getvalue()[:_TEXT_LIMIT]
    answer["stderr"] = err.getvalue()[:_TEXT_LIMIT]
    try:
        data = _pickle.dumps(answer, protocol=5)
    except Exception as exc:  # noqa: BLE001
        data = _pickle.dumps({"error": {"bases": ["RuntimeError"], "name": "RuntimeError", "args": None,
                                        "message": f"the answer could not be sent: {exc}"[:_TEXT_LIMIT],
                                        "traceback": ""}, "stdout": "", "stderr": ""}, protocol=5)
    last = _base64.b64encode(data).decode("ascii")


COMM_TARGET = "aipmlab_rpc"


def _on_open(comm, open_msg):
    @comm.on_msg
    def _on_request(msg):
        data = msg.get("content", {}).get("data", {})
        serve(data.get("request", ""))
        comm.send({"n": data.get("n"), "answer": last})


def register():
    """Listen for the grader's requests (called once, silently, when the kernel starts)."""
    from comm import get_comm_manager

    get_comm_manager().register_target(COMM_TARGET, _on_open)
