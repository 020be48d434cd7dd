# AIPM Lab — every target builds .venv from requirements.txt first when it is missing or stale.
#   make setup               build .venv from requirements.txt: the first step (a few minutes, once)
#   make lab                 open the course in JupyterLab
#   make test                run the whole test suite (2 cores)
#   make check NB=...        grade one finished lesson with the hidden tests (learners)
#                            ADVISE=1 also asks your configured model for advice on written answers
#   make release             regenerate notebooks/ from solutions/ (course authors)
#   make grade LESSON=...    grade a cohort's submissions (instructors; COURSE=dir for another course folder)
#   make report LESSON=...   item analysis of a graded cohort (instructors)
#   make bench               execution time, peak memory, cohort grading throughput
#   make data                rebuild assets/data/ from the generator
#   make lint                ruff on aipmlab/, tests/ and the generator
#   make hub / hub-stop      a local JupyterHub for a cohort (as root; see INSTRUCTORS.md)

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
# nbgrader runs `alembic` as a subprocess: the venv's bin must come first on PATH for every target.
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0
# One BLAS thread per process: with two test workers on two cores, more threads only fight (and slow
# scikit-learn fits several-fold); it also keeps floating-point results identical from run to run.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export MPLBACKEND := Agg
# aipmlab.llm: tests and grading never call a model (`make check ADVISE=1` lifts it for the advice only).
LLM_OFFLINE := AIPMLAB_LLM_OFFLINE=1
JOBS ?= 2
LAB_PORT ?= 8888
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told to; containers and CI machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help setup lab test check release grade report bench data lint clean hub hub-stop hub-clean

help:
	@awk '/^#/ { sub(/^# ?/, ""); print; next } { exit }' Makefile

$(STAMP): requirements.txt pyproject.toml
	@echo "[1/4] Creating the virtual environment .venv/ ..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Need Python 3.11 (python3.11) to create .venv; set PYTHON=/path/to/python3.11"; exit 1; }
	@echo "[2/4] Updating pip ..."
	@$(PY) -m pip install --quiet --upgrade "pip>=24"
	@echo "[3/4] Installing the course's packages from requirements.txt (a few minutes the first time) ..."
	@$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)
	@echo "[4/4] Checking the install in .venv/ ..."
	@$(PY) -c "import importlib.util as u, sys; m = [n for n in ('aipmlab', 'nbgrader', 'jupyterlab', 'nbval') if not u.find_spec(n)]; sys.exit('make setup: missing ' + ', '.join(m) + '; delete .venv and run make setup again.' if m else 0)"
	@echo "Setup done. Next: make lab   (opens lesson 00 in JupyterLab)"

lab: $(STAMP)
	@unset MPLBACKEND; $(BIN)/jupyter lab $(ROOT_FLAG) --port=$(LAB_PORT) \
	  --ServerApp.root_dir="$(CURDIR)" \
	  --ServerApp.default_url=/lab/tree/notebooks/00-orientation/00-orientation.ipynb $(LAB_ARGS)

# Runs every test on 2 cores. pytest exits 5 when it collected no tests: that is a failure too.
test: $(STAMP)
	@rc=0; AIPMLAB_HEADLESS=1 $(LLM_OFFLINE) $(BIN)/pytest -n $(JOBS) --dist loadscope $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests — treating that as a failure."; fi; \
	exit $$rc

check: $(STAMP)
	@test -n "$(NB)" || { echo "Usage: make check NB=notebooks/00-orientation/00-orientation.ipynb [ADVISE=1]"; exit 2; }
	@AIPMLAB_HEADLESS=1 $(if $(ADVISE),,$(LLM_OFFLINE)) $(PY) -m aipmlab.grading.check $(if $(ADVISE),--advise,) "$(NB)"

release: $(STAMP)
	AIPMLAB_HEADLESS=1 $(PY) -m aipmlab.grading.release

grade: $(STAMP)
	@test -n "$(LESSON)" || { echo "Usage: make grade LESSON=00-orientation [WORKERS=2]"; exit 2; }
	@AIPMLAB_HEADLESS=1 $(LLM_OFFLINE) $(PY) -m aipmlab.grading.cohort grade "$(LESSON)" $(if $(WORKERS),--workers $(WORKERS),) \
	  $(if $(COURSE),--course-dir "$(COURSE)",)

report: $(STAMP)
	@test -n "$(LESSON)" || { echo "Usage: make report LESSON=00-orientation"; exit 2; }
	@$(PY) -m aipmlab.grading.report "$(LESSON)"

bench: $(STAMP)
	@AIPMLAB_HEADLESS=1 $(LLM_OFFLINE) $(PY) -m aipmlab.bench $(BENCH_ARGS)

data: $(STAMP)
	$(PY) assets/generator/generate.py

lint: $(STAMP)
	$(BIN)/ruff check aipmlab tests assets/generator

# A local JupyterHub for a cohort (hub/: configuration and the reasons for each choice).
HUB_PORT ?= 8000
HUB_LEARNERS ?= 3
HUB_PREFIX ?= aipm-
HUB_STATE ?= $(CURDIR)/.aipmlab/hub
HUB_EXCHANGE ?= /srv/nbgrader/exchange
HUB_ARGS = --state "$(HUB_STATE)"

hub: $(STAMP)
	@$(PY) hub/hubctl.py start $(HUB_ARGS) --port $(HUB_PORT) --learners $(HUB_LEARNERS) --prefix "$(HUB_PREFIX)" \
	  --exchange "$(HUB_EXCHANGE)"

hub-stop:
	@$(PY) hub/hubctl.py stop $(HUB_ARGS)

# Stop the hub and remove the accounts it created (with their work), the exchange and its state.
hub-clean:
	@$(PY) hub/hubctl.py clean $(HUB_ARGS)

clean:
	rm -rf .aipmlab gradebook.db submitted autograded feedback downloaded reports grades.csv
