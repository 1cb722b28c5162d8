"""Golden texts for the lagent ReAct protocol: runs lagent v0.2.2's own ReAct agent (agents/react.py, with its
ActionExecutor, parsers and builtin actions, verbatim in tests/fixtures/agentbench/sources/lagent-v0.2.2) on the
scripted replies of tests/fixtures/golden/react/input.json and records every prompt it sends to the model.
Stubbed: the two registry/docstring packages lagent imports (class_registry, griffe) and the LLM base classes."""
import enum
from sources import load, read_input, stub, write_expected


class _Section:
    def __init__(self, kind, value):
        self.kind, self.value = kind, value


class DocstringSectionKind(enum.Enum):
    text = 'text'
    parameters = 'parameters'
    returns = 'returns'


class Docstring:
    def __init__(self, text, **_):
        self.text = text

    def parse(self, *_, **__):
        return [_Section(DocstringSectionKind.text, self.text)]


stub('class_registry', ClassRegistry=lambda *a, **k: None, AutoRegister=lambda registry, meta=type: meta)
stub('griffe', Docstring=Docstring)
stub('griffe.enumerations', DocstringSectionKind=DocstringSectionKind)
stub('lagent.llms.base_llm', BaseModel=object)
stub('lagent.llms.base_api', BaseAPIModel=object)
load('lagent.schema', 'lagent-v0.2.2/lagent/schema.py')
load('lagent.actions.parser', 'lagent-v0.2.2/lagent/actions/parser.py')
base_action = load('lagent.actions.base_action', 'lagent-v0.2.2/lagent/actions/base_action.py')
load('lagent.actions.builtin_actions', 'lagent-v0.2.2/lagent/actions/builtin_actions.py')
executor = load('lagent.actions.action_executor', 'lagent-v0.2.2/lagent/actions/action_executor.py')
stub('lagent.actions', ActionExecutor=executor.ActionExecutor)
load('lagent.agents.base_agent', 'lagent-v0.2.2/lagent/agents/base_agent.py')
react = load('lagent.agents.react', 'lagent-v0.2.2/lagent/agents/react.py')

data = read_input('react')
results = list(data['tool_results'])


class ScriptedTool(base_action.BaseAction):
    """A tool whose description is the task's ToolSpec and whose result is the next scripted one."""

    def run(self, **kwargs):
        return results.pop(0)


class ScriptedLLM:
    def __init__(self, replies):
        self.replies, self.prompts = list(replies), []

    def chat(self, prompt, **_):
        self.prompts.append([dict(m) for m in prompt])
        return self.replies.pop(0)


tools = [ScriptedTool(description=dict(t)) for t in data['tools']]
llm = ScriptedLLM(data['replies'])
agent = react.ReAct(llm=llm, action_executor=executor.ActionExecutor(tools))
ret = agent.chat(data['request'])
write_expected('react', {'prompts': llm.prompts, 'response': ret.response})
