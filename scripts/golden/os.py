"""Golden fixture for the OS protocol: the original `OSInteraction._judge` (AgentBench.old
src/tasks/os_interaction/task.py, verbatim) drives a scripted agent against a stub container whose outputs are given
below, and the prompts it builds are written to tests/fixtures/golden/os/episode.json."""
from common import SOURCES, Session, episode_record, load, register_agentbench_stubs, stub, write_golden

register_agentbench_stubs()
stub("docker", from_env=None)
stub("docker.models.containers", Container=object)
stub("requests")
task = load("os_task", SOURCES / "AgentBench.old/src/tasks/os_interaction/task.py")

DESCRIPTION = "How many lines does /etc/hosts have?"
# The shell's output for each command (what our environment contract returns for them).
OUTPUTS = {
    "cat /etc/hostz": "cat: /etc/hostz: No such file or directory\n",
    "seq 1 400": "".join(f"{i}\n" for i in range(1, 401)),
}
REPLIES = [
    "Think: I should look at the file.\n\nAct: bash\n\n```bash\ncat /etc/hostz\n```",
    "Think: That was a typo; let me print many lines to see the cut.\n\nAct: bash\n\n```bash\nseq 1 400\n```",
    "I think the answer is 7.",
]


class Output:
    def __init__(self, text):
        self.output = text.encode("utf-8")
        self.exit_code = 0


class StubContainer:
    def __init__(self):
        self.commands = []

    def execute(self, command):
        self.commands.append(command)
        return Output(OUTPUTS[command])

    def execute_independent(self, script, *params):
        raise AssertionError("no init or check script in this episode")


config = task.JudgeConfig()
config.description = DESCRIPTION
config.match = {"answer": "7", "strip": True}
harness = object.__new__(task.OSInteraction)
harness.round_limit = 8
session = Session(REPLIES)
container = StubContainer()
result = harness._judge(session, config, container)
write_golden(
    "os",
    "episode.json",
    episode_record(session, task=DESCRIPTION, outputs=OUTPUTS, replies=REPLIES, commands=container.commands, result=bool(result)),
)
