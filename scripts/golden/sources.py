"""Loads the verbatim original sources (tests/fixtures/agentbench/sources) as Python modules, with small stubs for
the packages that are not installable here. Shared by the golden scripts of the shop, wiki, react and toolbench envs."""
import importlib.util
import json
import pathlib
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = ROOT / 'tests/fixtures/agentbench/sources'
GOLDEN = ROOT / 'tests/fixtures/golden'


def stub(name, **attrs):
    """A module `name` (and its parent packages) holding `attrs`."""
    parts = name.split('.')
    for i in range(1, len(parts) + 1):
        sub = '.'.join(parts[:i])
        if sub not in sys.modules:
            module = types.ModuleType(sub)
            module.__path__ = []
            sys.modules[sub] = module
            if i > 1:
                setattr(sys.modules['.'.join(parts[:i - 1])], parts[i - 1], module)
    for k, v in attrs.items():
        setattr(sys.modules[name], k, v)
    return sys.modules[name]


def load(name, path):
    """Executes the source file at `path` (relative to SOURCES) as module `name`."""
    spec = importlib.util.spec_from_file_location(name, SOURCES / path)
    module = importlib.util.module_from_spec(spec)
    parent, _, leaf = name.rpartition('.')
    if parent:
        stub(parent)
        module.__package__ = parent
        setattr(sys.modules[parent], leaf, module)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def read_input(env):
    return json.loads((GOLDEN / env / 'input.json').read_text())


def write_expected(env, data):
    out = GOLDEN / env / 'expected.json'
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + '\n')
    print(f'wrote {out.relative_to(ROOT)}')
