"""Shared pieces of the AgentBench.old golden scripts (os, db, kg, household): the harness base classes, a Session
that replays scripted replies, the Agent-FLAN template. Module loading and stubs are sources.py's. See README.md."""
import json

from sources import GOLDEN, ROOT, SOURCES, load, stub  # noqa: F401 (re-exported for the AgentBench scripts)


class Task:
    """Stand-in for AgentBench.old's src.task.Task base class: the harnesses only pass their kwargs to it."""

    def __init__(self, **kwargs):
        self.workers = kwargs.get("workers", 1)
        self.worker_limit = kwargs.get("worker_limit")

    def __class_getitem__(cls, params):  # Task[Dict, ...] in dbbench
        return cls


class DataPiece:
    def __init__(self, input, target):
        self.input = input
        self.target = target


class Dataset(list):
    pass


class Session:
    """AgentBench.old's src.agent.Session as the harnesses use it: `inject` appends a message to `history`,
    `action` asks the agent for a reply to the whole history and appends it as role "agent". Here the agent is a list
    of scripted replies; every history it is asked to answer is kept in `prompts`."""

    def __init__(self, replies):
        self.history = []
        self.replies = list(replies)
        self.prompts = []

    def inject(self, message):
        if isinstance(message, str):
            message = {"role": "user", "content": message}
        self.history.append(dict(message))

    def action(self, extend_messages=None):
        self.prompts.append([dict(m) for m in self.history])
        if not self.replies:
            raise RuntimeError("the scripted agent has no reply left")
        reply = self.replies.pop(0)
        self.history.append({"role": "agent", "content": reply})
        return reply


def register_agentbench_stubs():
    stub("src.task", Task=Task, DataPiece=DataPiece, Dataset=Dataset, Session=Session)
    stub("src.agent", Agent=object, Session=Session)


def render_prompt(messages):
    """The Agent-FLAN template (InternLM/Agent-FLAN README): user turns as <|Human|>U+0D46 ... "\\n ", agent turns as
    <|Assistant|>U+0D46 ... U+0D3F "\\n ", then the assistant opening for the turn to generate; no BOS."""
    out = ""
    for m in messages:
        if m["role"] == "agent":
            out += "<|Assistant|>\u0d46" + m["content"] + "\u0d3f\n "
        else:
            out += "<|Human|>\u0d46" + m["content"] + "\n "
    return out + "<|Assistant|>\u0d46"


def as_chat(messages):
    return [{"role": "assistant" if m["role"] == "agent" else "user", "content": m["content"]} for m in messages]


def write_golden(env, name, data):
    path = GOLDEN / env / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def episode_record(session, **extra):
    return {
        **extra,
        "firstPrompt": render_prompt(session.prompts[0]),
        "prompts": [render_prompt(p) for p in session.prompts],
        "history": as_chat(session.history),
    }
