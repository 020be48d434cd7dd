"""aipmlab.llm against a real local chat-completions server (127.0.0.1) and the real `openai` client.

Every test runs with a temporary HOME, so neither the learner's config nor their recordings are read
or written. The fake server answers deterministically from the request and counts the calls it gets,
so a test can prove that a replay made no new call.
"""

from __future__ import annotations

import doctest
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from llm_server import FakeChatServer, expected_answer

from aipmlab import llm
from aipmlab.paths import REPO_ROOT

HELLO = [{"role": "user", "content": "Say hello to a Basketly customer."}]


def ask(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}]


@pytest.fixture
def server():
    srv = FakeChatServer()
    yield srv
    srv.stop()


def configure(monkeypatch, url: str, model: str = "fake-model", timeout: str = "3") -> None:
    monkeypatch.setenv(llm.ENV_BASE_URL, url)
    monkeypatch.setenv(llm.ENV_MODEL, model)
    monkeypatch.setenv(llm.ENV_TIMEOUT, timeout)
    monkeypatch.setenv(llm.ENV_MAX_RETRIES, "0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cache_lines(home: Path) -> list[str]:
    path = home / ".cache" / "aipmlab" / "llm" / "recordings.jsonl"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


# --- nothing configured ---------------------------------------------------------------------------
def test_nothing_is_configured_by_default_and_the_error_says_how(home):
    assert llm.configured() is False
    with pytest.raises(llm.LLMUnavailable) as info:
        llm.chat(ask("Where is my order?"))
    message = str(info.value)
    assert type(info.value) is llm.LLMUnavailable
    for needed in (llm.ENV_BASE_URL, llm.ENV_MODEL, "llm.toml", "Bring your own model", "assets/llm"):
        assert needed in message, f"the how-to message must mention {needed!r}"
    assert "\n" not in message
    assert info.value._render_traceback_() == [f"LLMUnavailable: {message}"], "one line in a notebook"


def test_half_a_configuration_names_the_missing_variable(home, monkeypatch):
    monkeypatch.setenv(llm.ENV_BASE_URL, "http://127.0.0.1:1/v1")
    assert llm.configured() is False
    with pytest.raises(llm.LLMUnavailable, match=f"{llm.ENV_MODEL} is not set"):
        llm.chat(ask("anything"))


def test_shipped_recordings_replay_without_a_model(home):
    record = llm.chat_record(HELLO)
    assert record.origin == "shipped" and record.simulated and record.model is None
    assert llm.chat(HELLO) == record.text and "Basketly" in record.text
    assert cache_lines(home) == [], "a replay writes nothing"


def test_every_shipped_recording_is_valid_and_labelled_simulated():
    files = sorted((REPO_ROOT / "assets" / "llm").glob("*.jsonl"))
    assert files, "assets/llm/ ships at least one recordings file"
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path.name}, line {number}"
            record = llm._validated(json.loads(line), where)
            assert record["source"] == "simulated", f"{where}: shipped replies are simulated and say so"
            model = record["request"]["model"]
            assert model is None or model.startswith("simulated-"), f"{where}: never name a real model ({model!r})"


# --- record and replay ----------------------------------------------------------------------------
def test_records_a_live_answer_and_replays_it_with_the_server_stopped(home, server, monkeypatch):
    configure(monkeypatch, server.url)
    assert llm.configured() is True
    first = llm.chat_record(ask("Where is my order?"))
    assert first.origin == "live" and first.source == "live" and not first.simulated
    assert first.text == expected_answer("fake-model", "Where is my order?")
    assert server.calls == 1
    assert llm.chat(ask("Where is my order?")) == first.text and server.calls == 1, "replayed, not asked again"
    [line] = cache_lines(home)
    record = json.loads(line)
    assert record["request"]["model"] == "fake-model" and record["usage"] == {"input_tokens": 7, "output_tokens": 5}
    assert "127.0.0.1" not in line, "the base URL is not part of a recording"
    server.stop()
    again = llm.chat_record(ask("Where is my order?"))
    assert (again.text, again.origin) == (first.text, "cache")
    # Without a configuration the recording still answers when the request names the model.
    monkeypatch.delenv(llm.ENV_BASE_URL)
    monkeypatch.delenv(llm.ENV_MODEL)
    assert llm.chat(ask("Where is my order?"), model="fake-model") == first.text
    with pytest.raises(llm.LLMUnavailable):
        llm.chat(ask("Where is my order?"))  # model=None now means the course default: not recorded


def test_the_key_covers_model_messages_temperature_and_seed_but_not_the_server(home, server, monkeypatch):
    configure(monkeypatch, server.url)
    llm.chat(ask("q"))
    llm.chat(ask("q"), seed=1)
    llm.chat(ask("q"), seed=2)
    llm.chat(ask("q"), temperature=0.7, seed=1)
    llm.chat(ask("q"), model="other-model")
    assert llm.chat(ask("q"), seed=1) == expected_answer("fake-model", "q", 0.0, 1)
    assert server.calls == 5 and len(cache_lines(home)) == 5
    other = FakeChatServer()
    try:
        configure(monkeypatch, other.url)
        assert llm.chat(ask("q"), temperature=0) == expected_answer("fake-model", "q")
        assert other.calls == 0, "the same request to another server replays: the key leaves the URL out"
    finally:
        other.stop()
    assert llm.request_key(ask("q")) != llm.request_key(ask("q"), model="fake-model")


def test_config_file_in_home(home, server, monkeypatch):
    path = home / ".config" / "aipmlab" / "llm.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'base_url = "{server.url}"\nmodel = "file-model"\ntimeout = 3\nmax_retries = 0\n')
    assert llm.config_path() == path
    assert llm.configured() is True
    assert llm.chat(ask("hi")) == expected_answer("file-model", "hi")
    monkeypatch.setenv(llm.ENV_MODEL, "env-model")
    assert llm.chat(ask("hi")) == expected_answer("env-model", "hi"), "environment variables win over the file"
    assert llm.load_config().source == f"{path} and environment"
    path.write_text('base_url = "http://x/v1"\nmodle = "typo"\n')
    with pytest.raises(ValueError, match="unknown keys"):
        llm.load_config()
    path.write_text("base_url = \n")
    with pytest.raises(ValueError, match="not valid TOML"):
        llm.load_config()
    assert llm.configured() is False


def test_offline_flag_forbids_live_calls_even_when_configured(home, server, monkeypatch):
    configure(monkeypatch, server.url)
    recorded = llm.chat(ask("recorded before"))
    monkeypatch.setenv(llm.ENV_OFFLINE, "1")
    assert llm.configured() is False
    with pytest.raises(llm.LLMOffline, match="AIPMLAB_LLM_OFFLINE=1"):
        llm.chat(ask("never recorded"))
    with pytest.raises(llm.LLMOffline):
        llm.chat(ask("never recorded"), model="fake-model")
    assert server.calls == 1, "offline: no request reached the server"
    assert llm.chat(ask("recorded before"), model="fake-model") == recorded
    assert llm.chat(HELLO).startswith("Hello"), "offline, model=None is the course default: shipped replies answer"


# --- failures -------------------------------------------------------------------------------------
@pytest.mark.parametrize("failure, error, words", [
    ("429", llm.LLMRateLimited, "HTTP 429"),
    ("401", llm.LLMAuthError, "HTTP 401"),
    ("timeout", llm.LLMTimeout, "did not answer within 0.4 s"),
    ("unreachable", llm.LLMUnreachable, "cannot reach"),
    ("404", llm.LLMError, "HTTP 404"),
    ("500", llm.LLMError, "HTTP 500"),
])
def test_each_failure_gives_one_clear_line_and_loses_nothing(home, server, monkeypatch, failure, error, words):
    configure(monkeypatch, server.url, timeout="0.4")
    kept = llm.chat(ask("asked before the failure"))
    before = cache_lines(home)
    if failure == "401":
        server.api_key = "right-key"
        monkeypatch.setenv(llm.ENV_API_KEY, "wrong-key")
    elif failure == "timeout":
        server.delay = 1.5
    elif failure == "unreachable":
        monkeypatch.setenv(llm.ENV_BASE_URL, f"http://127.0.0.1:{free_port()}/v1")
    else:
        server.mode = failure
    started = time.perf_counter()
    with pytest.raises(error) as info:
        llm.chat(ask("asked during the failure"))
    assert time.perf_counter() - started < 3, "max_retries=0 and a short timeout keep failures fast"
    message = str(info.value)
    assert words in message and "\n" not in message and len(message) < 400, message
    assert isinstance(info.value, llm.LLMUnavailable), "every failure can be caught as LLMUnavailable"
    assert info.value.__cause__ is None and info.value.__suppress_context__, "no chained traceback wall"
    assert info.value._render_traceback_() == [f"{type(info.value).__name__}: {message}"]
    if failure == "401":
        assert "wrong-key" not in message, "never print the key"
    assert cache_lines(home) == before, "a failure writes nothing and removes nothing"
    assert llm.chat(ask("asked before the failure")) == kept


def test_a_torn_line_from_a_crash_is_skipped_and_cannot_swallow_the_next_record(home, server, monkeypatch):
    configure(monkeypatch, server.url)
    llm.chat(ask("one"))
    path = llm.cache_path()
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"key": "torn", "request": {"mod')  # a process killed mid-write
    assert llm.chat(ask("two")) == expected_answer("fake-model", "two")
    lines = cache_lines(home)
    assert len(lines) == 3 and json.loads(lines[2])["response"] == expected_answer("fake-model", "two")
    server.stop()
    assert llm.chat(ask("one")) == expected_answer("fake-model", "one")
    assert llm.chat(ask("two")) == expected_answer("fake-model", "two")


# --- concurrency ----------------------------------------------------------------------------------
def _assert_cache_is_clean(home: Path, expected_keys: int) -> None:
    lines = cache_lines(home)
    records = [json.loads(line) for line in lines]  # every line parses: no interleaved writes
    keys = [r["key"] for r in records]
    assert len(keys) == len(set(keys)) == expected_keys, f"{len(keys)} lines, {len(set(keys))} keys"
    for r in records:
        assert r["response"] == expected_answer(r["request"]["model"], r["request"]["messages"][-1]["content"],
                                                r["request"]["temperature"], r["request"]["seed"])


def test_threads_write_the_cache_safely(home, server, monkeypatch):
    configure(monkeypatch, server.url)
    questions = [f"question {i}" for i in range(12)]
    errors, answers = [], {}

    def worker(offset: int) -> None:
        try:
            for i in range(len(questions)):
                q = questions[(i + offset) % len(questions)]
                answers[(offset, q)] = llm.chat(ask(q))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert all(a == expected_answer("fake-model", q) for (_, q), a in answers.items())
    _assert_cache_is_clean(home, len(questions))


PROCESS_SCRIPT = """
import sys, aipmlab.llm as llm
me = int(sys.argv[1])
shared = [f"shared {i}" for i in range(10)]
order = shared[me:] + shared[:me] + [f"own {me} {i}" for i in range(4)]
for q in order:
    llm.chat([{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}])
print("done", me)
"""


def test_processes_write_the_cache_safely(home, server, monkeypatch, tmp_path):
    configure(monkeypatch, server.url)
    script = tmp_path / "worker.py"
    script.write_text(PROCESS_SCRIPT)
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, str(script), str(k)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err[-2000:]
        assert out.startswith("done")
    _assert_cache_is_clean(home, 10 + 3 * 4)
    server.stop()
    assert llm.chat(ask("shared 3")) == expected_answer("fake-model", "shared 3")


# --- sharing --------------------------------------------------------------------------------------
def test_export_and_import_round_trip(home, server, monkeypatch, tmp_path):
    configure(monkeypatch, server.url)
    answers = {q: llm.chat(ask(q), seed=7) for q in ("a", "b", "c")}
    shared = tmp_path / "shared" / "recordings.jsonl"
    assert llm.main(["export", str(shared)]) == 0
    assert len(shared.read_text().splitlines()) == 3
    server.stop()
    # A classmate with a fresh home and no model imports them and replays every answer.
    other = tmp_path / "classmate"
    other.mkdir()
    monkeypatch.setenv("HOME", str(other))
    monkeypatch.delenv(llm.ENV_BASE_URL)
    monkeypatch.delenv(llm.ENV_MODEL)
    with pytest.raises(llm.LLMUnavailable):
        llm.chat(ask("a"), model="fake-model", seed=7)
    assert llm.import_recordings(shared) == 3
    assert llm.import_recordings(shared) == 0, "importing twice adds nothing"
    assert all(llm.chat(ask(q), model="fake-model", seed=7) == a for q, a in answers.items())
    assert len(cache_lines(other)) == 3


def test_import_checks_every_line_and_adds_nothing_from_a_bad_file(home, tmp_path):
    good = llm.simulated_record(ask("x"), "fine")
    tampered = dict(llm.simulated_record(ask("y"), "fine"), key=good["key"])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(tampered) + "\n")
    with pytest.raises(ValueError, match="line 2: 'key' does not match"):
        llm.import_recordings(path)
    path.write_text(json.dumps(good) + "\nnot json\n")
    with pytest.raises(ValueError, match="line 2: not JSON"):
        llm.import_recordings(path)
    assert cache_lines(home) == [], "a bad file adds nothing"
    with pytest.raises(ValueError, match="does not exist"):
        llm.import_recordings(tmp_path / "missing.jsonl")
    assert llm.main(["import", str(path)]) == 1


# --- input checks, CLI, docs ----------------------------------------------------------------------
@pytest.mark.parametrize("messages, kwargs, error, words", [
    ("hello", {}, TypeError, "list of"),
    (["hello"], {}, TypeError, r"messages\[0\] must be a dict"),
    ([], {}, ValueError, "empty"),
    ([{"content": "hi"}], {}, ValueError, "no 'role'"),
    ([{"role": "customer", "content": "hi"}], {}, ValueError, "must be one of"),
    ([{"role": "user", "content": 3}], {}, TypeError, "content'] must be a string"),
    ([{"role": "user", "content": "hi", "tools": []}], {}, ValueError, "unexpected keys"),
    (HELLO, {"temperature": 3}, ValueError, "between 0 and 2"),
    (HELLO, {"temperature": "0"}, TypeError, "temperature"),
    (HELLO, {"seed": "1"}, TypeError, "seed"),
    (HELLO, {"seed": True}, TypeError, "seed"),
    (HELLO, {"model": ""}, TypeError, "model"),
])
def test_bad_input_gets_a_clear_error(home, messages, kwargs, error, words):
    with pytest.raises(error, match=words):
        llm.chat(messages, **kwargs)


def test_status_shows_the_configuration_but_never_the_key(home, monkeypatch, capsys):
    monkeypatch.setenv(llm.ENV_BASE_URL, "http://localhost:11434/v1")
    monkeypatch.setenv(llm.ENV_MODEL, "llama3.2")
    monkeypatch.setenv(llm.ENV_API_KEY, "sk-very-secret")
    assert llm.main(["status"]) == 0
    out = capsys.readouterr().out
    assert "llama3.2" in out and "http://localhost:11434/v1" in out and "sk-very-secret" not in out
    assert "sk-very-secret" not in repr(llm.load_config())
    for var in (llm.ENV_BASE_URL, llm.ENV_MODEL, llm.ENV_API_KEY):
        monkeypatch.delenv(var)
    assert llm.main(["ask", HELLO[0]["content"]]) == 0, "a shipped reply answers `ask` too"
    assert "simulated" in capsys.readouterr().out


def test_importing_the_module_does_not_import_openai():
    code = "import sys, aipmlab.llm; print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", "lessons that only replay must not pay for importing the client"


def test_docstring_examples(home):
    result = doctest.testmod(llm, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 5


@pytest.mark.slow
def test_in_a_notebook_the_error_is_one_line_not_a_traceback(home):
    import nbformat
    from nbclient import NotebookClient

    code = "from aipmlab.llm import chat\nchat([{'role': 'user', 'content': 'nobody recorded this'}])"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    [error] = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "LLMUnavailable" and "AIPMLAB_LLM_BASE_URL" in error.evalue
    assert len(error.traceback) == 1 and error.traceback[0].startswith("LLMUnavailable: no model is configured")
