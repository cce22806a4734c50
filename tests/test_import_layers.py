"""Imports run one way between the apps, and the services of one app never import each other in a circle.

The layers, lowest first (docs/architecture.md has the picture): core <- programs <- submissions <-
{studio, calls, transparency, accounts} <- portal, and demo above them all. A module may import from its own
app and from the apps below it. Every import counts, also one inside a function: a lazy import hides a cycle
from Python, not from a reader.
"""

import ast
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": 0,
    "programs": 1,
    "submissions": 2,
    "studio": 3,
    "calls": 3,
    "transparency": 3,
    "accounts": 3,
    "portal": 4,
    "demo": 5,
}

# The user model (AUTH_USER_MODEL) lives in portal.models, the one module every app may import (docs/architecture.md
# says why it does not move); portal.models holds nothing else of its own.
USER_MODEL_MODULE = "portal.models"


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imported_names(tree: ast.AST, package: str) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (the longest project module each import names)."""
    modules = project_modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = collections.defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for imported in _imported_names(ast.parse(path.read_text()), package):
            target = resolve(imported)
            if target and target != name:
                graph[name].add(target)
    return graph


def app_of(module: str) -> str:
    return module.split(".")[0]


def test_the_graph_sees_the_apps_and_their_imports():
    assert {"core", "programs", "submissions", "portal"} <= {app_of(module) for module in project_modules()}
    assert "core.errors" in import_graph()["programs.errors"]


def test_every_import_between_apps_points_down_the_layers():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if LAYERS[app_of(target)] > LAYERS[app_of(module)] and target != USER_MODEL_MODULE
    )
    assert upward == [], "An app imports from an app above it:\n" + "\n".join(upward)


def test_apps_of_one_layer_do_not_import_each_other():
    across = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if app_of(target) != app_of(module) and LAYERS[app_of(target)] == LAYERS[app_of(module)]
    )
    assert across == [], "Apps side by side import each other:\n" + "\n".join(across)


def _cycle(graph: dict[str, set[str]], nodes: set[str]) -> list[str] | None:
    """One import cycle among `nodes`, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in nodes:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(nodes):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_services_of_one_app_import_each_other_one_way():
    graph = import_graph()
    for app in LAYERS:
        services = {
            module for module in graph.keys() | set().union(*graph.values()) if module.startswith(f"{app}.services")
        }
        cycle = _cycle(graph, services)
        assert cycle is None, "Services import each other in a circle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle_it_is_shown():
    graph = {"a.services.x": {"a.services.y"}, "a.services.y": {"a.services.z"}, "a.services.z": {"a.services.x"}}
    assert _cycle(graph, set(graph)) == ["a.services.x", "a.services.y", "a.services.z", "a.services.x"]
    assert _cycle({"a.services.x": {"a.services.y"}}, {"a.services.x", "a.services.y"}) is None


def _is_read_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 1 and parts[1] in {"access", "selectors"}


def test_reads_do_not_depend_on_writes():
    """Access rules and selectors only read: none of them imports a service (services may import them)."""
    writes = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if _is_read_module(module)
        for target in targets
        if target.split(".")[1:2] == ["services"]
    )
    assert writes == [], "A read module imports a service:\n" + "\n".join(writes)


def test_the_user_model_module_holds_only_the_user():
    """The exception above covers the user model only: the rest of what an account owns lives in accounts."""
    from django.apps import apps

    assert [model.__name__ for model in apps.get_app_config("portal").get_models()] == ["User"]
