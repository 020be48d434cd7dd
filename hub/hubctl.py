"""Start, stop and remove the course's local JupyterHub (`make hub`, `make hub-stop`, `make hub-clean`).

    python hub/hubctl.py start  [--port 8000] [--learners 3] [--prefix aipm-] [--state .aipmlab/hub]
                                [--exchange /srv/nbgrader/exchange]
    python hub/hubctl.py stop   [--state ...]
    python hub/hubctl.py clean  [--state ...]     # stop, then remove the accounts, exchange and state

Everything `start` creates is written down in ``<state>/hub.json`` (accounts, ports, the exchange,
the directories it opened for the accounts), so ``stop`` and ``clean`` undo exactly that and no more.
The choices themselves are explained in ``hub/jupyterhub_config.py``.
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

HUB_DIR = Path(__file__).resolve().parent
REPO = HUB_DIR.parent
VENV_BIN = Path(sys.executable).parent  # this script runs with the course's .venv python
CHP = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "aipmlab"


def say(msg: str) -> None:
    print(f"make hub: {msg}", flush=True)


def fail(msg: str, code: int = 2) -> None:
    print(f"make hub: {msg}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Nothing listens on the port (connections closing in TIME_WAIT do not count: the proxy reuses it)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


# --- the record of what start created --------------------------------------------------------------

def load_state(state: Path) -> dict:
    path = state / "hub.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def save_state(state: Path, data: dict) -> None:
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)  # passwords and the hub's secrets: root only
    path = state / "hub.json"
    path.write_text(json.dumps(data, indent=2))
    os.chmod(path, 0o600)


# --- accounts -----------------------------------------------------------------------------------------

def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        run(["groupadd", name])


def ensure_account(name: str, group: str, password: str) -> None:
    """A local account with a private home (0700) and the given password (checked by PAM at login)."""
    if not user_exists(name):
        run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name])
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    run(["chpasswd"], input=f"{name}:{password}\n")


def chown_tree(path: Path, user: str) -> None:
    run(["chown", "-R", f"{user}:{user}", str(path)])


def setup_course(instructor: str) -> Path:
    """The instructor's nbgrader course folder: the course config and the lesson sources (hidden
    tests included, so it lives in the instructor's private home)."""
    home = Path(pwd.getpwnam(instructor).pw_dir)
    course = home / "course"
    if not (course / "nbgrader_config.py").is_file():
        course.mkdir(exist_ok=True)
        shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(REPO / "solutions", course / "solutions", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        chown_tree(course, instructor)
    return course


# --- letting the accounts run the course environment -------------------------------------------------

def blocked_dirs(paths: list[Path]) -> list[Path]:
    """Ancestors of ``paths`` that other users cannot enter (e.g. /root when Python lives in ~root/.pyenv)."""
    found: list[Path] = []
    for path in paths:
        for parent in [path, *path.parents]:
            if parent.is_dir() and not (parent.stat().st_mode & stat.S_IXOTH) and parent not in found:
                found.append(parent)
    return found


def open_dirs(dirs: list[Path], group: str) -> list[dict]:
    """Let the hub's group *enter* (not list) each folder: an ACL entry if setfacl exists, else o+x.

    The repository's own folder is also made readable: `make -C <repository> grade` finds the
    Makefile by listing it (a checkout made with `mktemp -d` is mode 0700), and its private parts
    stay denied by :func:`hide_private`.
    """
    opened = []
    for d in dirs:
        listed = d.resolve() == REPO.resolve()
        if shutil.which("setfacl"):
            run(["setfacl", "-m", f"g:{group}:{'rx' if listed else 'x'}", str(d)])
            opened.append({"path": str(d), "how": "acl", "gid": grp.getgrnam(group).gr_gid})
        else:
            mode = stat.S_IMODE(d.stat().st_mode)
            os.chmod(d, mode | stat.S_IXOTH | (stat.S_IROTH if listed else 0))
            opened.append({"path": str(d), "how": "chmod", "mode": mode})
        say(f"let the hub's accounts {'list and enter' if listed else 'enter'} {d} "
            f"({'make finds the Makefile there' if listed else 'the course environment lives below it'})")
    return opened


def close_dirs(opened: list[dict], group: str) -> None:
    for entry in opened:
        d = entry["path"]
        if not os.path.exists(d):  # a folder, or a file such as a worktree's .git
            continue
        if entry["how"] == "acl" and shutil.which("setfacl"):
            # By number: the entry must go even if the group was already deleted.
            who = str(entry.get("gid", group))
            subprocess.run(["setfacl", "-x", f"g:{who}", d], check=False, capture_output=True)
            acl = subprocess.run(["getfacl", "--omit-header", d], check=False, capture_output=True, text=True)
            named = [ln for ln in acl.stdout.splitlines() if re.match(r"^(user|group):[^:]+:", ln)]
            if acl.returncode == 0 and not named:  # only the mask is left: back to plain permissions
                subprocess.run(["setfacl", "-b", d], check=False, capture_output=True)
        elif entry["how"] == "chmod":
            os.chmod(d, entry["mode"])


#: Parts of the repository that hold hidden tests (or learners' work): the accounts may not read them,
#: although the rest of the repository (the aipmlab package, assets/) must stay readable for lessons.
PRIVATE = ["solutions", "tests", ".git", "gradebook.db", "submitted", "autograded", "feedback", ".aipmlab"]


def hide_private(group: str) -> list[dict]:
    """Deny the hub's group the repository's private parts: an ACL entry (---) if setfacl exists,
    else o-rwx. A POSIX ACL named-group entry with no rights denies its members even where "other"
    may read."""
    hidden = []
    for name in PRIVATE:
        path = REPO / name
        if not path.exists():
            continue
        if shutil.which("setfacl"):
            run(["setfacl", "-m", f"g:{group}:---", str(path)])
            hidden.append({"path": str(path), "how": "acl", "gid": grp.getgrnam(group).gr_gid})
        else:
            mode = stat.S_IMODE(path.stat().st_mode)
            os.chmod(path, mode & ~0o007)
            hidden.append({"path": str(path), "how": "chmod", "mode": mode})
    return hidden


def python_home() -> Path:
    """The real interpreter behind the venv (a venv's python is a symlink to it)."""
    return Path(os.path.realpath(VENV_BIN / "python")).parent.parent


# --- processes ------------------------------------------------------------------------------------

def hub_alive(data: dict) -> psutil.Process | None:
    pid = data.get("pid")
    if not pid:
        return None
    try:
        proc = psutil.Process(pid)
        if proc.create_time() == data.get("pid_created") and proc.status() != psutil.STATUS_ZOMBIE:
            return proc
    except psutil.NoSuchProcess:
        pass
    return None


def account_processes(names: list[str]) -> list[psutil.Process]:
    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    found = []
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real in uids:
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found


def wait_for_hub(base: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            fail(f"JupyterHub exited during start-up (code {proc.returncode}); its log is {log}:\n"
                 + "".join(log.read_text(errors="replace").splitlines(True)[-30:]), 1)
        try:
            with urllib.request.urlopen(f"{base}/hub/api", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            fail(f"JupyterHub did not answer on {base} within {timeout:.0f} s; see {log}.", 1)
        time.sleep(0.5)


# --- commands -------------------------------------------------------------------------------------

def accounts_text(data: dict) -> str:
    lines = [f"JupyterHub for {COURSE_ID}: {data['url']}  (log in with an account below; stop with `make hub-stop`)",
             "", f"  {'role':<11}{'user':<22}password"]
    for role, name in [("instructor", data["instructor"])] + [("learner", n) for n in data["learners"]]:
        lines.append(f"  {role:<11}{name:<22}{data['passwords'][name]}")
    lines += ["", f"  exchange:       {data['exchange']}",
              f"  course folder:  {data['course']}",
              f"  grade there:    make grade LESSON=00-orientation COURSE={data['course']}",
              f"  hub log:        {data['state']}/hub.log"]
    return "\n".join(lines)


def start(args) -> int:
    state = Path(args.state).resolve()
    data = load_state(state)
    if hub_alive(data):
        say("already running.")
        print(accounts_text(data))
        return 0
    if os.geteuid() != 0:
        fail("needs root: it creates local accounts (useradd) and starts each learner's server as that "
             "account. Run it as root (e.g. `sudo make hub`).")
    if not CHP.exists():
        if not shutil.which("npm"):
            fail("needs Node.js and npm for the proxy: apt-get install nodejs npm")
        say("installing configurable-http-proxy from the npm registry into hub/node_modules ...")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HUB_DIR, check=True)
    port = args.port or data.get("port") or 8000
    if not port_free(port):
        fail(f"port {port} is taken; choose another with HUB_PORT=...")

    group = f"{args.prefix}hub"
    instructor = data.get("instructor") or f"{args.prefix}instructor"
    learners = data.get("learners") or [f"{args.prefix}learner{i}" for i in range(1, args.learners + 1)]
    passwords = data.get("passwords", {})
    created = data.get("created", [])
    ensure_group(group)
    for name in [instructor, *learners]:
        if not user_exists(name):
            created.append(name)
        passwords.setdefault(name, secrets.token_urlsafe(9))
        ensure_account(name, group, passwords[name])
    course = setup_course(instructor)

    exchange = Path(args.exchange or data.get("exchange") or "/srv/nbgrader/exchange")
    exchange.mkdir(parents=True, exist_ok=True)
    # nbgrader's exchange must be writable by every account; the sticky bit stops one account from
    # removing another's folders. nbgrader itself makes inbound/ write-only (no listing) for learners.
    os.chmod(exchange, 0o1777)
    opened = data.get("opened") or open_dirs(blocked_dirs([python_home(), REPO, exchange]), group)
    opened += [] if data.get("hidden") else hide_private(group)
    data["hidden"] = True

    data.update({"port": port, "url": f"http://127.0.0.1:{port}", "instructor": instructor, "learners": learners,
                 "passwords": passwords, "created": created, "group": group, "exchange": str(exchange),
                 "course": str(course), "state": str(state), "opened": opened})
    save_state(state, data)

    env = dict(os.environ)
    env.update({
        "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
        "AIPMLAB_HUB_PORT": str(port), "AIPMLAB_HUB_API_PORT": str(free_port()),
        "AIPMLAB_PROXY_API_PORT": str(free_port()), "AIPMLAB_HUB_STATE": str(state),
        "AIPMLAB_HUB_INSTRUCTOR": instructor, "AIPMLAB_HUB_LEARNERS": " ".join(learners),
        "AIPMLAB_EXCHANGE": str(exchange), "AIPMLAB_VENV_BIN": str(VENV_BIN), "AIPMLAB_CHP": str(CHP),
    })
    for var in ("AIPMLAB_HEADLESS", "MPLBACKEND"):  # learners' servers get interactive widgets
        env.pop(var, None)
    log = state / "hub.log"
    with open(log, "a") as out:
        proc = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")],
                                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    data.update({"pid": proc.pid, "pid_created": psutil.Process(proc.pid).create_time()})
    save_state(state, data)
    wait_for_hub(data["url"], proc, log, args.timeout)
    print(accounts_text(data))
    return 0


def signal_all(procs: list[psutil.Process], how: str) -> None:
    """``terminate`` or ``kill`` every process in ``procs`` that is still there."""
    for proc in procs:
        try:
            getattr(proc, how)()
        except psutil.NoSuchProcess:
            pass


def stop(args) -> int:
    """Stop the hub, its proxy, every user server, and anything still running as a hub account
    (a `make grade` or kernel started from a terminal on the hub)."""
    state = Path(args.state).resolve()
    data = load_state(state)
    if not data:
        say(f"no hub state in {state}; nothing to stop.")
        return 0
    hub = hub_alive(data)
    family: list[psutil.Process] = []
    if hub:
        family = [hub, *hub.children(recursive=True)]
    accounts = account_processes([data["instructor"], *data["learners"]])
    # All at once: JupyterHub stops the user servers and its proxy on SIGTERM, and each account's other
    # processes (a `make grade` in a terminal, its kernels) are told to stop now rather than finish.
    signal_all([*family, *accounts], "terminate")
    family += accounts
    if hub:
        try:
            hub.wait(timeout=30)
        except psutil.TimeoutExpired:
            hub.kill()
    _, alive = psutil.wait_procs(family, timeout=10)
    signal_all(alive, "terminate")
    _, alive = psutil.wait_procs(alive, timeout=5)
    signal_all(alive, "kill")
    psutil.wait_procs(alive, timeout=5)
    for _ in range(3):  # anything an account started while the others were stopping
        late = account_processes([data["instructor"], *data["learners"]])
        if not late:
            break
        signal_all(late, "kill")
        psutil.wait_procs(late, timeout=5)
    data.pop("pid", None)
    save_state(state, data)
    say(f"stopped the hub on {data['url']} and everything it started." if hub else "the hub was not running.")
    return 0


def clean(args) -> int:
    """Stop, then remove what start created: the accounts it added (with their homes), the group,
    the directory permissions it opened, the exchange's course folder and the state folder."""
    state = Path(args.state).resolve()
    data = load_state(state)
    if not data:
        say(f"no hub state in {state}; nothing to remove.")
        return 0
    stop(args)
    for name in data.get("created", []):
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
    close_dirs(data.get("opened", []), data["group"])
    subprocess.run(["groupdel", data["group"]], check=False, capture_output=True)
    shutil.rmtree(Path(data["exchange"]) / COURSE_ID, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    say(f"removed the accounts {', '.join(data.get('created', [])) or '(none created)'}, "
        f"the exchange's {COURSE_ID} folder and {state}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubctl")
    parser.add_argument("command", choices=["start", "stop", "clean"])
    parser.add_argument("--state", default=str(REPO / ".aipmlab" / "hub"))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--prefix", default="aipm-")
    parser.add_argument("--exchange", default="")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)
    if args.learners < 1:
        fail("HUB_LEARNERS must be at least 1.")
    return {"start": start, "stop": stop, "clean": clean}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
