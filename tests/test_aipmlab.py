"""Unit tests for the helper package: paths, environment check, plots, widgets, authoring, grading tools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import aipmlab
from aipmlab import authoring, plots, widgets
from aipmlab.env import check_environment, pinned_versions
from aipmlab.grading import contract, feedback, notebook
from aipmlab.grading.preprocessors import TagExpectedErrors
from aipmlab.grading.runner import CellResult
from aipmlab.paths import REPO_ROOT, asset_path


# --- paths -----------------------------------------------------------------------------------------
def test_paths_resolve_from_the_package_not_the_working_directory(tmp_path):
    code = "import aipmlab; print(aipmlab.DATA_DIR)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == REPO_ROOT / "assets" / "data"


def test_asset_path_finds_files_and_explains_bad_input():
    assert asset_path("data").is_dir()
    with pytest.raises(FileNotFoundError, match="restore it"):
        asset_path("data", "no-such-file.csv")
    with pytest.raises(ValueError, match="relative"):
        asset_path("..", "etc")
    with pytest.raises(TypeError, match="strings"):
        asset_path("data", 3)
    with pytest.raises(ValueError, match="at least one"):
        asset_path()


def test_import_has_no_side_effects():
    code = ("import matplotlib as mpl; before = dict(mpl.rcParams); import aipmlab, aipmlab.plots, aipmlab.widgets;"
            "import aipmlab.grading.check; print(dict(mpl.rcParams) == before)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", "Importing aipmlab must not change matplotlib settings."


# --- environment check -------------------------------------------------------------------------------
def test_check_environment_matches_the_pins(capsys):
    found = check_environment(["numpy", "pandas"])
    assert found["numpy"] == pinned_versions()["numpy"]
    assert "Environment OK" in capsys.readouterr().out


def test_check_environment_rejects_bad_arguments_and_mismatches(monkeypatch):
    with pytest.raises(TypeError):
        check_environment("numpy")
    with pytest.raises(ValueError, match="not a course dependency"):
        check_environment(["leftpad"])
    monkeypatch.setattr("aipmlab.env.metadata.version", lambda name: "0.0.1")
    with pytest.raises(RuntimeError, match="make lab"):
        check_environment(["numpy"], verbose=False)


def test_every_requirement_is_pinned_and_explained():
    lines = [ln for ln in (REPO_ROOT / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    for line in lines:
        if line.startswith("-e"):
            continue
        assert "==" in line and "#" in line, f"requirements.txt line {line!r} needs an exact pin and a comment."


# --- plots and widgets ---------------------------------------------------------------------------------
def test_course_style_and_colours():
    import matplotlib as mpl

    with mpl.rc_context():
        plots.use_course_style()
        assert mpl.rcParams["axes.spines.top"] is False
    assert plots.color("model") == plots.PALETTE["blue"]
    with pytest.raises(ValueError, match="Unknown colour role"):
        plots.color("chartreuse")
    with pytest.raises(TypeError):
        plots.color(1)


def test_explore_is_static_when_headless(monkeypatch):
    from ipywidgets import FloatSlider

    monkeypatch.setenv(widgets.HEADLESS_ENV, "1")
    seen = []
    widgets.explore(lambda t: seen.append(t), t=FloatSlider(value=0.3, min=0, max=1))
    assert seen == [0.3]


def test_explore_builds_widgets_when_interactive(monkeypatch):
    from ipywidgets import IntSlider, interactive

    monkeypatch.setenv(widgets.HEADLESS_ENV, "0")  # forced: this test process has no front end
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    assert widgets.explore(lambda n: n, n=IntSlider(value=2, min=0, max=5)) is None, "explore must not return the panel"
    assert len(shown) == 1 and isinstance(shown[0], interactive), "explore shows exactly one interactive panel"


class _FakeShell:
    def __init__(self, allow_stdin):
        self.kernel = type("Kernel", (), {"_allow_stdin": allow_stdin})()


@pytest.mark.parametrize("env, shell, headless", [
    ("1", _FakeShell(True), True),       # forced on (make test, make check, grading)
    ("0", None, False),                  # forced off (e.g. Voila)
    ("", _FakeShell(True), False),       # JupyterLab, Notebook, VS Code: cells sent with allow_stdin
    ("", _FakeShell(False), True),       # nbconvert --execute, nbclient, papermill, nbgrader
    ("", None, True),                    # plain Python: no front end at all
])
def test_headless_is_detected_unless_the_variable_says_otherwise(monkeypatch, env, shell, headless):
    monkeypatch.setenv(widgets.HEADLESS_ENV, env)
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert widgets.is_headless() is headless


EXPLORE_CELL = (
    "from ipywidgets import IntSlider\n"
    "from aipmlab.widgets import explore\n"
    "explore(lambda n: print('drawn with', n), n=IntSlider(value=3, min=0, max=5))"
)


@pytest.mark.slow
def test_nbconvert_style_execution_gets_static_output_without_the_variable(monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.delenv(widgets.HEADLESS_ENV, raising=False)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORE_CELL)])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o.get("text") for o in outputs] == ["drawn with 3\n"], f"expected the static fallback; got {outputs}"


@pytest.mark.slow
def test_a_front_end_that_takes_input_gets_the_sliders(monkeypatch):
    from jupyter_client.manager import start_new_kernel

    monkeypatch.delenv(widgets.HEADLESS_ENV, raising=False)
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        msg_id = kc.execute(EXPLORE_CELL, allow_stdin=True)  # as JupyterLab sends every cell
        kinds = []
        while True:
            msg = kc.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            kinds.append((msg["msg_type"], sorted(msg["content"].get("data", {}))))
        assert ("display_data", ["application/vnd.jupyter.widget-view+json", "text/plain"]) in kinds, kinds
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_explore_rejects_bad_controls():
    with pytest.raises(TypeError, match="value widget"):
        widgets.explore(lambda t: t, t=0.5)
    with pytest.raises(ValueError, match="at least one control"):
        widgets.explore(lambda: None)
    with pytest.raises(TypeError, match="function"):
        widgets.explore(3, t=0.5)


# --- authoring -----------------------------------------------------------------------------------------
SAMPLE = """%%md
# Title
%%setup
%matplotlib inline
%%solution id=f_solution
def f(x):
    ### BEGIN SOLUTION
    return x
    ### END SOLUTION
%%test id=f_works points=2
\"\"\"f returns its input.\"\"\"
assert f(1) == 1, "f must return x"
%%answer id=essay points=3
### BEGIN SOLUTION
model answer
### END SOLUTION
%%code tags=uses-exercise
f(2)
"""


def test_authoring_round_trip():
    nb = authoring.pack(SAMPLE)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code", "markdown", "code"]
    assert nb.cells[3].metadata.nbgrader["points"] == 2.0
    assert nb.cells[4].metadata.nbgrader["solution"] and nb.cells[4].metadata.nbgrader["grade"]
    again = authoring.pack(authoring.unpack(nb))
    assert nbformat.writes(again) == nbformat.writes(nb)


def test_authoring_rejects_bad_text():
    with pytest.raises(ValueError, match="needs id"):
        authoring.pack("%%test points=1\nassert True, 'x'")
    with pytest.raises(ValueError, match="used twice"):
        authoring.pack("%%solution id=a\nx=1\n%%solution id=a\ny=1")
    with pytest.raises(ValueError, match="before the first cell marker"):
        authoring.pack("hello\n%%md\n# t")


# --- grading tools -------------------------------------------------------------------------------------
def test_tag_expected_errors_marks_stubs_tests_and_demo_cells():
    nb = authoring.pack(SAMPLE)
    pre = TagExpectedErrors()
    tagged = [pre.preprocess_cell(c, {}, i)[0].metadata.get("tags", []) for i, c in enumerate(nb.cells)]
    assert ["raises-exception" in t for t in tagged] == [False, False, True, True, False, True]


def test_structure_parsing_groups_cells_under_exercises():
    nb = authoring.pack(SAMPLE.replace("%%solution", "%%md\n### Exercise 1 (5 points): f\n%%solution", 1))
    s = notebook.parse_structure(nb, "x")
    assert [(e.number, e.heading_points, e.points) for e in s.exercises] == [(1, 5.0, 5.0)]
    assert [i.kind for i in s.items] == ["auto", "manual"]
    assert s.items[0].description == "f returns its input."


def test_lesson_of_understands_learner_paths():
    assert notebook.lesson_of("notebooks/00-orientation/00-orientation.ipynb") == "00-orientation"
    assert notebook.lesson_of("Downloads/00-orientation (2).ipynb") == "00-orientation"
    with pytest.raises(ValueError, match="Cannot tell which lesson"):
        notebook.lesson_of("homework.ipynb")


def test_read_notebook_explains_broken_files(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not a readable Jupyter notebook"):
        notebook.read_notebook(bad)
    with pytest.raises(ValueError, match="does not exist"):
        notebook.read_notebook(tmp_path / "missing.ipynb")


def test_feedback_teaches_without_source():
    assert "Not attempted" in feedback.explain(CellResult("a", "auto", 1, 0, "NotImplementedError", ""))
    assert feedback.explain(CellResult("a", "auto", 1, 0, "AssertionError", "Use true division.")) == "Use true division."
    assert "time limit" in feedback.explain(CellResult("a", "auto", 1, 0, "CellTimeoutError", ""))
    long = feedback.explain(CellResult("a", "auto", 1, 0, "ValueError", "x" * 5000))
    assert len(long) <= feedback.MAX_MESSAGE


def test_mutant_files_parse_and_need_a_header(tmp_path):
    cells = {"f_solution": "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION"}
    good = tmp_path / "m.mutant"
    good.write_text("# replaces: f_solution\n# fails: f_works\n# mistake: returns zero\n"
                    "<<<<<<< solution\n    return x + 1\n=======\n    return 0\n>>>>>>> mutant\n")
    m = contract.parse_mutant(good, "x", cells)
    assert (m.replaces, m.fails) == ("f_solution", ("f_works",))
    assert m.source.splitlines() == ["def f(x):", "    ### BEGIN SOLUTION", "    return 0", "    ### END SOLUTION"]
    bad = tmp_path / "b.mutant"
    bad.write_text("<<<<<<< solution\n    return x + 1\n=======\n    return 0\n>>>>>>> mutant\n")
    with pytest.raises(ValueError, match="lacks header"):
        contract.parse_mutant(bad, "x", cells)


def test_mutant_that_no_longer_applies_names_itself(tmp_path):
    cells = {"f_solution": "def f(x):\n    return x + 2"}
    stale = tmp_path / "stale.mutant"
    stale.write_text("# replaces: f_solution\n# fails: f_works\n# mistake: returns zero\n"
                     "<<<<<<< solution\n    return x + 1\n=======\n    return 0\n>>>>>>> mutant\n")
    with pytest.raises(ValueError, match=r"stale\.mutant.*no longer occurs"):
        contract.parse_mutant(stale, "x", cells)
    twice = {"f_solution": "    return x + 1\n    return x + 1"}
    with pytest.raises(ValueError, match="occurs 2 times"):
        contract.parse_mutant(stale, "x", twice)


def test_full_copy_mutants_convert_to_minimal_patches():
    cell = "def f(x):\n    y = x\n    y = x\n    return y + 1\nz = 0"
    text = contract.make_patch_text({"replaces": "c", "fails": "t", "mistake": "m"}, cell,
                                    "def f(x):\n    y = x\n    y = x\n    return y - 1\nz = 0")
    assert text.count(contract.BLOCK_OPEN) == 1 and "    return y + 1" in text and "def f(x):" not in text
    assert contract.apply_patch(cell, contract.parse_patch(text)).splitlines()[3] == "    return y - 1"


def test_cheat_notebook_replaces_every_answer():
    nb = contract.cheat_notebook(authoring.pack(SAMPLE + "%%solution id=v_solution\n### BEGIN SOLUTION\nv = 3\n### END SOLUTION\n"))
    sources = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    assert "def f(*args, **kwargs)" in sources[0] and "v = _AlwaysEqual()" in sources[1]
    scope: dict = {}
    exec(sources[0], scope)  # noqa: S102 - the cheat must at least run
    assert scope["f"](1) == "anything" and abs(scope["f"](1)) == 0.0


def test_version_is_exposed():
    assert aipmlab.__version__
    assert os.path.isdir(aipmlab.ASSETS_DIR)


# --- first steps ------------------------------------------------------------------------------------
def test_setup_is_the_first_step_and_make_help_lists_it():
    import re
    import tomllib

    out = subprocess.run(["make", "help"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    assert re.search(r"^\s*make setup\s", out, re.MULTILINE), f"make help must list setup:\n{out}"
    assert "SHELL" not in out, "make help prints the command list only"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```bash", 1)[1]
    assert quick.strip().startswith("make setup"), "the Quick start's first command is make setup"
    license_ = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert isinstance(license_, str), "an SPDX string: a licence table makes setuptools print deprecation screens"
