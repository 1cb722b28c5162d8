"""Golden fixture for the KG protocol: the original `KnowledgeGraph.predict_single` and its API functions
(AgentBench.old src/tasks/knowledgegraph/task.py and api.py, verbatim, copied into a temporary package) drive the
replies of tests/fixtures/golden/kg/input.json. Freebase is replaced by a stub over the small graph in that file (entity ids "m.<name>"):
`get_out_relations`, and `execute_query` for the programs api.py builds (JOIN, AND). One stub reaches into api.py: its
relation lists come from a Python set, whose order is arbitrary; `set` in api.py is made to iterate sorted, as our
environment prints them."""
import json
import shutil
import sys
import tempfile
from pathlib import Path

from common import GOLDEN, SOURCES, Session, episode_record, register_agentbench_stubs, write_golden

register_agentbench_stubs()
spec = json.loads((GOLDEN / "kg/input.json").read_text(encoding="utf-8"))
# Freebase ids for the entities (api.py:52 accepts an entity only as one); they never appear in an observation.
mid = {name: "m." + name.lower() for name in spec["types"]}
edges = {}
for s, rel, o in ([mid[s], rel, mid[o]] for s, rel, o in spec["triples"]):
    inverse = next(r["inverse"] for r in spec["relations"] if r["name"] == rel)
    edges.setdefault(s, {}).setdefault(rel, set()).add(o)
    edges.setdefault(o, {}).setdefault(inverse, set()).add(s)
range_info = {}
for r in spec["relations"]:
    range_info[r["name"]], range_info[r["inverse"]] = r["range"], r["domain"]

package = Path(tempfile.mkdtemp()) / "knowledgegraph"
(package / "utils").mkdir(parents=True)
(package / "ontology").mkdir()
for name in ("task.py", "api.py"):
    shutil.copy(SOURCES / "AgentBench.old/src/tasks/knowledgegraph" / name, package / name)
(package / "__init__.py").write_text("")
(package / "utils/__init__.py").write_text("")
(package / "ontology/vocab.json").write_text(json.dumps({"relations": sorted(range_info), "attributes": []}))
(package / "utils/logic_form_util.py").write_text(
    "import json\n"
    "postprocess_raw_code = lambda program: program\n"
    "lisp_to_sparql = lambda program: program\n"
    f"range_info = json.loads({json.dumps(json.dumps(range_info))})\n"
)
(package / "utils/sparql_executer.py").write_text(
    "import json\n"
    f"EDGES = json.loads({json.dumps(json.dumps({e: {r: sorted(v) for r, v in rs.items()} for e, rs in edges.items()}))})\n"
    "def run(program):\n"
    "    tokens = program.replace('(', ' ( ').replace(')', ' ) ').split()\n"
    "    def parse(i):\n"
    "        if tokens[i] != '(':\n"
    "            return {tokens[i]}, i + 1\n"
    "        op = tokens[i + 1]\n"
    "        if op == 'JOIN':\n"
    "            rel = tokens[i + 2][: -len('_inv')]\n"
    "            inner, j = parse(i + 3)\n"
    "            return {n for e in inner for n in EDGES.get(e, {}).get(rel, [])}, j + 1\n"
    "        a, j = parse(i + 2)\n"
    "        b, k = parse(j)\n"
    "        return a & b, k + 1\n"
    "    return parse(0)[0]\n"
    "class SparqlExecuter:\n"
    "    def __init__(self, url):\n"
    "        pass\n"
    "    def get_out_relations(self, entity):\n"
    "        return list(EDGES.get(entity, {}))\n"
    "    def execute_query(self, query):\n"
    "        return sorted(run(query))\n"
)
sys.path.insert(0, str(package.parent))
import knowledgegraph.api as api  # noqa: E402
import knowledgegraph.task as task  # noqa: E402


class SortedSet(set):
    def __iter__(self):
        return iter(sorted(set.__iter__(self)))

    def intersection(self, *others):
        return SortedSet(set.intersection(self, *others))


api.set = SortedSet
harness = object.__new__(task.KnowledgeGraph)
harness.round = 15
harness.sparql_executor = task.SparqlExecuter(None)
session = Session(spec["replies"])
item = {"question": spec["question"], "entities": {name: mid[name] for name in spec["entities"]}}
output = harness.predict_single(session, item)
scores = harness.metrics["F1"]([output], [{mid[a] for a in spec["answer"]}])
write_golden("kg", "episode.json", episode_record(session, replies=spec["replies"], predict=output["predict"], f1=scores))
