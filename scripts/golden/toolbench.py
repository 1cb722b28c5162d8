"""Golden texts for ToolBench: builds ToolBench's rapidapi_wrapper (toolbench/inference/Downstream_tasks/rapidapi.py,
verbatim) for the tools of tests/fixtures/golden/toolbench/input.json, each one RapidAPI tool with one API, and
records its task description, its functions, the system prompt as ReAct_prompts.py and utils.process_system_message
make it, and the observation `step` returns for each scripted call. Stubbed: the tool server (requests.post answers
{"error": "", "response": <our tool's scripted result>}), the tool JSON files (fetch_api_json returns the api list),
time.sleep, and the imports rapidapi.py needs only for other paths (models, retriever, torch)."""
import types
from sources import load, read_input, stub, write_expected

data = read_input('toolbench')
results = list(data['tool_results'])


class _Response:
    status_code = 200

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


stub('requests', post=lambda url, json, headers, timeout: _Response({'error': '', 'response': results.pop(0)}))
stub('tqdm', tqdm=lambda x, **k: x)
stub('termcolor', colored=lambda text, color=None: text)
stub('torch.nn', Module=object)
stub('transformers.models.llama.modeling_llama')
for module, name in [('chatgpt_function_model', 'ChatGPTFunction'), ('davinci_model', 'Davinci'),
                     ('tool_llama_lora_model', 'ToolLLaMALoRA'), ('tool_llama_model', 'ToolLLaMA'), ('retriever', 'ToolRetriever')]:
    stub(f'toolbench.inference.LLM.{module}', **{name: object})
stub('toolbench.inference.Algorithms.single_chain', single_chain=object)
stub('toolbench.inference.Algorithms.DFS', DFS_tree_search=object)
stub('toolbench.inference.server', get_rapidapi_response=None)
stub('toolbench.inference.Downstream_tasks.base_env', base_env=object)
utils = load('toolbench.utils', 'ToolBench/toolbench/utils.py')
prompts = load('toolbench.inference.Prompts.ReAct_prompts', 'ToolBench/toolbench/inference/Prompts/ReAct_prompts.py')
rapidapi = load('toolbench.inference.Downstream_tasks.rapidapi', 'ToolBench/toolbench/inference/Downstream_tasks/rapidapi.py')
rapidapi.time.sleep = lambda s: None

# A ToolSpec as one RapidAPI tool (category "Ours") with one API of the same name; no parameter has a default.
api_list = [{
    'category_name': 'Ours', 'api_name': t['name'], 'api_description': t['description'], 'tool_name': t['name'],
    'required_parameters': [dict(p, default='') for p in t['parameters'] if p['name'] in t['required']],
    'optional_parameters': [dict(p, default='') for p in t['parameters'] if p['name'] not in t['required']],
} for t in data['tools']]
rapidapi.rapidapi_wrapper.fetch_api_json = lambda self, query_json: {'api_list': api_list}
args = types.SimpleNamespace(tool_root_dir='', toolbench_key='', rapidapi_key='', use_rapidapi_key=False,
                             api_customization=False, max_observation_length=1024, observ_compress_method='truncate')
tool_descriptions = [[utils.standardize(t['name']), t['description']] for t in data['tools']]
env = rapidapi.rapidapi_wrapper({'query': data['query']}, tool_descriptions, None, args)

system = prompts.FORMAT_INSTRUCTIONS_SYSTEM_FUNCTION.replace('{task_description}', env.task_description)
system = utils.process_system_message(system, env.functions)
user = prompts.FORMAT_INSTRUCTIONS_USER_FUNCTION.replace('{input_description}', env.input_description)
observations = [env.step(action_name=c['action'], action_input=c['action_input']) for c in data['calls']]
write_expected('toolbench', {'system': system, 'user': user, 'observations': [[o, code] for o, code in observations]})
