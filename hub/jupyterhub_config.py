"""JupyterHub configuration for an AIPM Lab cohort on one machine (`make hub`).

`hub/hubctl.py` starts JupyterHub with this file and passes the per-run values (ports, accounts,
folders) as AIPMLAB_* environment variables; everything else is decided here, with the reason.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HUB_DIR = Path(__file__).resolve().parent
STATE = Path(os.environ["AIPMLAB_HUB_STATE"])
VENV_BIN = os.environ["AIPMLAB_VENV_BIN"]
INSTRUCTOR = os.environ["AIPMLAB_HUB_INSTRUCTOR"]
LEARNERS = os.environ["AIPMLAB_HUB_LEARNERS"].split()

# --- Network ------------------------------------------------------------------------------------
# Loopback only. To open the hub to a cohort, put it behind HTTPS (a reverse proxy with a certificate,
# or The Littlest JupyterHub, which does this for you) rather than binding it to 0.0.0.0 in plain HTTP.
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['AIPMLAB_HUB_PORT']}"
# The hub's own API and the proxy's API on ports chosen free at start, so two hubs (a developer's
# and the test's) can run side by side.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['AIPMLAB_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['AIPMLAB_PROXY_API_PORT']}"
# The real configurable-http-proxy, installed from the npm registry into hub/node_modules by `make hub`.
c.ConfigurableHTTPProxy.command = [os.environ["AIPMLAB_CHP"]]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- State ----------------------------------------------------------------------------------------
# The hub's database and cookie secret live in the git-ignored state folder (root only, 0700).
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Stopping the hub (`make hub-stop`) stops every user server too: nothing is left running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- Who may log in ---------------------------------------------------------------------------------
# PAM, the machine's own login check, with a password per account (set by `make hub`). A shared-password
# authenticator (DummyAuthenticator, SharedPasswordAuthenticator) would let any learner log in as any
# other learner with the one password, which defeats the point of separate accounts: learners must not
# read each other's work or the instructor's hidden tests.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session bookkeeping needed for a notebook server
c.Authenticator.allowed_users = {INSTRUCTOR, *LEARNERS}
# Nobody is a hub admin: the instructor grades through nbgrader, not by entering learners' servers.
c.Authenticator.admin_users = set()

# --- Each person's server ----------------------------------------------------------------------------
# LocalProcessSpawner: each server runs as that person's own local account, in their own home folder
# (0700). The operating system then keeps learners out of each other's work and out of the
# instructor's course folder, whatever code they run. A spawner without system accounts (all servers
# as one user) could not give that guarantee; containers (DockerSpawner, Kubernetes) can, see
# hub/z2jh/values.yaml.
c.JupyterHub.spawner_class = "localprocess"
# The course's environment (.venv): the same Python, packages and nbgrader as `make lab` and `make grade`.
c.Spawner.cmd = [os.path.join(VENV_BIN, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A loaded 2-core machine can take a while to start a server.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# One BLAS thread per kernel (as in the Makefile): many learners' kernels share the cores.
ENV = {
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    # nbgrader's exchange folder, shared by every server (read by hub/config/*/nbgrader_config.py).
    "AIPMLAB_EXCHANGE": os.environ["AIPMLAB_EXCHANGE"],
}
c.Spawner.environment = ENV


def per_role_config(spawner):
    """Instructor and learners get different nbgrader extensions (see hub/config/<role>/):
    learners the Assignments tab only; the instructor also Formgrader and Courses."""
    role = "instructor" if spawner.user.name == INSTRUCTOR else "learner"
    spawner.environment = dict(ENV, JUPYTER_CONFIG_PATH=str(HUB_DIR / "config" / role))


c.Spawner.pre_spawn_hook = per_role_config
