"""The trusted test process's channel to the learner's kernel (aipmlab/grading/verdict.py).

What crosses from the learner's kernel into the process that reaches verdicts is data only: these
tests pin down what may be built from a learner's pickle, how a learner's exception is seen, and
that a learner's object kept in their kernel cannot answer a comparison.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import pickle
from collections import Counter, OrderedDict, defaultdict

import numpy as np
import pandas as pd
import pytest

from aipmlab.grading import learner_rpc, verdict
from aipmlab.grading.names import cell_names

PLAIN = [
    1, 2.5, 3j, True, None, "text", b"bytes", bytearray(b"x"), [1, [2]], (1, "a"), {"a": 1}, {1, 2},
    frozenset({3}), range(4), slice(1, 5), dt.datetime(2025, 3, 1, 12), dt.date(2025, 3, 1),
    dt.timedelta(days=2), decimal.Decimal("1.25"), OrderedDict(a=1), Counter("aab"), defaultdict(list, a=[1]),
    np.float64(0.5), np.int64(7), np.bool_(True), np.array([1.5, 2.5]), np.array(["a", "b"]),
    np.array([1, "x"], dtype=object), np.zeros((2, 3), dtype="f4"),
    pd.DataFrame({"n": [1, 2], "s": ["a", "b"], "f": [0.5, None], "when": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                  "cat": pd.Categorical(["x", "y"]), "flag": [True, False]}),
    pd.Series([1.0, 2.0], name="rate", index=pd.Index(["a", "b"], name="intent")),
    pd.Series([3], index=pd.DatetimeIndex(["2025-01-01"])), pd.RangeIndex(5),
    pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]), pd.Timestamp("2025-01-01"), pd.Timedelta("1D"),
    pd.Period("2025-01", freq="M"), pd.Series(pd.array([1, None], dtype="Int64")),
    pd.DataFrame({"a": ["x", "y"]}).groupby("a").size(), pd.crosstab(pd.Series(["a", "b"]), pd.Series(["x", "y"])),
]


def _same(a, b) -> bool:
    if isinstance(a, (pd.DataFrame, pd.Series, pd.Index)):
        return type(a) is type(b) and a.equals(b)
    if isinstance(a, np.ndarray):
        return type(b) is np.ndarray and a.dtype == b.dtype and np.array_equal(a, b)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value", PLAIN, ids=lambda v: type(v).__name__)
def test_plain_values_cross_unchanged(value):
    back = verdict.load_plain(pickle.dumps(value, protocol=5))
    assert _same(value, back), (
        f"A {type(value).__name__} returned by a learner's function must reach the tests unchanged; "
        "add the global its pickle names to PLAIN_GLOBALS if it is a plain value.")


class AlwaysEqual:
    def __eq__(self, other):
        return True


class Frame(pd.DataFrame):
    def equals(self, other):
        return True


@pytest.mark.parametrize("value", [
    AlwaysEqual(), [1, AlwaysEqual()], Frame({"a": [1]}), np.array([AlwaysEqual()], dtype=object),
    os.system, pd.read_pickle, eval, pickle.loads,
], ids=["always-equal", "nested", "frame-subclass", "object-array", "os.system", "read_pickle", "eval", "loads"])
def test_nothing_but_plain_values_can_be_built(value):
    data = pickle.dumps(value, protocol=5)
    with pytest.raises(pickle.UnpicklingError):
        verdict.load_plain(data)


def test_a_crafted_pickle_calling_a_function_is_refused():
    # GLOBAL 'posix system', then REDUCE: the classic pickle that runs a shell command.
    payload = b"cposix\nsystem\n(S'echo owned'\ntR."
    with pytest.raises(pickle.UnpicklingError):
        verdict.load_plain(payload)
    getattr_trick = b"cbuiltins\ngetattr\n(cbuiltins\ndict\nS'fromkeys'\ntR."
    with pytest.raises(pickle.UnpicklingError):
        verdict.load_plain(getattr_trick)


def _error_of(exc: BaseException) -> dict:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001
        return learner_rpc._error(caught)


def test_a_learner_exception_arrives_as_the_builtin_it_derives_from():
    class BadInput(ValueError):
        pass

    seen = verdict._as_exception(_error_of(BadInput("rate must be in [0, 1]")))
    assert type(seen) is ValueError and str(seen) == "rate must be in [0, 1]", (
        "A learner's ValueError subclass must reach the test as ValueError with its message.")
    key = verdict._as_exception(_error_of(KeyError("intent")))
    assert type(key) is KeyError and key.args == ("intent",), "KeyError's arguments must survive."


def test_an_exception_class_named_like_a_builtin_is_not_taken_for_it():
    fake = type("ValueError", (Exception,), {})
    seen = verdict._as_exception(_error_of(fake("nothing to see")))
    assert type(seen) is RuntimeError, (
        "A class that is only *named* ValueError must not satisfy `except ValueError` in a test.")
    exiting = verdict._as_exception(_error_of(SystemExit(0)))
    assert type(exiting) is RuntimeError, "SystemExit from learner code must not stop the test process."
    lying = verdict._as_exception({"bases": ["BaseException", "KeyboardInterrupt"], "name": "x", "args": None,
                                   "message": "", "traceback": ""})
    assert type(lying) is RuntimeError, "Only Exception subclasses other than Exception itself are mapped."


def test_a_learner_object_kept_in_its_kernel_cannot_answer_comparisons():
    handle = verdict.Remote(1, "__main__.AlwaysEqual", False)
    other = verdict.Remote(1, "__main__.AlwaysEqual", False)
    assert (handle == 3) is False and (handle == other) is False and (handle != handle) is False, (  # noqa: PLR0124
        "A handle compares by identity only: the learner's __eq__ must never decide a test.")
    with pytest.raises(TypeError):
        handle + 1
    with pytest.raises(TypeError):
        handle.anything = 1
    assert handle.__class__ is verdict.Remote, "Only matplotlib and scikit-learn classes may be claimed."
    assert not isinstance(handle, pd.DataFrame)


def test_a_learner_figure_may_claim_its_matplotlib_class():
    import matplotlib.axes

    axes = verdict.Remote(2, "matplotlib.axes._axes.Axes", False)
    assert isinstance(axes, matplotlib.axes.Axes), "isinstance(ax, Axes) in a test must hold for a learner's axes."


def test_learner_side_encodes_functions_as_handles_and_library_functions_by_name():
    def mine(x):
        return x

    assert learner_rpc._encode(mine)[0] == "handle"
    assert learner_rpc._encode(np.mean)[:3] == ("global", "numpy", "mean")
    assert learner_rpc._encode(os)[0] == "module"
    kind, data, *_ = learner_rpc._encode(pd.DataFrame({"a": [1]}))
    assert kind == "value" and verdict.load_plain(data).equals(pd.DataFrame({"a": [1]}))
    assert verdict.decode(learner_rpc._encode(os)) is not os, "os is not importable into the test process."
    assert verdict.decode(learner_rpc._encode(np)) is np


def test_cell_names_sees_reads_inside_functions_and_ignores_bound_names():
    reads, binds = cell_names("%matplotlib inline\nx = f(y)\ndef g(a):\n    return a + z\n[q for q in w]\n")
    assert reads == {"f", "y", "z", "w"} and binds == {"x", "g"}


def _quiet_rpc(request, deadline):
    return {"error": "no learner kernel in this test"}


def test_a_template_forks_children_that_start_from_its_setup_and_never_share_state():
    import os as _os
    from time import monotonic

    setup = "import numpy as np\ncounter = [0]\n"
    zygote = verdict.Zygote(lambda inner: inner, dict(_os.environ), setup)
    try:
        seen = []
        for _ in range(3):
            child = zygote.spawn()
            child.begin(setup)
            assert child.finish(_quiet_rpc, monotonic() + 60) == [], "The setup already ran in the template."
            child.begin("counter[0] += 1\nprint(counter[0], np.__name__)")
            seen.append(child.finish(_quiet_rpc, monotonic() + 60))
            child.close()
        assert all(out == [{"output_type": "stream", "name": "stdout", "text": "1 numpy\n"}] for out in seen), (
            f"Each notebook's test process must start from the setup cell's state, untouched by the last one: {seen}")
        stuck = zygote.spawn()
        stuck.begin("while True:\n    pass\n")
        with pytest.raises(TimeoutError):
            stuck.finish(_quiet_rpc, monotonic() + 1)
        stuck.close()  # the template kills the child; the next one still works
        child = zygote.spawn()
        child.begin("print(counter)")
        assert child.finish(_quiet_rpc, monotonic() + 60)[0]["text"] == "[0]\n"
        child.close()
    finally:
        zygote.close()


def test_one_template_serves_every_forked_worker_on_a_channel_of_its_own():
    """make grade's host starts one template and forks the workers; each adopts one control channel."""
    import os as _os
    from time import monotonic

    zygote = verdict.Zygote(lambda inner: inner, dict(_os.environ), "import json\nbase = 40\n", channels=2)
    workers = []
    try:
        for channel in range(2):
            ready, tell = _os.pipe()
            pid = _os.fork()
            if pid == 0:  # a worker: its own channel, its own test process
                code = 1
                try:
                    _os.close(ready)
                    zygote.adopt(channel)
                    child = zygote.spawn()
                    child.begin(f"print(base + {channel})")
                    out = child.finish(_quiet_rpc, monotonic() + 60)
                    child.close()
                    zygote.close()
                    _os.write(tell, out[0]["text"].encode())
                    code = 0
                finally:
                    _os._exit(code)
            _os.close(tell)
            workers.append((pid, ready))
        zygote.release()  # the host keeps the process, no channel
        said = []
        for pid, ready in workers:
            said.append(_os.read(ready, 100).decode())
            _os.close(ready)
            assert _os.waitpid(pid, 0)[1] == 0, "A worker's test process through the shared template failed."
        assert said == ["40\n", "41\n"], (
            f"Each worker's test process must start from the template's setup and answer on its own channel: {said}")
        zygote.proc.wait(timeout=10)  # every channel closed: the template stops by itself
    finally:
        if zygote.proc.poll() is None:
            zygote.proc.kill()


def test_a_name_the_learner_kernel_cannot_give_is_a_name_error_in_the_test():
    import os as _os
    from time import monotonic

    zygote = verdict.Zygote(lambda inner: inner, dict(_os.environ), "x = 1\n")
    try:
        child = zygote.spawn()
        child.begin("assert learner_answer == 3")
        outputs = child.finish(_quiet_rpc, monotonic() + 60)
        child.close()
    finally:
        zygote.close()
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "NameError", (
        f"A test whose learner name could not be fetched must fail (NameError), not pass: {outputs}")


def test_a_tests_list_of_calls_becomes_one_request_with_the_same_result():
    import ast

    transformer = verdict._batch_transformer()
    source = ("got = [f(t, k=2) for t in xs]\nkept = [g(t) for t in xs if t]\nown = [t(1) for t in fs]\n"
              "spread = [f(*t) for t in xs]\nlate = [next((i for i in t), 0) for t in xs]\n")
    code = ast.unparse(ast.fix_missing_locations(transformer.visit(ast.parse(source))))
    assert (f"{verdict.BATCH_NAME}(f, lambda: [((t,), {{'k': 2}}) for t in xs], lambda: [f(t, k=2) for t in xs])"
            in code), code
    for kept in ("[g(t) for t in xs if t]", "[t(1) for t in fs]", "[f(*t) for t in xs]",
                 "[next((i for i in t), 0) for t in xs]"):
        assert kept in code and f"lambda: {kept}" not in code, (
            f"Only the plain form is batched; {kept} (a filter, a call of the loop variable, *args, or an "
            f"argument that would see the loop variable late) stays as written:\n{code}")
    namespace = {verdict.BATCH_NAME: verdict.each, "xs": ["ab", "cd"]}
    rewritten = transformer.visit(ast.parse("got = [next((c for c in t), '?') for t in xs]\n"
                                            "up = [str.upper(t) for t in xs]\n"))
    exec(compile(rewritten, "<test>", "exec"), namespace)  # noqa: S102 - the test's own code, rewritten
    assert namespace["got"] == ["a", "c"] and namespace["up"] == ["AB", "CD"], (
        "A test's own comprehension must give what it gives unrewritten.")
    sent = {}

    class Channel:
        def request(self, request):
            sent.update(request)
            return ("items", [learner_rpc._encode(x * 10) for (x,), _ in request["calls"]])

    saved, verdict.CHANNEL = verdict.CHANNEL, Channel()
    try:
        remote = verdict.Remote(7, "__main__.function", True)
        assert verdict.each(remote, lambda: [((1,), {}), ((2,), {})], lambda: None) == [10, 20]
    finally:
        verdict.CHANNEL = saved
    assert sent["op"] == "map" and sent["target"] == 7 and len(sent["calls"]) == 2, (
        f"A learner's function gets all the calls in one request: {sent}")
