"""Golden texts for HotpotQA: runs AgentTuning's held-out ReactAgent (eval_heldout/hotpotQA/src/agent_arch.py, with
its pre_prompt.py and fewshots.py, verbatim) over langchain's Wikipedia docstore and DocstoreExplorer (verbatim
copies in tests/fixtures/agentbench/sources/langchain/) on the scripted steps of tests/fixtures/golden/wiki/input.json,
and records every prompt it builds. Stubbed: the `wikipedia` package (answers from the pages and similar titles in
input.json, i.e. our offline wiki), langchain's PromptTemplate (str.format, as its f-string templates are), the LLM
(the scripted thoughts and actions, one per call), and tiktoken (a character count: the 2000-token halt is not
exercised here)."""
import ast
from typing import List, Optional
from sources import SOURCES, load, read_input, stub, write_expected

data = read_input('wiki')


class PageError(Exception):
    pass


class DisambiguationError(Exception):
    pass


class _Page:
    def __init__(self, title):
        self.content, self.url = data['pages'][title], f'wiki/{title}'


def page(title):
    if title not in data['pages']:
        raise PageError(title)
    return _Page(title)


stub('wikipedia', page=page, search=lambda q: data['similar'][q], PageError=PageError, DisambiguationError=DisambiguationError)


class Document:
    def __init__(self, page_content, metadata=None):
        self.page_content, self.metadata = page_content, metadata or {}


class Docstore:
    pass


class PromptTemplate:
    def __init__(self, input_variables, template):
        self.template = template

    def format(self, **kwargs):
        return self.template.format(**kwargs)


class _Enc:
    @staticmethod
    def encode(text):
        return range(len(text) // 4)


stub('tiktoken', get_encoding=lambda name: _Enc())
stub('langchain.docstore.base', Docstore=Docstore)
stub('langchain.docstore.document', Document=Document)
stub('langchain.prompts', PromptTemplate=PromptTemplate)
stub('langchain.llms.base', BaseLLM=object)
wikipedia_docstore = load('langchain.docstore.wikipedia', 'langchain/docstore/wikipedia.py')

# DocstoreExplorer alone from langchain's agents/react/base.py (the rest of that file needs langchain_core).
base_py = (SOURCES / 'langchain/agents/react/base.py').read_text()
cls = next(n for n in ast.parse(base_py).body if isinstance(n, ast.ClassDef) and n.name == 'DocstoreExplorer')
namespace = {'deprecated': lambda *a, **k: (lambda c: c), 'Optional': Optional, 'List': List,
             'Document': Document, 'Docstore': Docstore}
exec(compile(ast.Module(body=[cls], type_ignores=[]), 'base.py', 'exec'), namespace)

stub('langchain', OpenAI=object, Wikipedia=wikipedia_docstore.Wikipedia)
stub('langchain.agents.react.base', DocstoreExplorer=namespace['DocstoreExplorer'])
stub('src.llms', token_enc=_Enc())
load('src.fewshots', 'eval_heldout/hotpotQA/src/fewshots.py')
load('src.pre_prompt', 'eval_heldout/hotpotQA/src/pre_prompt.py')
agent_arch = load('src.agent_arch', 'eval_heldout/hotpotQA/src/agent_arch.py')


class ScriptedLLM:
    """Answers the thought call, then the action call, of each step."""

    def __init__(self, steps):
        self.replies = [text for s in steps for text in (' ' + s['thought'], ' ' + s['action'])]
        self.prompts = []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        return self.replies.pop(0)


llm = ScriptedLLM(data['steps'])
agent = agent_arch.ReactAgent(data['question'], data['answer'], llm)
agent.run()
f1, _, _ = agent.reward()
write_expected('wiki', {'prompts': llm.prompts, 'final_prompt': agent._build_agent_prompt(),
                        'f1': f1, 'em': agent.is_correct(), 'answer': agent.answer})
