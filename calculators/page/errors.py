"""Page functions never raise: bad arguments or input come back as {"ok": false, "errors": [...]}."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..core import InputError


def error_list(errors: list[InputError]) -> list[dict]:
    return [{"field": e.field, "message": e.message} for e in errors]


def page_function(fn: Callable) -> Callable:
    """A function the page may call: bad arguments or input give {"ok": false, ...}, never an exception."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except InputError as e:
            return {"ok": False, "errors": error_list([e]), "message": f"{e.field}: {e.message}"}
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as e:
            return {
                "ok": False,
                "errors": [{"field": "", "message": f"bad request ({e.__class__.__name__})"}],
                "message": "The page sent something this function cannot read.",
            }

    return wrapper
