"""Golden texts for WebShop: runs AgentBench's webshop harness (AgentBench.old/src/tasks/webshop/__init__.py, its
`predict` loop verbatim) on the scripted replies of tests/fixtures/golden/shop/input.json and records every prompt
(the session's messages so far) at each model call, and the result it sends back. Stubbed: WebShop's text env
(web_agent_site, which plays the pages our store showed for the same actions, from input.json), AgentBench's
src.task classes, `multiprocess`, and the session (the scripted replies)."""
from sources import load, read_input, stub, write_expected

data = read_input('shop')


class WebAgentTextEnv:
    """Plays input.json: the page before the first action, then each action's page, checking the action taken."""

    def __init__(self, **_):
        self.steps = list(data['steps'])
        self.current = data['start']

    def reset(self, idx):
        pass

    @property
    def observation(self):
        return self.current['observation']

    def get_available_actions(self):
        return self.current['available']

    def step(self, action):
        self.current = self.steps.pop(0)
        assert action == self.current['action'], (action, self.current['action'])
        return self.current['observation'], self.current['reward'], self.current['done'], None


stub('multiprocess')
stub('src.task', Task=type('Task', (), {'__class_getitem__': classmethod(lambda c, k: c)}), Dataset=list, DataPiece=tuple, Session=object)
stub('webshop.web_agent_site.envs.web_agent_text_env', WebAgentTextEnv=WebAgentTextEnv)
webshop = load('webshop', 'AgentBench.old/src/tasks/webshop/__init__.py')


class Session:
    def __init__(self, replies):
        self.replies, self.messages, self.prompts = list(replies), [], []

    def inject(self, message):
        self.messages.append(dict(message))

    def action(self):
        self.prompts.append([dict(m) for m in self.messages])
        reply = self.replies.pop(0)
        self.inject({'role': 'agent', 'content': reply})
        return reply


class Done(Exception):
    pass


class Receiver:
    def __init__(self, item):
        self.items = [item]

    def recv(self):
        if not self.items:
            raise Done()
        return self.items.pop(0)


class Sender:
    def send(self, result):
        self.result = result


session, sender = Session(data['replies']), Sender()
try:
    webshop.predict(Receiver((0, session, sender)))
except Done:
    pass
write_expected('shop', {'prompts': session.prompts, 'reward': sender.result['reward'],
                        'format_fail': sender.result['format_fail'], 'rounds': len(sender.result['history'])})
