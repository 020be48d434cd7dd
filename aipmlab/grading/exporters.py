"""The feedback page's exporter: nbconvert's HTMLExporter, minus work it repeats.

After rendering, nbconvert's ``HTMLExporter`` parses the whole page again with BeautifulSoup to give
images without alternative text a default one and to make JupyterLab-template cells focusable, then
prints the parsed page back. That pass is over half the cost of nbgrader's feedback. nbgrader's
feedback template builds on the classic template, which has no JupyterLab cells, so only the
alternative text matters; :class:`FeedbackExporter` adds it with one regular expression and keeps the
rest of the page as rendered.

Most cells of a lesson are the same in every learner's notebook (instructions, setup, tests), and
one exporter writes a whole worker's feedback pages in ``make grade``, so the HTML of each markdown
cell and each highlighted code cell is remembered by its inputs and reused.

``tests/test_grading_tools.py`` checks that, parsed, its page equals ``HTMLExporter``'s.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

#: nbconvert's words for an image that has none of its own (``HTMLExporter.from_notebook_node``).
NO_ALT = "No description has been provided for this image"
_IMG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)  # quoted values may hold '>'
_HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")


def add_missing_alt(page: str) -> tuple[str, int]:
    """Give every ``<img>`` without an ``alt`` attribute nbconvert's default one; return the count."""
    count = 0

    def fix(match: re.Match) -> str:
        nonlocal count
        tag = match.group(0)
        if _HAS_ALT.search(_QUOTED.sub('""', tag)):
            return tag
        count += 1
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} alt="{NO_ALT}"{tag[end:]}'

    return _IMG.sub(fix, page), count


def _key(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, default=str)


def _remember(seen: dict[str, Any], key: str, compute) -> Any:
    """``compute()``, kept in ``seen`` under ``key`` (at most 20,000 answers are kept)."""
    if key not in seen:
        if len(seen) >= 20_000:
            seen.clear()
        seen[key] = compute()
    return seen[key]


class _Remembered:
    """A pure filter whose answers are kept by their inputs."""

    def __init__(self, function) -> None:
        self.function, self.seen = function, {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _remember(self.seen, _key(args, kwargs), lambda: self.function(*args, **kwargs))


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` for nbgrader's feedback page, without re-parsing the rendered page."""

    def default_filters(self):
        for name, function in super().default_filters():
            yield name, (self._markdown2html if name == "markdown2html" else function)

    @pass_context
    def _markdown2html(self, context, source):
        """``HTMLExporter.markdown2html``, remembered by what it reads: the source, attachments and path."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return _remember(self.__dict__.setdefault("_markdown_seen", {}), _key(source, cell.get("attachments", {}), path),
                         lambda: HTMLExporter.markdown2html(self, context, source))

    def from_notebook_node(self, nb, resources: dict[str, Any] | None = None, **kw: Any):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlighters = self.__dict__.setdefault("_highlighters", {})
        if lexer not in highlighters:
            highlighters[lexer] = _Remembered(Highlight2HTML(pygments_lexer=lexer, parent=self))
        highlight_code = self.filters.get("highlight_code", highlighters[lexer])
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if "jp-Notebook" in page:  # cells nbconvert would make focusable: let it do the whole pass
            return super().from_notebook_node(nb, resources, **kw)
        page, missing = add_missing_alt(page)
        if missing:
            self.log.warning("Alternative text is missing on %s image(s).", missing)
        return page, resources
