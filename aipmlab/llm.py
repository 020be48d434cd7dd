"""Bring your own model, replay everything else: a small chat client with record and replay.

Lessons run offline, deterministically and with no key: every answer they need ships as a recording in
``assets/llm/`` (simulated replies written by the course, labelled ``"source": "simulated"``; none is
from a named real model). A learner who has a model can point the course at it and try prompts live:
any OpenAI-compatible chat endpoint works (Ollama, llama.cpp's server, vLLM, LM Studio, a hosted API),
through the official ``openai`` client.

The public face::

    from aipmlab.llm import chat, configured, LLMUnavailable

    reply = chat([{"role": "user", "content": "Where is my order?"}])      # str
    if configured(): ...                                                   # a live model is set up

**Configuration** (nothing is configured by default). Environment variables win over the file:

=========================  ==================================================================
``AIPMLAB_LLM_BASE_URL``   the endpoint, e.g. ``http://localhost:11434/v1`` (Ollama)
``AIPMLAB_LLM_MODEL``      the model name the server knows, e.g. ``llama3.2``
``AIPMLAB_LLM_API_KEY``    the key, for hosted APIs only (local servers need none)
``AIPMLAB_LLM_TIMEOUT``    seconds to wait for one answer (default 60)
``AIPMLAB_LLM_MAX_RETRIES`` retries on connection errors and 429s (default 2)
``AIPMLAB_LLM_CONFIG``     another path for the config file
``AIPMLAB_LLM_CACHE``      another path for the local recordings file
``AIPMLAB_LLM_OFFLINE``    ``1`` forbids every live call and ignores the configuration
=========================  ==================================================================

The config file is ``~/.config/aipmlab/llm.toml`` (``$XDG_CONFIG_HOME/aipmlab/llm.toml`` when that is
set), with the same keys in lower case and without the prefix::

    base_url = "http://localhost:11434/v1"
    model = "llama3.2"
    # api_key = "..."      # hosted APIs only; the file should be readable by you alone
    # timeout = 60
    # max_retries = 2

**Record and replay.** Every live answer is appended to a local recordings file,
``~/.cache/aipmlab/llm/recordings.jsonl`` (``$XDG_CACHE_HOME/aipmlab/llm/...``), one JSON object per
line, keyed by the request. A request already recorded (locally, or in the shipped recordings) is
answered from the recording with no new call, so a notebook re-runs with the same answers. The key is
the SHA-256 of the canonical JSON (sorted keys, no spaces) of ``{"api": "chat.completions", "v": 1,
"model", "messages", "temperature", "seed"}``: everything that changes what a model would answer, and
nothing else. The base URL and the API key are left out on purpose: the same model answers the same
request wherever it is served, recordings made against ``localhost`` replay on a machine with no
server at all, shared recordings carry no hosts or secrets. A consequence: the same request at
``temperature > 0`` replays its first answer; change ``seed`` to draw a new sample.

Without a configuration, ``model=None`` stays ``None`` in the key, which is how the shipped recordings
are keyed: they answer the lessons' own requests. With a configuration, ``model=None`` means the
configured model, so your model answers live and its answers are recorded beside the shipped ones.

``AIPMLAB_LLM_OFFLINE=1`` (set by ``make test``, ``make check``, ``make grade`` and every grading
kernel) makes the module behave as if nothing were configured: recordings replay, nothing else is
called, so grading and tests never depend on a live model.

Share recordings with ``python -m aipmlab.llm export FILE`` and ``python -m aipmlab.llm import FILE``;
``python -m aipmlab.llm status`` shows the configuration (never the key) and where recordings live.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aipmlab.paths import ASSETS_DIR

try:  # POSIX file locks; elsewhere appends rely on O_APPEND and a lock within the process.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "LLMAuthError",
    "LLMConfig",
    "LLMError",
    "LLMOffline",
    "LLMRateLimited",
    "LLMTimeout",
    "LLMUnavailable",
    "LLMUnreachable",
    "Recording",
    "cache_path",
    "chat",
    "chat_record",
    "config_path",
    "configured",
    "export_recordings",
    "import_recordings",
    "load_config",
    "lookup",
    "request_key",
    "shipped_dir",
    "simulated_record",
]

ENV_BASE_URL = "AIPMLAB_LLM_BASE_URL"
ENV_MODEL = "AIPMLAB_LLM_MODEL"
ENV_API_KEY = "AIPMLAB_LLM_API_KEY"
ENV_TIMEOUT = "AIPMLAB_LLM_TIMEOUT"
ENV_MAX_RETRIES = "AIPMLAB_LLM_MAX_RETRIES"
ENV_CONFIG = "AIPMLAB_LLM_CONFIG"
ENV_CACHE = "AIPMLAB_LLM_CACHE"
ENV_OFFLINE = "AIPMLAB_LLM_OFFLINE"

KEY_VERSION = 1
ROLES = ("system", "developer", "user", "assistant")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
#: Sent when no key is configured: local servers ignore it, and the client refuses an empty one.
NO_KEY = "not-needed"

HOW_TO_CONFIGURE = (
    "To use your own model, point the course at any OpenAI-compatible endpoint: set "
    f"{ENV_BASE_URL} and {ENV_MODEL} (plus {ENV_API_KEY} for a hosted API), e.g. for Ollama "
    f"{ENV_BASE_URL}=http://localhost:11434/v1 {ENV_MODEL}=llama3.2, or write them in "
    "~/.config/aipmlab/llm.toml (README, 'Bring your own model'). Lessons do not need a model: "
    "they replay the recordings shipped in assets/llm/."
)


# --- errors -------------------------------------------------------------------------------------
class LLMUnavailable(RuntimeError):
    """No model could answer: none is configured (or live calls are off) and no recording matches.

    Subclasses say why a configured model failed. In a notebook it prints as one line, without a
    traceback, because the message already says what to do.
    """

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of the traceback
        return [f"{type(self).__name__}: {self}"]


class LLMOffline(LLMUnavailable):
    """Live calls are switched off (``AIPMLAB_LLM_OFFLINE=1``) and no recording answers the request."""


class LLMError(LLMUnavailable):
    """The configured model was called and did not answer (HTTP error, bad response)."""


class LLMTimeout(LLMError):
    """The model server did not answer within the timeout."""


class LLMRateLimited(LLMError):
    """The model server refused the request with HTTP 429 (rate limit or quota)."""


class LLMAuthError(LLMError):
    """The model server rejected the API key (HTTP 401 or 403)."""


class LLMUnreachable(LLMError):
    """The model server could not be reached (not running, wrong address, no network)."""


# --- configuration ------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class LLMConfig:
    """Where the live model is. ``api_key`` is never shown in ``repr`` or ``status``."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = dataclasses.field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    source: str = "none"

    @property
    def complete(self) -> bool:
        """True when both a base URL and a model name are set."""
        return bool(self.base_url and self.model)


def _offline() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")


def config_path() -> Path:
    """The config file's path (it need not exist): ``$AIPMLAB_LLM_CONFIG`` or ``~/.config/aipmlab/llm.toml``.

    >>> config_path().name
    'llm.toml'
    """
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aipmlab" / "llm.toml"


def cache_path() -> Path:
    """The local recordings file (it need not exist yet).

    ``$AIPMLAB_LLM_CACHE``, else ``$XDG_CACHE_HOME/aipmlab/llm/recordings.jsonl``, else
    ``~/.cache/aipmlab/llm/recordings.jsonl``.

    >>> cache_path().name
    'recordings.jsonl'
    """
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aipmlab" / "llm" / "recordings.jsonl"


def shipped_dir() -> Path:
    """The folder of recordings that ship with the course, ``assets/llm/`` (every ``*.jsonl`` in it)."""
    return ASSETS_DIR / "llm"


def _number(value: Any, name: str, where: str, kind: type) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} in {where} must be a number; got {value!r}.") from None
    if number < 0 or (kind is float and not math.isfinite(number)):
        raise ValueError(f"{name} in {where} must be a non-negative number; got {value!r}.")
    return number


def load_config() -> LLMConfig:
    """Read the configuration: the config file first, then environment variables on top.

    Raises ``ValueError`` when the file is not valid TOML or holds unknown keys, so a typo does not
    silently leave the model unconfigured.

    >>> load_config().timeout > 0
    True
    """
    values: dict[str, Any] = {}
    sources = []
    path = config_path()
    if path.is_file():
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path} is not valid TOML ({exc}).") from None
        known = {"base_url", "model", "api_key", "timeout", "max_retries"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{path} has unknown keys {unknown}; the keys are {sorted(known)}.")
        values.update({k: v for k, v in data.items() if v not in (None, "")})
        sources.append(str(path))
    env = {
        "base_url": ENV_BASE_URL, "model": ENV_MODEL, "api_key": ENV_API_KEY,
        "timeout": ENV_TIMEOUT, "max_retries": ENV_MAX_RETRIES,
    }
    from_env = [var for key, var in env.items() if os.environ.get(var, "").strip()]
    for key, var in env.items():
        if os.environ.get(var, "").strip():
            values[key] = os.environ[var].strip()
    if from_env:
        sources.append("environment")
    for key in ("base_url", "model", "api_key"):
        if key in values and not isinstance(values[key], str):
            raise ValueError(f"{key} in {' and '.join(sources)} must be a string; got {values[key]!r}.")
    where = " and ".join(sources) or "defaults"
    timeout = _number(values.get("timeout", DEFAULT_TIMEOUT), "timeout", where, float)
    retries = _number(values.get("max_retries", DEFAULT_MAX_RETRIES), "max_retries", where, int)
    return LLMConfig(
        base_url=values.get("base_url"), model=values.get("model"), api_key=values.get("api_key"),
        timeout=timeout, max_retries=retries, source=where,
    )


def configured() -> bool:
    """True when a live model is configured and live calls are allowed.

    False by default, and always False under ``AIPMLAB_LLM_OFFLINE=1`` (tests and grading). A lesson
    uses it to decide whether to offer a live playground beside the shipped replies.

    >>> configured()        # nothing set (or AIPMLAB_LLM_OFFLINE=1)      # doctest: +SKIP
    False
    """
    if _offline():
        return False
    try:
        return load_config().complete
    except ValueError:
        return False


# --- requests and keys --------------------------------------------------------------------------
def _check_messages(messages: Any) -> list[dict[str, str]]:
    example = "e.g. [{'role': 'user', 'content': 'Where is my order?'}]"
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise TypeError(
            f"messages must be a list of {{'role': ..., 'content': ...}} dicts, {example}; "
            f"got {type(messages).__name__}."
        )
    if not messages:
        raise ValueError(f"messages is empty; give at least one message, {example}.")
    clean = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise TypeError(
                f"messages[{i}] must be a dict with 'role' and 'content', {example}; got {type(message).__name__}."
            )
        missing = [k for k in ("role", "content") if k not in message]
        if missing:
            raise ValueError(f"messages[{i}] has no {' or '.join(repr(k) for k in missing)}; {example}.")
        extra = sorted(set(message) - {"role", "content", "name"})
        if extra:
            raise ValueError(f"messages[{i}] has unexpected keys {extra}; only 'role', 'content' and 'name' are sent.")
        role, content = message["role"], message["content"]
        if role not in ROLES:
            raise ValueError(f"messages[{i}]['role'] must be one of {', '.join(ROLES)}; got {role!r}.")
        if not isinstance(content, str):
            raise TypeError(f"messages[{i}]['content'] must be a string; got {type(content).__name__}.")
        item = {"role": role, "content": content}
        if "name" in message:
            if not isinstance(message["name"], str) or not message["name"]:
                raise TypeError(f"messages[{i}]['name'] must be a non-empty string; got {message['name']!r}.")
            item["name"] = message["name"]
        clean.append(item)
    return clean


def _check_options(model: Any, temperature: Any, seed: Any) -> tuple[str | None, float, int | None]:
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise TypeError(f"model must be a model name (a non-empty string) or None; got {model!r}.")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
        raise TypeError(f"temperature must be a number from 0 to 2; got {type(temperature).__name__}.")
    if not (0.0 <= float(temperature) <= 2.0):
        raise ValueError(f"temperature must be between 0 and 2; got {temperature!r}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None; got {type(seed).__name__}.")
    return model, float(temperature), seed


def _request(messages: Any, model: Any, temperature: Any, seed: Any) -> dict[str, Any]:
    clean = _check_messages(messages)
    model, temperature, seed = _check_options(model, temperature, seed)
    return {"api": "chat.completions", "v": KEY_VERSION, "model": model, "messages": clean,
            "temperature": temperature, "seed": seed}


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def request_key(messages: Sequence[Mapping[str, str]], *, model: str | None = None,
                temperature: float = 0.0, seed: int | None = None) -> str:
    """The recording key of a request: SHA-256 of its canonical JSON (model as given, not resolved).

    >>> k = request_key([{"role": "user", "content": "hi"}])
    >>> len(k), k == request_key([{"content": "hi", "role": "user"}], temperature=0)
    (64, True)
    """
    return _key(_request(messages, model, temperature, seed))


def _key(request: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(request).encode("utf-8")).hexdigest()


# --- recordings ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Recording:
    """One answer and where it came from.

    ``origin`` is ``"live"`` (just asked), ``"cache"`` (your local recordings) or ``"shipped"``
    (``assets/llm/``); ``source`` is what the record says it is: ``"live"`` for a real model's answer
    or ``"simulated"`` for a reply the course wrote.
    """

    text: str
    origin: str
    source: str
    model: str | None
    key: str
    record: dict[str, Any] = dataclasses.field(repr=False, compare=False)

    @property
    def simulated(self) -> bool:
        return self.source == "simulated"


class _Index:
    """Records of one JSONL file by key, re-read only when the file changes (first record wins)."""

    def __init__(self) -> None:
        self.stamp: tuple[int, int, int] | None = None
        self.records: dict[str, dict[str, Any]] = {}
        self.skipped = 0


_INDEXES: dict[Path, _Index] = {}
_INDEX_LOCK = threading.RLock()  # held by _append across its read-write, so readers never see half
_APPEND_LOCK = threading.Lock()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _parse_lines(text: str) -> tuple[list[dict[str, Any]], int]:
    records, skipped = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a line torn by a crash: skip it, keep everything else
            skipped += 1
            continue
        if isinstance(record, dict) and isinstance(record.get("key"), str) and isinstance(record.get("response"), str):
            records.append(record)
        else:
            skipped += 1
    return records, skipped


def _records(path: Path) -> _Index:
    with _INDEX_LOCK:
        index = _INDEXES.setdefault(path, _Index())
        stamp = _stamp(path)
        if stamp != index.stamp:
            index.records, index.skipped = {}, 0
            if stamp is not None:
                records, index.skipped = _parse_lines(path.read_text(encoding="utf-8", errors="replace"))
                for record in records:
                    index.records.setdefault(record["key"], record)
            index.stamp = stamp
        return index


def _shipped_files() -> list[Path]:
    folder = shipped_dir()
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file: across threads and processes (POSIX flock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _APPEND_LOCK:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _append(path: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Append records whose key is not yet in ``path``; return the stored record for each key.

    Under the lock the file is re-read, so two processes that asked the same question at once keep
    one answer. Each append is one ``write`` on an ``O_APPEND`` descriptor; a torn last line (from a
    crash) is ended first, so it can never swallow the next record.
    """
    with _locked(path), _INDEX_LOCK:
        index = _records(path)
        stored, new = [], []
        for record in records:
            existing = index.records.get(record["key"])
            if existing is None:
                index.records[record["key"]] = record
                new.append(record)
                existing = record
            stored.append(existing)
        if new:
            data = "".join(_canonical(r) + "\n" for r in new).encode("utf-8")
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            try:
                size = os.fstat(fd).st_size
                if size:
                    os.lseek(fd, size - 1, os.SEEK_SET)
                    if os.read(fd, 1) != b"\n":
                        data = b"\n" + data
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            finally:
                os.close(fd)
            index.stamp = _stamp(path)  # the index holds what we wrote; no one else writes under the lock
        return stored


def _find(key: str) -> Recording | None:
    record = _records(cache_path()).records.get(key)
    if record is not None:
        return _as_recording(record, "cache")
    for path in _shipped_files():
        record = _records(path).records.get(key)
        if record is not None:
            return _as_recording(record, "shipped")
    return None


def _as_recording(record: dict[str, Any], origin: str) -> Recording:
    request = record.get("request") or {}
    return Recording(text=record["response"], origin=origin, source=str(record.get("source", "live")),
                     model=request.get("model"), key=record["key"], record=record)


def lookup(messages: Sequence[Mapping[str, str]], *, model: str | None = None, temperature: float = 0.0,
           seed: int | None = None) -> Recording | None:
    """The recording that answers this exact request, or None; never calls a model.

    ``model`` is used as given (None is not replaced by the configured model).

    >>> lookup([{"role": "user", "content": "a question nobody recorded"}]) is None
    True
    """
    return _find(_key(_request(messages, model, temperature, seed)))


# --- the live call ------------------------------------------------------------------------------
_CLIENTS: dict[tuple[Any, ...], Any] = {}
_CLIENT_LOCK = threading.Lock()


def _client(config: LLMConfig) -> Any:
    ident = (config.base_url, config.api_key, config.timeout, config.max_retries)
    with _CLIENT_LOCK:
        if ident not in _CLIENTS:
            import openai

            _CLIENTS[ident] = openai.OpenAI(base_url=config.base_url, api_key=config.api_key or NO_KEY,
                                            timeout=config.timeout, max_retries=config.max_retries)
        return _CLIENTS[ident]


def _short(text: Any, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _translate(exc: Exception, config: LLMConfig) -> LLMError:
    """One short, actionable error for each way a live call fails."""
    import openai

    where = f"the model server at {config.base_url}"
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeout(f"{where} did not answer within {config.timeout:g} s. Try again, use a smaller model, "
                          f"or allow more time with {ENV_TIMEOUT}=120. Nothing recorded was lost.")
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__ or exc
        return LLMUnreachable(f"cannot reach {where} ({_short(cause, 100)}). Is the server running (e.g. "
                              f"`ollama serve`)? Check {ENV_BASE_URL}: it usually ends in /v1.")
    if isinstance(exc, openai.RateLimitError):
        return LLMRateLimited(f"{where} refused the request with HTTP 429 (rate limit or quota exceeded): "
                              f"{_short(_api_message(exc), 120)}. Wait a minute and re-run; answers already "
                              "recorded replay without new calls.")
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return LLMAuthError(f"{where} rejected the API key (HTTP {exc.status_code}): "
                            f"{_short(_api_message(exc), 120)}. Check {ENV_API_KEY} (or api_key in "
                            f"{config_path()}); local servers need no key.")
    if isinstance(exc, openai.NotFoundError):
        return LLMError(f"{where} answered HTTP 404: {_short(_api_message(exc), 120)}. Check {ENV_MODEL} "
                        f"(is model {config.model!r} pulled/served?) and {ENV_BASE_URL} (it usually ends in /v1).")
    if isinstance(exc, openai.APIStatusError):
        return LLMError(f"{where} answered HTTP {exc.status_code}: {_short(_api_message(exc), 160)}.")
    return LLMError(f"{where} gave an unusable answer ({type(exc).__name__}: {_short(exc, 160)}).")


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(exc, "message", "") or exc)


def _live(request: dict[str, Any], config: LLMConfig) -> dict[str, Any]:
    import openai

    kwargs: dict[str, Any] = {"model": request["model"], "messages": request["messages"],
                              "temperature": request["temperature"]}
    if request["seed"] is not None:
        kwargs["seed"] = request["seed"]
    start = time.perf_counter()
    try:
        response = _client(config).chat.completions.create(**kwargs)
    except openai.OpenAIError as exc:
        raise _translate(exc, config) from None
    latency_ms = round((time.perf_counter() - start) * 1000)
    try:
        text = response.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        text = None
    if not isinstance(text, str):
        raise LLMError(f"the model server at {config.base_url} answered without a text reply "
                       f"(choices: {_short(getattr(response, 'choices', None), 120)}).")
    usage = getattr(response, "usage", None)
    return {
        "key": _key(request),
        "request": request,
        "response": text,
        "source": "live",
        "served_model": getattr(response, "model", None),
        "finish_reason": getattr(response.choices[0], "finish_reason", None),
        "usage": {"input_tokens": getattr(usage, "prompt_tokens", None),
                  "output_tokens": getattr(usage, "completion_tokens", None)} if usage else None,
        "latency_ms": latency_ms,
        "recorded_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def chat_record(messages: Sequence[Mapping[str, str]], *, model: str | None = None, temperature: float = 0.0,
                seed: int | None = None) -> Recording:
    """Like :func:`chat`, but return the answer with where it came from (live, cache or shipped).

    >>> r = chat_record([{"role": "user", "content": "Say hello to a Basketly customer."}])  # doctest: +SKIP
    >>> r.origin, r.simulated                                                                   # doctest: +SKIP
    ('shipped', True)
    """
    request = _request(messages, model, temperature, seed)
    offline = _offline()
    config = LLMConfig() if offline else None
    if model is None and not offline:
        config = load_config()
        if config.complete:
            request["model"] = config.model
    key = _key(request)
    found = _find(key)
    if found is not None:
        return found
    if offline:
        raise LLMOffline(
            f"live model calls are switched off ({ENV_OFFLINE}=1: tests, `make check` and grading never call a "
            "model), and no recording answers this request. Lessons may only send requests that ship in assets/llm/."
        )
    config = config or load_config()
    if not config.complete:
        half = ""
        if config.base_url or config.model:
            missing = ENV_MODEL if config.base_url else ENV_BASE_URL
            half = f"{missing} is not set ({config.source} set only the other one). "
        raise LLMUnavailable(f"no model is configured and no recording answers this request. {half}{HOW_TO_CONFIGURE}")
    record = _live(request, config)
    stored = _append(cache_path(), [record])[0]
    return _as_recording(stored, "live" if stored is record else "cache")


def chat(messages: Sequence[Mapping[str, str]], *, model: str | None = None, temperature: float = 0.0,
         seed: int | None = None) -> str:
    """Ask a chat model and return its reply text, from a recording when one matches.

    ``messages`` is a list of ``{"role": ..., "content": ...}`` dicts as in the chat-completions API
    (roles: system, developer, user, assistant). ``model=None`` means the configured model (or, with
    none configured, the course's shipped replies). The order: your local recordings, then the
    shipped recordings, then the configured model, whose answer is recorded before it is returned.

    Raises ``LLMUnavailable`` (one line, saying how to configure a model) when nothing answers, a
    subclass of it for each way a live call fails (``LLMTimeout``, ``LLMRateLimited``,
    ``LLMAuthError``, ``LLMUnreachable``, ``LLMError``), ``TypeError``/``ValueError`` for bad input.

    >>> chat("hello")
    Traceback (most recent call last):
    ...
    TypeError: messages must be a list of {'role': ..., 'content': ...} dicts, e.g. [{'role': 'user', 'content': 'Where is my order?'}]; got str.
    >>> chat([{"role": "user", "content": "Say hello to a Basketly customer."}])  # doctest: +SKIP
    'Hello from Basketly! ...'
    """
    return chat_record(messages, model=model, temperature=temperature, seed=seed).text


# --- sharing recordings -------------------------------------------------------------------------
def _validated(record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected a JSON object; got {type(record).__name__}.")  # noqa: TRY004 - bad file content
    for field in ("key", "request", "response"):
        if field not in record:
            raise ValueError(f"{where}: missing {field!r}; each line needs key, request and response.")
    request = record["request"]
    if not isinstance(request, dict) or request.get("api") != "chat.completions" or request.get("v") != KEY_VERSION:
        raise ValueError(f"{where}: 'request' is not a version-{KEY_VERSION} chat.completions request.")
    try:
        clean = _request(request.get("messages"), request.get("model"), request.get("temperature"), request.get("seed"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: bad request ({exc})") from None
    if _key(clean) != record["key"]:
        raise ValueError(f"{where}: 'key' does not match the request (edited by hand?); recompute it with request_key().")
    if not isinstance(record["response"], str):
        raise ValueError(f"{where}: 'response' must be a string.")  # noqa: TRY004 - bad file content
    if record.get("source", "live") not in ("live", "simulated"):
        raise ValueError(f"{where}: 'source' must be 'live' or 'simulated'; got {record.get('source')!r}.")
    return dict(record, request=clean)


def export_recordings(path: str | Path) -> int:
    """Write your local recordings to ``path`` (JSON lines) to share them; return how many.

    >>> export_recordings("/tmp/my-recordings.jsonl")  # doctest: +SKIP
    12
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path; got {type(path).__name__}.")
    records = list(_records(cache_path()).records.values())
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("".join(_canonical(r) + "\n" for r in records), encoding="utf-8")
    os.replace(tmp, target)
    return len(records)


def import_recordings(path: str | Path) -> int:
    """Add the recordings in ``path`` to your local recordings; return how many were new.

    Every line is checked first (its key must match its request); a bad file adds nothing.

    >>> import_recordings("/tmp/my-recordings.jsonl")  # doctest: +SKIP
    12
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path; got {type(path).__name__}.")
    source = Path(path).expanduser()
    if not source.is_file():
        raise ValueError(f"{source} does not exist; give a file written by `python -m aipmlab.llm export`.")
    records = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{source}, line {number}: not JSON ({exc.msg}); nothing was imported.") from None
        records.append(_validated(record, f"{source}, line {number}"))
    if not records:
        return 0
    before = set(_records(cache_path()).records)
    _append(cache_path(), records)
    return len({r["key"] for r in records} - before)


def simulated_record(messages: Sequence[Mapping[str, str]], response: str, *, model: str | None = None,
                     temperature: float = 0.0, seed: int | None = None, note: str = "") -> dict[str, Any]:
    """A recording of a reply the course wrote, for lesson authors to add to ``assets/llm/*.jsonl``.

    ``model`` must be None (the course default) or start with ``simulated-``: a simulated reply is
    never presented as the answer of a named real model.

    >>> r = simulated_record([{"role": "user", "content": "hi"}], "Hello!")
    >>> r["source"], r["request"]["model"], r["key"] == request_key([{"role": "user", "content": "hi"}])
    ('simulated', None, True)
    """
    if not isinstance(response, str) or not response.strip():
        raise TypeError(f"response must be the reply text (a non-empty string); got {response!r}.")
    if model is not None and not (isinstance(model, str) and model.startswith("simulated-")):
        raise ValueError(f"a simulated reply's model must be None or start with 'simulated-'; got {model!r}.")
    request = _request(messages, model, temperature, seed)
    record = {"key": _key(request), "request": request, "response": response, "source": "simulated"}
    if note:
        record["note"] = note
    return record


# --- command line -------------------------------------------------------------------------------
def _status() -> str:
    lines = []
    try:
        config = load_config()
    except ValueError as exc:
        config = LLMConfig()
        lines.append(f"Config error: {exc}")
    lines.append(f"Config file:    {config_path()} ({'found' if config_path().is_file() else 'none'})")
    lines.append(f"Base URL:       {config.base_url or '(not set)'}")
    lines.append(f"Model:          {config.model or '(not set)'}")
    lines.append(f"API key:        {'set' if config.api_key else '(not set; local servers need none)'}")
    lines.append(f"Timeout:        {config.timeout:g} s, {config.max_retries} retries")
    state = "OFF (" + ENV_OFFLINE + "=1)" if _offline() else ("on" if config.complete else "off (no model configured)")
    lines.append(f"Live calls:     {state}")
    local = _records(cache_path())
    lines.append(f"Your recordings: {cache_path()} ({len(local.records)} answers"
                 + (f", {local.skipped} unreadable lines skipped" if local.skipped else "") + ")")
    shipped = sum(len(_records(p).records) for p in _shipped_files())
    lines.append(f"Shipped:        {shipped_dir()} ({shipped} simulated answers)")
    if not config.complete:
        lines.append("")
        lines.append(HOW_TO_CONFIGURE)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m aipmlab.llm status | ask TEXT | export FILE | import FILE``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m aipmlab.llm", description="Your model and its recordings.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="show the configuration (never the key) and where recordings live")
    ask = sub.add_parser("ask", help="send one user message (recorded like any other)")
    ask.add_argument("text")
    exp = sub.add_parser("export", help="write your recordings to FILE to share them")
    exp.add_argument("file")
    imp = sub.add_parser("import", help="add the recordings in FILE to yours")
    imp.add_argument("file")
    args = parser.parse_args(argv)
    try:
        if args.command == "status":
            print(_status())
        elif args.command == "ask":
            record = chat_record([{"role": "user", "content": args.text}])
            label = "simulated, " if record.simulated else ""
            print(f"[{label}{record.origin}; model: {record.model or 'course default'}]")
            print(record.text)
        elif args.command == "export":
            print(f"Wrote {export_recordings(args.file)} recordings to {args.file}.")
        elif args.command == "import":
            print(f"Added {import_recordings(args.file)} new recordings to {cache_path()}.")
    except (LLMUnavailable, ValueError, TypeError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
