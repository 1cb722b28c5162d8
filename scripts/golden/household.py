"""Golden fixtures for the household protocol: the original `ALFWorld.alfworld_run` and `process_action` /
`process_ob` / `bleu_score` (AgentBench.old src/tasks/alfworld/task.py and utils.py, verbatim; NLTK 3.8 and numpy
from Debian) drive the replies of tests/fixtures/golden/household/input.json. The environment is a stub that replays
our simulator's feedback from that file and refuses any command the original would not have sent it. Also writes
NLTK's BLEU for command pairs (bleu.json)."""
import json
import os
import sys
import tempfile

from common import GOLDEN, SOURCES, Session, episode_record, load, register_agentbench_stubs, stub, write_golden

register_agentbench_stubs()
spec = json.loads((GOLDEN / "household/input.json").read_text(encoding="utf-8"))
stub("tqdm", tqdm=lambda *a, **k: None)
stub("jsonlines")
stub("requests")
stub("src.tasks.alfworld.environment", SingleAlfredTWEnv=object, get_all_game_files=None)
ALFWORLD = SOURCES / "AgentBench.old/src/tasks/alfworld"
utils = load("src.tasks.alfworld.utils", ALFWORLD / "utils.py")
task = load("src.tasks.alfworld.task", ALFWORLD / "task.py")


class ReplayEnv:
    """TextWorld's batch interface (lists of one), answering from input.json."""

    def __init__(self):
        self.i = 0

    def reset(self):
        return [spec["initial"]], {"extra.gamefile": [spec["gamefile"]], "admissible_commands": [spec["initialAdmissible"]]}

    def step(self, actions):
        step = spec["steps"][self.i]
        if actions != [step["action"]]:
            raise AssertionError(f"step {self.i + 1}: the original sends {actions[0]!r}, our environment ran {step['action']!r}")
        self.i += 1
        nxt = spec["steps"][self.i]["admissible"] if self.i < len(spec["steps"]) else []
        return [step["raw"]], [1 if step["won"] else 0], [step["won"]], {"won": [step["won"]], "admissible_commands": [nxt]}


work = tempfile.mkdtemp()
os.makedirs(os.path.join(work, "data/alfworld"))
with open(os.path.join(work, "data/alfworld/dev.json"), "w") as f:
    json.dump({}, f)
with open(os.path.join(work, "config.yaml"), "w") as f:
    f.write("{}\n")
os.chdir(work)
harness = task.ALFWorld(
    data_path=work, config_path="config.yaml", prompts_path=str(ALFWORLD / "prompts/alfworld_multiturn_react.json"), max_step=35
)
session = Session(spec["replies"])
result, log = harness.alfworld_run(session, ReplayEnv())
write_golden(
    "household",
    "episode.json",
    episode_record(session, replies=spec["replies"], result=result, actions=[entry["action"] for entry in log["log"]]),
)

# NLTK's scores for the pairs the snapping compares, and a few more shapes (short, long, repeated words, no match).
candidates = sorted({r.strip().lower().split("\n")[0] for r in spec["replies"]} | {
    "goto sinkbasin 1", "go to", "take handtowel 1", "put handtowel 1 on toilet", "go go go to to toilet 1 1",
    "open the cabinet 2 please", "examine", "inventory", "x", "",
})
choices = spec["initialAdmissible"] + spec["steps"][2]["admissible"]
pairs = [(c, a) for a in candidates for c in sorted(set(choices))]
write_golden("household", "bleu.json", [{"reference": c, "candidate": a, "bleu": utils.bleu_score(c, a)} for c, a in pairs])
