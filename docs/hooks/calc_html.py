"""HTML for the calculators, from the Jinja templates in docs/overrides/partials/calc/.

Pure functions: a context from calculators.page (form.form_context, embed.value_context) in, HTML out; nothing
here computes or words anything, the templates add markup only. The Markdown extension (calc_markdown.py) calls
them while a page is built, and tests/test_form.py calls them directly.

    render_form(form_context(...), href)   form.html   the whole form (fields, outputs, charts, page tools)
    render_value(value_context(...))       value.html  one inline number
    render_chart(chart)                    chart.html  one chart's figure, with its table

`href` maps a source's url to the link the page writes (site-relative urls are made relative to the page); the
default leaves urls as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parents[1] / "overrides" / "partials" / "calc"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt key in a template fails the build instead of rendering ""
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _same(url: str) -> str:
    return url


def render_form(form: dict, href: Callable[[str], str] = _same) -> str:
    return environment().get_template("form.html").render(f=form, href=href).strip()


def render_value(value: dict) -> str:
    return environment().get_template("value.html").render(v=value).strip()


def render_chart(chart: dict) -> str:
    return environment().get_template("chart.html").render(c=chart).strip()
