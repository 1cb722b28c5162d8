"""Golden texts for HotpotQA: runs AgentTuning's held-out ReactAgent (eval_heldout/hotpotQA/src/agent_arch.py, with
its pre_prompt.py and fewshots.py, verbatim) over langchain's Wikipedia docstore and DocstoreExplorer (verbatim
copies in tests/fixtures/agentbench/sources/langchain/) on the two scripted episodes of
tests/fixtures/golden/wiki/input.json, and records every prompt it builds. Stubbed: the `wikipedia` package (answers
from the pages and similar titles in input.json, i.e. our offline wiki), langchain's PromptTemplate (str.format, as
its f-string templates are), the LLM (the scripted replies, cut at their first newline as llms.py's TGI backend,
stop_sequences=["\n"], has langchain cut them), and tiktoken (cl100k_base counted by openai/tiktoken's Rust core as
WebAssembly, the npm `tiktoken` package, through cl100k-count.mjs: run `npm ci` first)."""
import ast
import subprocess
from pathlib import Path
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
    """tiktoken's Encoding.encode, as far as the harness uses it (the length); records each count."""
    counts = []

    @classmethod
    def encode(cls, text):
        out = subprocess.run(['node', str(Path(__file__).parent / 'cl100k-count.mjs')], input=text, text=True,
                             capture_output=True, check=True)
        cls.counts.append(int(out.stdout))
        return range(cls.counts[-1])


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
    """Answers the thought call, then the action call, of each step with what the model wrote from there on, cut as
    langchain's HuggingFaceTextGenInference cuts a generation at its stop sequence (text[:text.index("\\n")])."""

    def __init__(self, steps):
        self.replies = []
        for n, s in enumerate(steps, 1):
            after = s.get('after', '')
            self.replies += [f" {s['thought']}\nAction {n}: {s['action']}{after}", f" {s['action']}{after}"]
        self.prompts = []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        text = self.replies.pop(0)
        return text[:text.index('\n')] if '\n' in text else text


def run(episode):
    llm = ScriptedLLM(episode['steps'])
    _Enc.counts = []
    agent = agent_arch.ReactAgent(episode['question'], episode['answer'], llm)
    agent.run()
    f1, _, _ = agent.reward()
    return {'prompts': llm.prompts, 'final_prompt': agent._build_agent_prompt(), 'f1': f1, 'em': agent.is_correct(),
            'answer': agent.answer, 'halted': agent.is_halted(), 'steps': agent.step_n - 1, 'counts': _Enc.counts}


halt = run(data['halt'])
del halt['prompts']  # final_prompt holds them all
write_expected('wiki', {**run(data), 'halt': halt})
