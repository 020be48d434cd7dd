"""Runs inside the grading kernel: keeps learner code from redefining the names the tests rely on.

The hardened executor (``aipmlab.grading.execute``) loads this file's source into the kernel as the
module ``_aipmlab_guard`` before the first cell runs, then calls it silently around cells:

* ``install()`` snapshots the ``builtins`` module and the namespace's ``__builtins__`` while the
  kernel is still pristine;
* ``before_locked()`` / ``after_locked()`` bracket each locked, non-graded code cell (the setup
  cell), recording the modules and functions it binds (``np``, ``pd``, ``load_tickets`` ...);
* ``before_test()`` runs before each graded test cell: it puts back any built-in that learner code
  replaced (``builtins.abs = ...``), and for the duration of the test hides learner globals that
  shadow a built-in with a callable (``def isinstance(*a): return True``) or rebind a name the
  setup cell bound;
* ``after_test()`` gives the learner's own bindings back, so their later cells see them unchanged.

It defends against patches made *before* a test cell runs. Code that patches at the moment a test
calls it, or rewrites the kernel itself, is out of its reach (see INSTRUCTORS.md). Helpers such as
``numpy.isclose`` are deliberately not restored: lesson tests must not trust them, and the grading
contract checks that they do not.

This file is executed in the kernel from its source; it imports nothing from ``aipmlab``.
"""

import builtins as _builtins_module
import types as _types

_MISSING = object()
_NS = None
_BUILTINS = {}
_NS_BUILTINS = _MISSING
_HIDDEN = {}
_LOCKED = {}
_BEFORE_LOCKED = {}
_STASH = {}


def install(ns, hidden=None):
    """Snapshot the pristine built-ins; ``ns`` is the notebook's global namespace."""
    global _NS, _NS_BUILTINS
    _NS = ns
    _BUILTINS.clear()
    _BUILTINS.update(vars(_builtins_module))
    _NS_BUILTINS = ns.get("__builtins__", _MISSING)
    _HIDDEN.clear()
    _HIDDEN.update({name: ns.get(name, _MISSING) for name in (hidden or ())})


def _is_binding(obj):
    return isinstance(obj, (_types.ModuleType, type, _types.FunctionType, _types.BuiltinFunctionType))


def before_locked():
    _BEFORE_LOCKED.clear()
    _BEFORE_LOCKED.update({name: id(obj) for name, obj in _NS.items()})


def after_locked():
    for name, obj in list(_NS.items()):
        if name.startswith("_") or not _is_binding(obj):
            continue
        if _BEFORE_LOCKED.get(name) != id(obj):
            _LOCKED[name] = obj


def _restore_builtins():
    current = vars(_builtins_module)
    for name, obj in _BUILTINS.items():
        if current.get(name, _MISSING) is not obj:
            current[name] = obj


def before_test():
    """Make the test see pristine built-ins and the setup cell's bindings."""
    _STASH.clear()
    _restore_builtins()
    if _NS_BUILTINS is not _MISSING and _NS.get("__builtins__", _MISSING) is not _NS_BUILTINS:
        _STASH["__builtins__"] = _NS.get("__builtins__", _MISSING)
        _NS["__builtins__"] = _NS_BUILTINS
    for name, obj in _LOCKED.items():
        current = _NS.get(name, _MISSING)
        if current is not obj:
            _STASH[name] = current
            _NS[name] = obj
    for name, current in list(_NS.items()):
        if name in _STASH or name.startswith("__") or name not in _BUILTINS:
            continue
        if _HIDDEN.get(name, _MISSING) is current:  # IPython's own entry (exit, quit, ...)
            continue
        if current is not _BUILTINS[name] and callable(current):
            _STASH[name] = current
            del _NS[name]
    return sorted(_STASH)


def after_test():
    """Give learner code its own bindings back."""
    for name, obj in _STASH.items():
        if obj is _MISSING:
            _NS.pop(name, None)
        else:
            _NS[name] = obj
    _STASH.clear()
    _restore_builtins()
