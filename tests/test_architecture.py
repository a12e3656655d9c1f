"""Habits the code keeps, checked by reading the source (docs/architecture.md).

These tests parse apps/ with `ast`; nothing is imported, so they need no database.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
DOMAIN_APPS = (
    "accounts",
    "subdistricts",
    "evidence",
    "notifications",
    "plans",
    "supervision",
    "importer",
    "dashboard",
    "demo",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(folder: Path) -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(folder.rglob("*.py"))}


MODULES = _sources(APPS)
PROJECT_MODULES = MODULES | _sources(ROOT / "tests")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (a project module)
    names: tuple[str, ...]  # the names taken from it (from-imports)
    in_function: bool
    line: int


def _resolve(module: str, package: str, level: int) -> str:
    if level == 0:
        return module
    base = package.split(".")[: len(package.split(".")) - level + 1]
    return ".".join([*base, module] if module else base)


def _project_target(name: str) -> str | None:
    """The project module an import names: itself, or its closest enclosing package."""
    while name:
        if name in PROJECT_MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _project_target(alias.name)
                    if target:
                        found.append(Import(module, target, (), inside, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(child.module or "", package, child.level)
                for alias in child.names:
                    # `from apps.plans import services` imports the module apps.plans.services.
                    target = _project_target(f"{base}.{alias.name}")
                    if target == f"{base}.{alias.name}":
                        found.append(Import(module, target, (), inside, child.lineno))
                    elif target := _project_target(base):
                        found.append(Import(module, target, (alias.name,), inside, child.lineno))
            visit(child, inside)

    visit(tree, False)
    return found


def _all_imports(modules: dict[str, Path]) -> list[Import]:
    return [imp for module, path in modules.items() for imp in _imports(module, path)]


def _is_service_queueing_its_job(imp: Import) -> bool:
    """The one accepted pair: inside one app, a service queues (at call time) the job
    that calls it back."""
    parts = imp.source.split(".")
    if len(parts) < 3 or parts[2] != "services":
        return False
    return imp.in_function and imp.target == ".".join([*parts[:2], "jobs"])


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def _graph(imports: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports:
        if imp.target != imp.source and not _is_service_queueing_its_job(imp):
            edges.setdefault(imp.source, set()).add(imp.target)
    return edges


# --- The checks --------------------------------------------------------------------------


def test_the_project_modules_import_one_another_without_a_circle():
    """Function-level and type-checking imports count: a circle hidden in a function
    still ties two modules together. The service that queues its job and the job that
    calls the service back (inside one app) is the one accepted pair."""
    assert _cycles(_graph(_all_imports(MODULES))) == []


def test_the_circle_check_finds_a_circle_through_a_function_level_import():
    imports = [
        Import("apps.a.models", "apps.b.models", (), False, 1),
        Import("apps.b.models", "apps.c.selectors", (), False, 1),
        Import("apps.c.selectors", "apps.a.models", (), True, 9),
    ]
    assert _cycles(_graph(imports)) == [["apps.a.models", "apps.b.models", "apps.c.selectors"]]


def test_the_circle_check_accepts_only_a_service_that_queues_its_own_apps_job():
    accepted = [
        Import("apps.plans.services.rollups", "apps.plans.jobs", (), True, 5),
        Import("apps.plans.jobs", "apps.plans.services", (), False, 1),
        Import("apps.plans.services", "apps.plans.services.rollups", (), False, 1),
    ]
    assert _cycles(_graph(accepted)) == []
    at_import_time = [Import("apps.plans.services.rollups", "apps.plans.jobs", (), False, 5)]
    assert _cycles(_graph(at_import_time + accepted[1:])) != []


def test_core_imports_no_domain_app():
    """apps/core is the ground floor every app may stand on; it stands on none of them."""
    offenders = [
        f"{imp.source}:{imp.line} -> {imp.target}"
        for imp in _all_imports({m: p for m, p in MODULES.items() if m.startswith("apps.core")})
        if imp.target.split(".")[:2] in [["apps", app] for app in DOMAIN_APPS]
    ]
    assert offenders == []


# The layers of docs/architecture.md, bottom first: an app imports only from its own app
# and from lower layers (the project modules, apps/settings.py, urls.py…, sit on top).
LAYERS = {
    "core": 0,
    "subdistricts": 1,
    "accounts": 2,
    # Below plans, which attaches files on its task page; it names plans' models in its
    # relations and imports nothing of plans.
    "evidence": 2,
    "notifications": 3,
    "plans": 4,
    "importer": 5,
    "supervision": 5,
    "dashboard": 6,
    "demo": 6,
    "imports": 6,
}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def test_every_app_imports_only_from_lower_layers():
    offenders = []
    for imp in _all_imports(MODULES):
        source, target = _app(imp.source), _app(imp.target)
        if source not in LAYERS or target not in LAYERS or source == target:
            continue
        if LAYERS[target] >= LAYERS[source]:
            offenders.append(f"{imp.source}:{imp.line} -> {imp.target}")
    assert offenders == []


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_module_imports_another_modules_private_name():
    offenders = [
        f"{imp.source}:{imp.line} imports {name} from {imp.target}"
        for imp in _all_imports(PROJECT_MODULES)
        for name in imp.names
        if _is_private(name) and imp.target != imp.source
    ]
    assert offenders == []


def test_no_app_module_reaches_into_another_modules_private_names():
    """`rollups._helper(...)` is the same reach as importing it."""
    offenders = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _project_target(alias.name):
                        aliases[alias.asname or alias.name.split(".")[0]] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in PROJECT_MODULES:
                        aliases[alias.asname or alias.name] = full
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _is_private(node.attr)
            ):
                offenders.append(f"{module}:{node.lineno} {node.value.id}.{node.attr}")
    assert offenders == []


def test_views_never_import_views():
    """A helper two pages share belongs in apps/core (or a selector), not in a view module
    the other page then depends on."""
    offenders = [
        f"{imp.source} -> {imp.target}"
        for imp in _all_imports(MODULES)
        if imp.source.endswith(".views")
        and imp.target.endswith(".views")
        and imp.target != "apps.core.views"
    ]
    assert offenders == []


def test_the_rules_package_imports_no_django():
    """The rules are plain Python, testable and usable anywhere (charts, parser, jobs)."""
    rules = {m: p for m, p in MODULES.items() if m.startswith("apps.plans.rules")}
    offenders = []
    for module, path in rules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{module}: {n}" for n in names if n.split(".")[0] == "django"]
        offenders += [
            f"{module} -> {imp.target}"
            for imp in _imports(module, path)
            if not imp.target.startswith(("apps.plans.rules", "apps.core.formatting"))
        ]
    assert offenders == []


def test_no_migration_imports_live_project_code():
    """A migration runs on databases for years; if it imported a live module, a change to
    that module would change what the old migration does (or break it). It freezes what it
    needs instead."""
    offenders = [
        f"{imp.source} -> {imp.target}"
        for imp in _all_imports({m: p for m, p in MODULES.items() if ".migrations." in m})
    ]
    assert offenders == []


# --- One rule, one home: labels and thresholds live in apps/plans/rules ------------------

RULES_HOME = "apps.plans.rules"


def _vocabulary_labels() -> set[str]:
    """The Chinese labels of statuses, traffic lights and comparators, read from the
    vocabulary module's source (this test imports nothing from the project)."""
    tree = ast.parse((APPS / "plans" / "rules" / "vocabulary.py").read_text(encoding="utf-8"))
    labels = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            labels |= {
                v.value
                for v in node.value.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            }
    return labels


LABELS = _vocabulary_labels()


def _is_label(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in LABELS


def _label_tables(tree: ast.AST) -> list[int]:
    """Lines of literals that map codes to vocabulary labels or list several labels: a
    dict with two label values, a list of (code, label) pairs, three labels in a row, or a
    choices class (`DONE = "done", "已完成"`)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            members = sum(
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Tuple)
                and len(stmt.value.elts) == 2
                and _is_label(stmt.value.elts[1])
                for stmt in node.body
            )
            if members >= 2:
                lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            if sum(_is_label(v) for v in node.values) >= 2:
                lines.append(node.lineno)
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            pairs = sum(
                isinstance(e, ast.Tuple) and len(e.elts) == 2 and _is_label(e.elts[1])
                for e in node.elts
            )
            if pairs >= 2 or sum(_is_label(e) for e in node.elts) >= 3:
                lines.append(node.lineno)
    return sorted(lines)


def _code_modules() -> dict[str, Path]:
    return {
        m: p for m, p in MODULES.items() if not m.startswith(RULES_HOME) and ".migrations." not in m
    }


def test_no_label_table_lives_outside_the_vocabulary():
    assert len(LABELS) >= 10, "the vocabulary's tables were not found"
    offenders = [
        f"{module}:{line}"
        for module, path in _code_modules().items()
        for line in _label_tables(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


THRESHOLDS = {10, 25}
THRESHOLD_WORDS = ("percent", "expected", "gap", "share", "health", "achieved")


def _threshold_uses(tree: ast.AST) -> list[int]:
    """Lines comparing or offsetting a progress number by 10 or 25 points."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare | ast.BinOp):
            continue
        numbers = {
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and type(n.value) in (int, float)
        }
        text = ast.unparse(node).lower()
        if numbers & THRESHOLDS and any(word in text for word in THRESHOLD_WORDS):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_gap_thresholds_appear_only_in_the_rules():
    offenders = [
        f"{module}:{line}"
        for module, path in _code_modules().items()
        for line in _threshold_uses(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_label_and_threshold_checks_catch_a_copy():
    copy = ast.parse(
        'HEALTH = {"on_track": "正常", "off_track": "滞后"}\n'
        'CHOICES = [("gte", "不少于"), ("lt", "低于")]\n'
        "def light(percent, expected):\n"
        '    return "on_track" if percent >= expected - 10 else "off_track"\n'
        "class Status(models.TextChoices):\n"
        '    DONE = "done", "已完成"\n'
        '    DELAYED = "delayed", "滞后"\n'
    )
    assert _label_tables(copy) == [1, 2, 5]
    assert _threshold_uses(copy) == [4]
