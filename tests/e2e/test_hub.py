"""A cohort on JupyterHub, end to end, in a real browser.

`make hub` starts a real JupyterHub (PAM accounts, the real configurable-http-proxy from npm, the
course's .venv in every server, an nbgrader exchange). Debian's Chromium, driven by Playwright, then
plays one lesson's cohort:

* the instructor releases lesson 00;
* two learners log in, fetch it from the Assignments tab, answer (one fully, one partly, and the
  partial one submits twice) and submit from the Assignments tab; a third learner, from the command
  line, submits a notebook that crashes its kernel;
* the instructor collects and runs `make grade`; the hub is stopped mid-grading (`make hub-stop`),
  `make grade` says so clearly, the hub is started again and `make grade` re-run; the instructor grades
  one written answer in Formgrader and releases feedback;
* each learner fetches feedback from the Assignments tab and sees their own score and no hidden test
  code; with their own token they cannot reach the other learner's server, files or submission, nor
  the instructor's course.

The hub, its accounts and every process are removed at the end (`make hub-clean`). A screenshot of
each step goes to tests/e2e/screenshots/ (git-ignored). Outside CI the test skips with a clear
message when a component is missing; with CI=true it never skips.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import nbformat
import psutil
import pytest

from aipmlab.grading.cohort import hidden_test_lines, leaked_lines
from aipmlab.grading.notebook import parse_structure, read_notebook
from aipmlab.paths import REPO_ROOT
from e2e.labserver import free_port

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
SCREENSHOTS = Path(__file__).parent / "screenshots"
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LESSON = "00-orientation"
PREFIX = "aipmt-"  # the test's own accounts, never a developer's `make hub` ones
INSTRUCTOR, L1, L2, L3 = f"{PREFIX}instructor", f"{PREFIX}learner1", f"{PREFIX}learner2", f"{PREFIX}learner3"
SOLUTION = REPO_ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
AUTO_MAX = sum(i.points for i in parse_structure(read_notebook(SOLUTION)).auto_items)
WRITTEN_MAX = sum(i.points for i in parse_structure(read_notebook(SOLUTION)).manual_items)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


# --- what the test needs ----------------------------------------------------------------------------

def require(ok: bool, message: str) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(message + " (.ci/run installs it; in CI this test never skips).")
    pytest.skip(message)


def require_components() -> None:
    require(os.geteuid() == 0, "The JupyterHub test creates local accounts (useradd) and must run as root.")
    require(all(shutil.which(t) for t in ("useradd", "userdel", "chpasswd", "runuser")),
            "The JupyterHub test needs useradd, userdel, chpasswd and runuser (Debian's passwd and util-linux).")
    require(CHROMIUM.exists(), "Debian's Chromium is not installed: sudo apt-get install chromium")
    require((REPO_ROOT / "hub/node_modules/.bin/configurable-http-proxy").exists() or bool(shutil.which("npm")),
            "The hub's proxy comes from npm, which is not installed: sudo apt-get install nodejs npm")


# --- helpers ----------------------------------------------------------------------------------------

def make(*args: str, timeout: float = 400) -> subprocess.CompletedProcess:
    proc = subprocess.run(["make", "--no-print-directory", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, f"`make {' '.join(args)}` failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def account_env(name: str, role: str, exchange: str) -> dict[str, str]:
    """The environment the hub gives that account's server (hub/jupyterhub_config.py)."""
    return {"HOME": pwd.getpwnam(name).pw_dir, "USER": name, "LOGNAME": name, "SHELL": "/bin/bash",
            "PATH": f"{REPO_ROOT / '.venv/bin'}:/usr/local/bin:/usr/bin:/bin", "OMP_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0", "AIPMLAB_EXCHANGE": exchange, "LANG": "C.UTF-8",
            "JUPYTER_CONFIG_PATH": str(REPO_ROOT / "hub" / "config" / role)}


def as_user(name: str, role: str, exchange: str, command: str, cwd: str = "~", timeout: float = 300,
            check: bool = True) -> subprocess.CompletedProcess:
    """Run a shell command as that account, as its terminal on the hub would."""
    env = account_env(name, role, exchange)
    cmd = ["runuser", "-u", name, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
           "bash", "-c", f"cd {cwd} && {command}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd="/")
    if check:
        assert proc.returncode == 0, f"as {name}: `{command}` failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


class Hub:
    """The hub's URL and the accounts `make hub` printed, plus the REST calls the test makes."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.reload()

    def reload(self) -> None:
        self.data = json.loads((self.state / "hub.json").read_text())
        self.base = self.data["url"]
        self.exchange = self.data["exchange"]
        self.course = Path(self.data["course"])

    def password(self, name: str) -> str:
        return self.data["passwords"][name]

    def request(self, method: str, path: str, token: str | None = None, body=None, raw: bool = False):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                text = resp.read()
                return resp.status, (text if raw else (json.loads(text) if text else None))
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()[:500]

    def token(self, name: str) -> str:
        """A token of the learner's own, asked for with their own password (no admin involved)."""
        code, body = self.request("POST", f"/hub/api/users/{name}/tokens",
                                  body={"auth": {"username": name, "password": self.password(name)},
                                        "note": "cohort test", "expires_in": 3600})
        assert code in (200, 201), f"{name} could not get an API token with their password: {code} {body}"
        return body["token"]

    def contents(self, name: str, token: str, path: str, owner: str | None = None):
        owner = owner or name
        return self.request("GET", f"/user/{owner}/api/contents/{path}", token=token)

    def put_notebook(self, name: str, token: str, path: str, nb: nbformat.NotebookNode) -> None:
        code, body = self.request("PUT", f"/user/{name}/api/contents/{path}", token=token,
                                  body={"type": "notebook", "format": "json", "content": nb})
        assert code in (200, 201), f"Saving {path} as {name} failed: {code} {body}"


def solution_answers() -> dict[str, str]:
    """Each answer cell's worked solution, as a learner would type it (no solution markers)."""
    out = {}
    for cell in read_notebook(SOLUTION).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [ln for ln in cell.source.splitlines() if "### BEGIN SOLUTION" not in ln
                     and "### END SOLUTION" not in ln]
            out[meta["grade_id"]] = "\n".join(lines).strip() + "\n"
    return out


def answered(nb: dict, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def gradebook_scores(course: Path, learner: str) -> dict[str, tuple[float | None, float | None]]:
    """{cell: (auto score, manual score)} of one learner's lesson 00, straight from the instructor's gradebook."""
    query = ("SELECT bc.name, g.auto_score, g.manual_score FROM grade g "
             "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
             "JOIN student s ON sa.student_id = s.id JOIN base_cell bc ON g.cell_id = bc.id WHERE s.id = ?")
    with sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True) as con:
        return {cell: (auto, manual) for cell, auto, manual in con.execute(query, (learner,))}


def submission_id(course: Path, learner: str) -> str:
    query = ("SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
             "WHERE sa.student_id = ?")
    with sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True) as con:
        return con.execute(query, (learner,)).fetchone()[0]


def auto_total(scores: dict) -> float:
    return sum(auto or 0 for auto, _ in scores.values())


def processes_of(uids: set[int]) -> list[str]:
    found = []
    for proc in psutil.process_iter(["uids", "cmdline"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real in uids:
                found.append(" ".join(proc.info["cmdline"] or [])[:120])
        except psutil.NoSuchProcess:
            pass
    return found


def remove_leftover_accounts() -> None:
    """Accounts a crashed earlier run of this test left behind (never anyone else's: the prefix is the test's)."""
    for name in (INSTRUCTOR, L1, L2, L3):
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        for proc in psutil.process_iter(["uids"]):
            if proc.info["uids"] and proc.info["uids"].real == uid:
                proc.kill()
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)


# --- the browser ------------------------------------------------------------------------------------

OPEN: list[Person] = []  # every person's browser page, for screenshots when a step fails


class Person:
    """One person's browser session (a separate context: separate cookies), with a screenshot per step."""

    def __init__(self, browser, hub: Hub, name: str, steps: list) -> None:
        self.hub, self.name, self.steps = hub, name, steps
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.context.set_default_timeout(120_000)
        self.page = self.context.new_page()
        OPEN.append(self)

    def shot(self, step: str) -> None:
        self.steps.append(step)
        self.page.screenshot(path=str(SCREENSHOTS / f"hub-{len(self.steps):02d}-{step}.png"))

    def login(self) -> None:
        page = self.page
        page.goto(f"{self.hub.base}/hub/login")
        page.fill("#username_input", self.name)
        page.fill("#password_input", self.hub.password(self.name))
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf".*/user/{re.escape(self.name)}/lab.*"), timeout=240_000)
        self.lab_ready()

    def back_after_restart(self) -> None:
        """The hub was restarted and stopped this person's server: start it again, as the hub's home page does."""
        self.page.goto(f"{self.hub.base}/hub/spawn")
        self.page.wait_for_url(re.compile(rf".*/user/{re.escape(self.name)}/lab.*"), timeout=240_000)
        self.lab_ready()

    def lab_ready(self) -> None:
        page = self.page
        page.wait_for_selector("#jp-main-dock-panel", timeout=180_000)
        self.page.wait_for_timeout(500)
        no_news = page.locator(".jp-toast-button", has_text="No")
        if no_news.count():
            no_news.first.click()

    def open_assignments(self) -> None:
        page = self.page
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        page.get_by_role("menuitem", name="Assignment List", exact=True).click()
        page.wait_for_selector("#released_assignments_list", timeout=60_000)
        self.refresh_assignments()

    def refresh_assignments(self) -> None:
        # The Assignments tab's refresh button; the lists load asynchronously.
        self.page.locator("#refresh_assignments_list").first.click()
        self.page.wait_for_function(
            "() => ['released', 'fetched', 'submitted'].every(k => {"
            "  const el = document.getElementById(k + '_assignments_list_loading');"
            "  return !el || el.style.display === 'none' || el.offsetParent === null; })", timeout=120_000)

    def click_in(self, listing: str, label: str) -> None:
        button = self.page.locator(f"#{listing}_assignments_list button", has_text=label).first
        button.wait_for(state="visible", timeout=120_000)
        button.click()


def wait_for(predicate, what: str, timeout: float = 120, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.")
        time.sleep(every)


def submissions_in_inbound(hub: Hub, learner: str) -> list[str]:
    inbound = Path(hub.exchange) / "aipmlab" / "inbound"
    return sorted(p.name for p in inbound.iterdir() if p.name.startswith(f"{learner}+{LESSON}+"))


# --- the test -----------------------------------------------------------------------------------------

def test_cohort_on_jupyterhub():
    require_components()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    started = time.monotonic()
    remove_leftover_accounts()
    root = Path(tempfile.mkdtemp(prefix="aipmlab-hub-test-"))
    state, exchange = root / "state", root / "exchange"
    hub_vars = [f"HUB_PORT={free_port()}", "HUB_LEARNERS=3", f"HUB_PREFIX={PREFIX}", f"HUB_STATE={state}",
                f"HUB_EXCHANGE={exchange}"]
    uids: set[int] = set()
    gid = None
    steps: list[str] = []
    timings: dict[str, float] = {}
    try:
        out = make("hub", *hub_vars).stdout
        hub = Hub(state)
        uids = {pwd.getpwnam(n).pw_uid for n in (INSTRUCTOR, L1, L2, L3)}
        gid = grp.getgrnam(f"{PREFIX}hub").gr_gid
        assert hub.base in out and all(n in out and hub.password(n) in out for n in (INSTRUCTOR, L1, L2)), (
            f"`make hub` should print the URL and every account with its password; it printed:\n{out}")
        timings["hub up"] = time.monotonic() - started

        # The instructor releases lesson 00 (from the course folder `make hub` made in their home).
        as_user(INSTRUCTOR, "instructor", hub.exchange,
                f"nbgrader generate_assignment {LESSON} --force && nbgrader release_assignment {LESSON}",
                cwd="~/course")
        timings["released"] = time.monotonic() - started

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_FLAGS)
            try:
                run_cohort(browser, hub, hub_vars, steps, timings, started)
            except BaseException:
                for person in OPEN:
                    person.page.screenshot(path=str(SCREENSHOTS / f"hub-failed-{person.name}.png"))
                raise
            finally:
                OPEN.clear()
                browser.close()
    finally:
        subprocess.run(["make", "--no-print-directory", "hub-clean", *hub_vars], cwd=REPO_ROOT,
                       capture_output=True, text=True, timeout=180, check=False)
        left = processes_of(uids)
        users_left = [n for n in (INSTRUCTOR, L1, L2, L3) if _exists(n)]
        acl_left = [p.name for p in (REPO_ROOT / "solutions", REPO_ROOT / "tests", REPO_ROOT / ".git")
                    if gid is not None and shutil.which("getfacl") and re.search(rf"^group:{gid}:", _acl(p), re.MULTILINE)]
        shutil.rmtree(root, ignore_errors=True)
        print(f"\ncohort on JupyterHub: {time.monotonic() - started:.0f} s in all; "
              + ", ".join(f"{k} at {v:.0f} s" for k, v in timings.items()))
    assert not left, f"`make hub-clean` left processes of the hub's accounts running: {left}"
    assert not users_left, f"`make hub-clean` left the test's accounts behind: {users_left}"
    assert not acl_left, f"`make hub-clean` left the hub group's ACL entries on the repository: {acl_left}"


def _acl(path: Path) -> str:
    """The path's ACL with numeric ids (a deleted group's entry shows only as its number)."""
    return subprocess.run(["getfacl", "-p", "-n", str(path)], capture_output=True, text=True, check=False).stdout


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def run_cohort(browser, hub: Hub, hub_vars: list[str], steps: list, timings: dict, started: float) -> None:
    answers = solution_answers()
    everything = answers
    partial_first = {"which_question_solution": answers["which_question_solution"]}
    partial_second = {**partial_first, "tickets_per_agent_solution": answers["tickets_per_agent_solution"],
                      "first_look_answer": "Volume peaks at the end of the year, so staffing is tightest then."}
    crashing = {"tickets_per_agent_solution": answers["tickets_per_agent_solution"],
                "busiest_month_solution": "import os\nos._exit(1)\n",
                "which_question_solution": answers["which_question_solution"]}

    # --- two learners fetch, answer and submit from the Assignments tab -----------------------------
    learners = {}
    for name, versions in ((L1, [everything]), (L2, [partial_first, partial_second])):
        person = Person(browser, hub, name, steps)
        person.login()
        person.shot(f"{name}-lab")
        person.open_assignments()
        person.click_in("released", "Fetch")
        person.page.locator("#fetched_assignments_list", has_text=LESSON).wait_for(timeout=120_000)
        person.shot(f"{name}-fetched")
        token = hub.token(name)
        path = f"{LESSON}/{LESSON}.ipynb"
        code, nb = hub.contents(name, token, path)
        assert code == 200, f"{name} fetched {LESSON} from the Assignments tab, but it is not in their home: {code} {nb}"
        for i, version in enumerate(versions):
            hub.put_notebook(name, token, path, answered(nb["content"], version))
            before = len(submissions_in_inbound(hub, name))
            person.refresh_assignments()
            person.click_in("fetched", "Submit")
            wait_for(lambda n=name, b=before: len(submissions_in_inbound(hub, n)) > b, f"{name}'s submission {i + 1}")
            person.page.locator("#submitted_assignments_list", has_text=LESSON).first.wait_for(timeout=60_000)
            person.shot(f"{name}-submitted-{i + 1}")
            time.sleep(1.1)  # nbgrader's submission timestamps: keep the two clearly apart
        learners[name] = (person, token)
    assert len(submissions_in_inbound(hub, L2)) == 2, "Both of learner 2's submissions should stay in the exchange."

    # A third learner, from a terminal: a notebook whose answer crashes the kernel.
    as_user(L3, "learner", hub.exchange, f"nbgrader fetch_assignment {LESSON}")
    nb3 = nbformat.read(str(Path(pwd.getpwnam(L3).pw_dir) / LESSON / f"{LESSON}.ipynb"), as_version=4)
    crash_nb = answered(nb3, crashing)
    tmp = Path(pwd.getpwnam(L3).pw_dir) / LESSON / f"{LESSON}.ipynb"
    nbformat.write(crash_nb, str(tmp))
    shutil.chown(tmp, L3, L3)
    as_user(L3, "learner", hub.exchange, f"nbgrader submit {LESSON}")
    timings["submitted"] = time.monotonic() - started

    # --- the instructor collects and grades; the hub is stopped mid-grading -----------------------------
    as_user(INSTRUCTOR, "instructor", hub.exchange, f"nbgrader collect {LESSON}", cwd="~/course")
    collected = sorted(p.name for p in (hub.course / "submitted").iterdir())
    assert collected == [L1, L2, L3], f"nbgrader collect should file one folder per learner; got {collected}"
    stamp = (hub.course / "submitted" / L2 / LESSON / "timestamp.txt").read_text().strip()
    later = submissions_in_inbound(hub, L2)[-1].split("+")[2]
    assert stamp == later, f"nbgrader collect should take learner 2's later submission ({later}); it took {stamp}."

    grade_cmd = f"make -C {REPO_ROOT} grade LESSON={LESSON} COURSE=$HOME/course"
    log = hub.course / "grade-1.log"
    env = account_env(INSTRUCTOR, "instructor", hub.exchange)
    first = subprocess.Popen(
        ["runuser", "-u", INSTRUCTOR, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()], "bash", "-c",
         f"cd ~/course && {grade_cmd} WORKERS=1 > {log} 2>&1"], cwd="/")
    wait_for(lambda: log.is_file() and re.search(r"\b1/3 learners", log.read_text()), "the first graded learner",
             timeout=300, every=0.2)
    make("hub-stop", *hub_vars)
    first.wait(timeout=60)
    said = log.read_text()
    assert first.returncode != 0 and "stopped by SIGTERM" in said and "Nothing is lost" in said, (
        f"`make grade` stopped mid-way should fail with a clear message; it exited {first.returncode} and said:\n{said}")
    assert not processes_of({pwd.getpwnam(n).pw_uid for n in (INSTRUCTOR, L1, L2, L3)}), (
        "`make hub-stop` should stop every server, kernel and grading process of the hub's accounts.")
    listening = [c for c in psutil.net_connections("tcp") if c.status == psutil.CONN_LISTEN
                 and c.laddr.port == int(hub.base.rsplit(":", 1)[1])]
    assert not listening, "`make hub-stop` left the proxy listening on the hub's port."
    timings["stopped mid-grading"] = time.monotonic() - started

    make("hub", *hub_vars)  # the same hub again: accounts, passwords, exchange and course are kept
    hub.reload()
    second = as_user(INSTRUCTOR, "instructor", hub.exchange, grade_cmd, cwd="~/course", timeout=600)
    timings["graded"] = time.monotonic() - started
    scores = {n: gradebook_scores(hub.course, n) for n in (L1, L2, L3)}
    assert auto_total(scores[L1]) == AUTO_MAX, f"Learner 1 answered everything: {scores[L1]}\n{second.stdout}"
    assert auto_total(scores[L2]) == 3.0, (
        f"Learner 2's later submission (which_question and tickets_per_agent: 3 points) should be graded, not the "
        f"earlier one (1 point); got {scores[L2]}")
    assert scores[L3]["busiest_month_small_cases"][0] == 0 and scores[L3]["tickets_per_agent_value"][0] == 1, (
        f"A kernel crash should cost only the crashing answer's points, and the batch go on: {scores[L3]}")
    assert "NOT GRADED" not in second.stdout, second.stdout

    # --- the instructor grades one written answer in Formgrader ---------------------------------------
    instructor = Person(browser, hub, INSTRUCTOR, steps)
    instructor.login()
    page = instructor.page
    page.goto(f"{hub.base}/user/{INSTRUCTOR}/formgrader/manage_assignments")
    page.locator("table tr", has_text=LESSON).first.wait_for(timeout=120_000)
    instructor.shot("formgrader-assignments")
    page.goto(f"{hub.base}/user/{INSTRUCTOR}/formgrader/submissions/{submission_id(hub.course, L1)}/")
    score = page.locator("input.score#first_look_answer")
    score.wait_for(timeout=120_000)
    # Formgrader fills its inputs from the gradebook once its scripts have loaded; typing before that is lost.
    # (its GradeUI views set each extra-credit input's placeholder when they bind to the gradebook).
    page.wait_for_function("() => { const e = [...document.querySelectorAll('input.extra-credit')];"
                           " return e.length > 0 && e.every(x => x.getAttribute('placeholder') !== null); }",
                           timeout=120_000)
    score.fill("2")
    score.press("Tab")
    comment = page.locator("textarea.comment").last
    comment.fill("A clear observation with a check that would refute it.")
    comment.press("Tab")
    wait_for(lambda: gradebook_scores(hub.course, L1)["first_look_answer"][1] == 2.0,
             "Formgrader to save the written answer's score")
    instructor.shot("formgrader-written-answer")

    as_user(INSTRUCTOR, "instructor", hub.exchange,
            f"nbgrader generate_feedback {LESSON} --force && nbgrader release_feedback {LESSON}", cwd="~/course")
    timings["feedback released"] = time.monotonic() - started

    # --- each learner fetches feedback and sees only their own -----------------------------------------
    hidden = hidden_test_lines(read_notebook(SOLUTION))
    expected = {L1: AUTO_MAX + 2.0, L2: 3.0}
    for name, (person, token) in learners.items():
        page = person.page
        page.bring_to_front()
        person.back_after_restart()
        person.open_assignments()
        person.click_in("submitted", "Fetch Feedback")
        page.locator("#submitted_assignments_list", has_text="view feedback").first.wait_for(timeout=120_000)
        person.shot(f"{name}-feedback-fetched")
        code, listing = hub.contents(name, token, f"{LESSON}/feedback")
        assert code == 200 and listing["content"], f"{name}'s feedback folder is missing: {code} {listing}"
        folder = max(item["path"] for item in listing["content"])  # named by the submission's time
        code, fb = hub.request("GET", f"/user/{name}/api/contents/{quote(folder)}/{LESSON}.html?type=file&format=text",
                               token=token)
        assert code == 200, f"{name} cannot read their feedback: {code} {fb}"
        html = fb["content"]
        total = AUTO_MAX + WRITTEN_MAX
        assert re.search(rf"Score:\s*{expected[name]:g}(\.0+)?\s*/\s*{total:g}(\.0+)?", html), (
            f"{name}'s feedback should show their score {expected[name]:g} / {total:g}.")
        assert not leaked_lines(html, hidden), f"{name}'s feedback shows hidden test code: {leaked_lines(html, hidden)[:2]}"
        page.goto(f"{hub.base}/user/{name}/files/{quote(folder)}/{LESSON}.html")
        person.shot(f"{name}-feedback")

    # --- nobody reads what is not theirs -----------------------------------------------------------------
    _, t1 = learners[L1]
    code, _ = hub.contents(L1, t1, f"{LESSON}/{LESSON}.ipynb", owner=L2)
    assert code in (403, 404), f"Learner 1's token opened learner 2's notebook on learner 2's server ({code})."
    code, _ = hub.request("GET", f"/user/{L1}/formgrader", token=t1, raw=True)
    assert code == 404, f"A learner's server should have no Formgrader (hub/config/learner/); it answered {code}."
    for path in (f"..%2F{L2}%2F{LESSON}", f"..%2F{INSTRUCTOR}%2Fcourse%2Fsolutions"):
        code, _ = hub.contents(L1, t1, path)
        assert code == 404, f"Learner 1's server served {path} outside their home ({code})."
    for target in (f"/home/{L2}/{LESSON}/{LESSON}.ipynb", f"{hub.course}/solutions/{LESSON}/{LESSON}.ipynb",
                   f"{hub.course}/gradebook.db", f"{REPO_ROOT}/solutions/{LESSON}/{LESSON}.ipynb",
                   f"{hub.course}/submitted/{L2}/{LESSON}/{LESSON}.ipynb"):
        got = as_user(L1, "learner", hub.exchange, f"cat {target} > /dev/null", check=False)
        assert got.returncode != 0, f"Learner 1's account could read {target}."
    got = as_user(L1, "learner", hub.exchange, f"ls {hub.exchange}/aipmlab/inbound", check=False)
    assert got.returncode != 0, "Learner 1 could list the exchange's inbound folder (everyone's submissions)."
    timings["checked"] = time.monotonic() - started
