"""Golden fixtures for the DB protocol: the original `process` loop and `DBBench.metrics` (AgentBench.old
src/tasks/dbbench/__init__.py) and `Container.execute` (Interaction.py), verbatim, drive a scripted agent on dev entry
4 of tests/fixtures/agentbench/dbbench-dev.jsonl. No MySQL server runs here: a stub connection answers each statement
with the rows of the entry's table (every value as its Python str(), as the harness inserts them) or with the error
MySQL 8 raises for it, written out below as mysql.connector's Error prints it ("errno (sqlstate): msg")."""
import importlib.util
import json
import sys

from common import ROOT, SOURCES, Session, episode_record, register_agentbench_stubs, stub, write_golden

register_agentbench_stubs()


class MySQLError(Exception):
    """mysql.connector.errors.Error's message: "errno (sqlstate): msg" (mysql-connector-python errors.py)."""

    def __init__(self, msg=None, errno=None, sqlstate=None):
        super().__init__()
        self.msg, self.errno, self.sqlstate = msg, errno, sqlstate

    def __str__(self):
        if self.errno is None:
            return self.msg
        return f"{self.errno} ({self.sqlstate}): {self.msg}" if self.sqlstate else f"{self.errno}: {self.msg}"


stub("multiprocess", get_context=None)
stub("docker", from_env=None)
stub("docker.models", containers=None)
stub("docker.models.containers", Container=object)
stub("mysql.connector.errors", OperationalError=MySQLError, InterfaceError=MySQLError)
stub("mysql.connector", errors=sys.modules["mysql.connector.errors"], InterfaceError=MySQLError, connect=None)

DBBENCH = SOURCES / "AgentBench.old/src/tasks/dbbench"
spec = importlib.util.spec_from_file_location("dbbench", DBBENCH / "__init__.py", submodule_search_locations=[str(DBBENCH)])
dbbench = importlib.util.module_from_spec(spec)
sys.modules["dbbench"] = dbbench
spec.loader.exec_module(dbbench)
Interaction = sys.modules["dbbench.Interaction"]

entries = [json.loads(line) for line in (ROOT / "tests/fixtures/agentbench/dbbench-dev.jsonl").read_text().splitlines()]
ENTRY = entries[3]
TABLE = ENTRY["table"]["table_name"]
ROWS = [tuple(str(v) for v in row) for row in ENTRY["table"]["table_info"]["rows"]]

# Statement -> what MySQL 8 returns: rows, or the error it raises (as MySQL 8.0 words them).
ANSWERS = {
    "SELECT Floor FROM skyscrapers_in_Columbus": MySQLError("Unknown column 'Floor' in 'field list'", 1054, "42S22"),
    "SELECT * FROM skyscrapers_in_Columbus": ROWS,
    "SELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'Capitol Square'": [("26",)],
}


class Cursor:
    def __init__(self, log):
        self.log, self.rows = log, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, multi=False):
        if sql.startswith("use `") or sql.startswith("CREATE DATABASE") or sql.startswith("drop database"):
            self.rows = []
            return
        self.log.append(sql)
        answer = ANSWERS[sql]
        if isinstance(answer, Exception):
            raise answer
        self.rows = answer

    def fetchall(self):
        return self.rows


class Escaper:
    @staticmethod
    def escape_string(s):
        return s.replace("\\", "\\\\").replace("'", "\\'").encode("utf-8")


class Connection:
    _cmysql = Escaper()

    def __init__(self):
        self.log = []

    def reconnect(self):
        pass

    def cursor(self):
        return Cursor(self.log)

    def commit(self):
        pass


def run(replies):
    container = object.__new__(Interaction.Container)
    container.conn, container.deleted = Connection(), False
    container.delete = lambda: None
    dbbench.Container = lambda: container
    entry = json.loads(json.dumps(ENTRY))
    session = Session(replies)
    sent = []

    class Receiver:
        items = [(entry, session, None), (None, None, None)]

        def recv(self):
            return self.items.pop(0)

    class Sender:
        def send(self, value):
            sent.append(value)

    Receiver.items[0] = (entry, session, Sender())
    dbbench.process(Receiver(), 15)
    metrics = dbbench.DBBench.metrics.fget(None)
    correct = metrics["SELECT_accuracy"]([sent[0]], [ENTRY["label"]])
    return episode_record(session, replies=replies, answer=sent[0]["answer"], correct=correct, statements=container.conn.log)


write_golden("db", "episode.json", run([
    "I will look at the floors.\nAction: Operation\n```sql\nSELECT Floor FROM skyscrapers_in_Columbus\n```",
    "The column is Floors; let me see the whole table.\nAction: Operation\n```sql\nSELECT *\nFROM skyscrapers_in_Columbus\n```",
    "I am not sure which one it is.",
]))
write_golden("db", "answer.json", run([
    "Action: Operation\n```sql\nSELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'Capitol Square'\n```",
    'The capitol square has 26 floors.\nAction: Answer\nFinal Answer: ["26"]',
]))

# dbbench/__init__.py:190-207 on answers as the harness extracts them (the text after "Final Answer:").
metrics = dbbench.DBBench.metrics.fget(None)
PROBES = [
    (' ["26"]', ["26"]), (" [26]", ["26"]), (' ["26.0"]', ["26"]), (" 26", ["26"]), (' "26"', ["26"]), (' ["26 "]', ["26"]),
    (' ["2", "6"]', ["26"]), (" ['a', 'b']", ["b", "a"]), (" ['a', 'b', 'a']", ["b", "a"]), (' ["a"]', ["a", "a"]),
    (" [('a',), ('b',)]", ["a", "b"]), (" [['a'], ['b']]", ["a", "b"]), (" ab", ["ab"]), (' "ab"', ["a", "b"]),
    ("", ["26"]), (' ["none"]', ["none"]), (" [None]", ["None"]), (" [1e3]", ["1000"]), (' ["1,000"]', ["1000"]),
    (" ['Checco D\\'Angelo']", ["Checco D'Angelo"]), (' ["1–0", "2–0"]', ["2–0", "1–0"]), (" [True]", ["1"]),
    (" ['x'] + ['y']", ["x", "y"]), (' ["inf"]', ["Infinity"]), (" {'a': 1}", ["a"]), (" ('a', 'b')", ["a", "b"]),
]
write_golden("db", "scoring.json", [
    {"answer": a, "label": label, "correct": metrics["SELECT_accuracy"]([{"answer": a, "type": "other", "history": []}], [label])}
    for a, label in PROBES
])
