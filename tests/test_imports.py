"""calculators/ has no import cycles, and every module imports on its own.

The import graph is read from the source (ast), so a cycle fails this test even where the current import order
happens to hide it: an edge for every `import` and `from ... import` anywhere in a module (function bodies included,
`if TYPE_CHECKING:` blocks left out), to the module named, or to the submodule when the name imported is one.
Then each module is imported first, in a fresh set of modules, so that none works only because another module was
imported before it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "calculators"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if _type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def edges(name: str, path: Path) -> set[str]:
    is_package = path.name == "__init__.py"
    out = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "calculators"}
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target.split(".")[0] != "calculators":
            continue
        for a in node.names:
            sub = f"{target}.{a.name}"
            out.add(sub if sub in MODULES else target)
    return {t for t in out if t != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


GRAPH = {name: edges(name, path) for name, path in MODULES.items()}


def test_the_graph_is_read():
    # a few edges that must be there, so that an empty graph cannot pass
    assert "calculators.core.declare" in GRAPH["calculators.core"]
    assert "calculators.page.compute" in GRAPH["calculators.page.api"]
    assert "calculators" in GRAPH["calculators.page.compute"]  # from .. import get
    assert "calculators.core.ranges" in GRAPH["calculators.cli"]
    assert len(MODULES) > 30


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    found = cycles(GRAPH)
    assert not found, "import cycles in calculators/: " + "; ".join(" <-> ".join(c) for c in found)


def test_every_module_imports_on_its_own():
    code = (
        "import importlib, sys, traceback\n"
        "failed = []\n"
        f"for name in {sorted(m for m in MODULES if m != 'calculators.__main__')!r}:  # __main__ runs the CLI\n"
        "    for m in [m for m in sys.modules if m == 'calculators' or m.startswith('calculators.')]:\n"
        "        del sys.modules[m]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as e:\n"
        "        failed.append(f'{name}: {e.__class__.__name__}: {e}')\n"
        "print('\\n'.join(failed))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "", "modules that fail to import first:\n" + proc.stdout
