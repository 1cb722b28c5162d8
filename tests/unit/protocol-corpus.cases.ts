/**
 * Assistant outputs and their expected parse, written by hand: clean outputs in each trained
 * format, the sloppy shapes real 7B output takes, and outputs that must be rejected.
 * `error` is a fragment the parser's error text must contain.
 */
import type { Action } from '../../src/lib/tasks/types';
import type { ToolSpec } from '../../src/lib/agent/protocols/types';

export type CorpusCase = {
  protocol: string;
  name: string;
  text: string;
  tools?: ToolSpec[];
} & ({ action: Action; thought?: string } | { error: string });

export const TOOLS: ToolSpec[] = [
  {
    name: 'calculator',
    description: 'Evaluates an arithmetic expression exactly.',
    parameters: [{ name: 'expression', type: 'STRING', description: 'the expression, e.g. 2*(3+4)' }],
    required: ['expression'],
  },
  {
    name: 'unit_convert',
    description: 'Converts a quantity between units.',
    parameters: [
      { name: 'value', type: 'NUMBER', description: 'the quantity' },
      { name: 'from', type: 'STRING', description: 'source unit' },
      { name: 'to', type: 'STRING', description: 'target unit' },
    ],
    required: ['value', 'from', 'to'],
  },
  {
    name: 'today',
    description: "Returns today's date.",
    parameters: [],
    required: [],
  },
];

export const CASES: CorpusCase[] = [
  // ---------------- OS ----------------
  {
    protocol: 'os',
    name: 'clean bash',
    text: 'Think: To count the files in /etc, I need to list them.\n\nAct: bash\n\n```bash\nls /etc\n```',
    action: { type: 'tool', name: 'bash', args: 'ls /etc' },
    thought: 'To count the files in /etc, I need to list them.',
  },
  {
    protocol: 'os',
    name: 'clean answer',
    text: 'Think: Now I get the answer, it is 220.\n\nAct: answer(220)',
    action: { type: 'final', answer: '220' },
  },
  {
    protocol: 'os',
    name: 'finish',
    text: 'Think: The file has been created, the task is done.\n\nAct: finish',
    action: { type: 'finish' },
  },
  {
    protocol: 'os',
    name: 'no space after colon, fence without language tag',
    text: 'Think:I need the user list.\nAct:bash\n```\ncut -d: -f1 /etc/passwd\n```',
    action: { type: 'tool', name: 'bash', args: 'cut -d: -f1 /etc/passwd' },
  },
  {
    protocol: 'os',
    name: 'sh tag and a multi-line script',
    text: 'Think: loop over the files.\n\nAct: bash\n\n```sh\nfor f in /tmp/*.txt; do\n  wc -l "$f"\ndone\n```',
    action: { type: 'tool', name: 'bash', args: 'for f in /tmp/*.txt; do\n  wc -l "$f"\ndone' },
  },
  {
    protocol: 'os',
    name: 'extra text after the block',
    text: 'Think: check the size.\n\nAct: bash\n\n```bash\ndu -sh /var\n```\n\nThis will print the size of /var.',
    action: { type: 'tool', name: 'bash', args: 'du -sh /var' },
  },
  {
    protocol: 'os',
    name: 'answer with spaces and inner parentheses',
    text: 'Think: The process is named nginx (master).\n\nAct: answer(nginx (master))',
    action: { type: 'final', answer: 'nginx (master)' },
  },
  {
    protocol: 'os',
    name: 'lower-case act label',
    text: 'think: count them\nact: bash\n```bash\nls | wc -l\n```',
    action: { type: 'tool', name: 'bash', args: 'ls | wc -l' },
  },
  {
    protocol: 'os',
    name: 'code block without an Act line',
    text: 'Think: I will look at the home directories.\n\n```bash\nls /home\n```',
    action: { type: 'tool', name: 'bash', args: 'ls /home' },
  },
  {
    protocol: 'os',
    name: 'Act: inside the script is not an action',
    text: 'Think: write a note.\n\nAct: bash\n\n```bash\necho "Act: finish" > /tmp/note\n```',
    action: { type: 'tool', name: 'bash', args: 'echo "Act: finish" > /tmp/note' },
  },
  {
    protocol: 'os',
    name: 'two actions in one turn',
    text: 'Think: run it and answer.\n\nAct: bash\n\n```bash\nls\n```\n\nAct: answer(3)',
    error: 'exactly one action',
  },
  {
    protocol: 'os',
    name: 'answer without parentheses',
    text: 'Think: it is 5.\n\nAct: answer 5',
    error: 'parentheses',
  },
  {
    protocol: 'os',
    name: 'bash without a code block',
    text: 'Think: list.\n\nAct: bash\nls -la',
    error: 'code block',
  },
  {
    protocol: 'os',
    name: 'unclosed code block',
    text: 'Think: list.\n\nAct: bash\n\n```bash\nls -la',
    error: 'not closed',
  },
  {
    protocol: 'os',
    name: 'unknown action',
    text: 'Think: I will use python.\n\nAct: python\n\n```python\nprint(1)\n```',
    error: 'unknown action',
  },
  {
    protocol: 'os',
    name: 'prose only',
    text: 'I think the answer is probably 42 but I am not sure.',
    error: 'no "Act:" line',
  },

  // ---------------- DB ----------------
  {
    protocol: 'db',
    name: 'clean operation',
    text: 'I need the names of the players over 30.\nAction: Operation\n```sql\nSELECT `Name` FROM `players` WHERE `Age` > 30;\n```',
    action: { type: 'tool', name: 'sql', args: 'SELECT `Name` FROM `players` WHERE `Age` > 30;' },
    thought: 'I need the names of the players over 30.',
  },
  {
    protocol: 'db',
    name: 'clean answer list',
    text: 'The query returned two names.\nAction: Answer\nFinal Answer: ["Ann", "Bo"]',
    action: { type: 'final', answer: ['Ann', 'Bo'] },
  },
  {
    protocol: 'db',
    name: 'multi-line SQL is joined into one line',
    text: 'Action: Operation\n```sql\nSELECT COUNT(*)\nFROM `orders`\nWHERE `status` = \'open\';\n```',
    action: { type: 'tool', name: 'sql', args: "SELECT COUNT(*) FROM `orders` WHERE `status` = 'open';" },
  },
  {
    protocol: 'db',
    name: 'fence without language tag',
    text: 'Action: Operation\n```\nSELECT * FROM `t`;\n```',
    action: { type: 'tool', name: 'sql', args: 'SELECT * FROM `t`;' },
  },
  {
    protocol: 'db',
    name: 'only the first SQL block is executed',
    text: 'Action: Operation\n```sql\nSELECT 1;\n```\nThen I will run\n```sql\nSELECT 2;\n```',
    action: { type: 'tool', name: 'sql', args: 'SELECT 1;' },
  },
  {
    protocol: 'db',
    name: 'no space after colon',
    text: 'Action:Operation\n```sql\nUPDATE `t` SET `a` = 1 WHERE `id` = 2;\n```',
    action: { type: 'tool', name: 'sql', args: 'UPDATE `t` SET `a` = 1 WHERE `id` = 2;' },
  },
  {
    protocol: 'db',
    name: 'SQL on the next line without a fence',
    text: 'Action: Operation\nSELECT `a` FROM `t` LIMIT 1;',
    action: { type: 'tool', name: 'sql', args: 'SELECT `a` FROM `t` LIMIT 1;' },
  },
  {
    protocol: 'db',
    name: 'single-quoted answers and numbers',
    text: "Action: Answer\nFinal Answer: ['Paris', 12, 3.5]",
    action: { type: 'final', answer: ['Paris', '12', '3.5'] },
  },
  {
    protocol: 'db',
    name: 'trailing comma in the answer list',
    text: 'Action: Answer\nFinal Answer: ["x", "y",]',
    action: { type: 'final', answer: ['x', 'y'] },
  },
  {
    protocol: 'db',
    name: 'empty answer list',
    text: 'The table was updated.\nAction: Answer\nFinal Answer: []',
    action: { type: 'final', answer: [] },
  },
  {
    protocol: 'db',
    name: 'bare value answer',
    text: 'Action: Answer\nFinal Answer: 42',
    action: { type: 'final', answer: ['42'] },
  },
  {
    protocol: 'db',
    name: 'Final Answer without Action line',
    text: 'So the answer is clear.\nFinal Answer: ["7"]',
    action: { type: 'final', answer: ['7'] },
  },
  {
    protocol: 'db',
    name: 'answer with an escaped quote',
    text: 'Action: Answer\nFinal Answer: ["O\'Brien", "say \\"hi\\""]',
    action: { type: 'final', answer: ["O'Brien", 'say "hi"'] },
  },
  {
    protocol: 'db',
    name: 'operation and answer in one turn',
    text: 'Action: Operation\n```sql\nSELECT 1;\n```\nAction: Answer\nFinal Answer: ["1"]',
    error: 'once per turn',
  },
  {
    protocol: 'db',
    name: 'unclosed answer list',
    text: 'Action: Answer\nFinal Answer: ["a", "b"',
    error: 'not closed',
  },
  {
    protocol: 'db',
    name: 'operation without SQL',
    text: 'Action: Operation\nI will look at the table first.',
    error: 'without a ```sql code block',
  },
  {
    protocol: 'db',
    name: 'unknown action',
    text: 'Action: Query\n```sql\nSELECT 1;\n```',
    error: 'unknown action',
  },
  {
    protocol: 'db',
    name: 'prose only',
    text: 'Let me think about which table to use.',
    error: 'no "Action:" line',
  },

  // ---------------- KG ----------------
  {
    protocol: 'kg',
    name: 'clean get_relations',
    text: "Thought: I need relations of the entity.\nAction: get_relations(Barack Obama)",
    action: { type: 'tool', name: 'get_relations', args: ['Barack Obama'] },
    thought: 'I need relations of the entity.',
  },
  {
    protocol: 'kg',
    name: 'clean get_neighbors',
    text: 'Thought: use the spouse relation.\nAction: get_neighbors(#0, people.person.spouse)',
    action: { type: 'tool', name: 'get_neighbors', args: ['#0', 'people.person.spouse'] },
  },
  {
    protocol: 'kg',
    name: 'final answer',
    text: 'Thought: #3 is the final answer.\nFinal Answer: #3',
    action: { type: 'final', answer: '#3' },
  },
  {
    protocol: 'kg',
    name: 'intersection and a numbered Action label',
    text: 'Thought: both sets.\nAction 3: intersection(#0, #1)',
    action: { type: 'tool', name: 'intersection', args: ['#0', '#1'] },
  },
  {
    protocol: 'kg',
    name: 'entity name with a comma',
    text: 'Action: get_neighbors(Washington, D.C., location.location.containedby)',
    action: { type: 'tool', name: 'get_neighbors', args: ['Washington, D.C.', 'location.location.containedby'] },
  },
  {
    protocol: 'kg',
    name: 'escaped underscores and "variable" prefix',
    text: 'Action: argmax(variable #2, sports.team.founded\\_year)',
    action: { type: 'tool', name: 'argmax', args: ['#2', 'sports.team.founded_year'] },
  },
  {
    protocol: 'kg',
    name: 'quoted argument',
    text: 'Action: get_relations("The Glass Orchard")',
    action: { type: 'tool', name: 'get_relations', args: ['The Glass Orchard'] },
  },
  {
    protocol: 'kg',
    name: 'invented observation is ignored',
    text: 'Thought: count them.\nAction: count(#4)\nObservation: variable #5, which is a number\nFinal Answer: #5',
    action: { type: 'tool', name: 'count', args: ['#4'] },
  },
  {
    protocol: 'kg',
    name: 'Final Answer without #',
    text: 'Final Answer: 2',
    action: { type: 'final', answer: '#2' },
  },
  {
    protocol: 'kg',
    name: 'unknown function',
    text: 'Thought: search.\nAction: find_entity(Obama)',
    error: 'no known function',
  },
  {
    protocol: 'kg',
    name: 'missing argument',
    text: 'Action: get_neighbors(#0)',
    error: 'takes 2 argument',
  },
  {
    protocol: 'kg',
    name: 'unmatched parenthesis',
    text: 'Action: get_relations(#1',
    error: 'unmatched parenthesis',
  },
  {
    protocol: 'kg',
    name: 'two actions: the first line runs (task.py:283)',
    text: 'Action: get_relations(#0)\nAction: get_relations(#1)',
    action: { type: 'tool', name: 'get_relations', args: ['#0'] },
  },
  {
    protocol: 'kg',
    name: 'Final Answer wins over an action (task.py:222)',
    text: 'Action: get_relations(#0)\nFinal Answer: #1',
    action: { type: 'final', answer: '#1' },
  },
  {
    protocol: 'kg',
    name: 'toString is no known function',
    text: 'Action: toString(#0)',
    error: 'no known function',
  },
  {
    protocol: 'kg',
    name: 'final answer that is not a variable',
    text: 'Final Answer: Michelle Obama',
    error: 'not a variable id',
  },

  // ---------------- household ----------------
  {
    protocol: 'household',
    name: 'clean thought and action',
    text: 'THOUGHT: The task is to put a mug in the microwave, first i need to find a mug.\n ACTION: go to countertop 1\n',
    action: { type: 'tool', name: 'act', args: 'go to countertop 1' },
    thought: 'The task is to put a mug in the microwave, first i need to find a mug.',
  },
  {
    protocol: 'household',
    name: 'action only',
    text: 'ACTION: take mug 1 from countertop 1\n',
    action: { type: 'tool', name: 'act', args: 'take mug 1 from countertop 1' },
  },
  {
    protocol: 'household',
    name: 'title-case labels, capitals and a trailing period',
    text: 'Thought: heat it.\nAction: Heat mug 1 with microwave 1.',
    action: { type: 'tool', name: 'act', args: 'heat mug 1 with microwave 1' },
  },
  {
    protocol: 'household',
    name: 'bare command',
    text: 'open fridge 1',
    action: { type: 'tool', name: 'act', args: 'open fridge 1' },
  },
  {
    protocol: 'household',
    name: 'ALFWorld ">" prompt prefix',
    text: 'ACTION: > put apple 1 in/on diningtable 1',
    action: { type: 'tool', name: 'act', args: 'put apple 1 in/on diningtable 1' },
  },
  {
    protocol: 'household',
    name: 'command on the line after the label',
    text: 'THOUGHT: look around.\nACTION:\nlook',
    action: { type: 'tool', name: 'act', args: 'look' },
  },
  {
    protocol: 'household',
    name: '"action:" inside a sentence is not a label',
    text: 'THOUGHT: my next action: find a knife.\nACTION: go to drawer 1',
    action: { type: 'tool', name: 'act', args: 'go to drawer 1' },
  },
  {
    protocol: 'household',
    name: 'thought without action',
    text: 'THOUGHT: I should look for the apple in the fridge.',
    error: 'no "ACTION:" line',
  },
  {
    protocol: 'household',
    name: 'two actions',
    text: 'ACTION: go to fridge 1\nACTION: open fridge 1',
    error: 'one action per turn',
  },
  {
    protocol: 'household',
    name: 'empty action',
    text: 'THOUGHT: hmm.\nACTION: ',
    error: 'empty',
  },

  // ---------------- shop ----------------
  {
    protocol: 'shop',
    name: 'clean search',
    text: 'Thought:\nI think I should search for the shoes.\n\nAction:\nsearch[red running shoes size 9]',
    action: { type: 'tool', name: 'search', args: 'red running shoes size 9' },
    thought: 'I think I should search for the shoes.',
  },
  {
    protocol: 'shop',
    name: 'clean click',
    text: "Thought:\nI think I should click on 'Buy Now'.\n\nAction:\nclick[Buy Now]",
    action: { type: 'tool', name: 'click', args: 'Buy Now' },
  },
  {
    protocol: 'shop',
    name: 'same line, no space after colon',
    text: 'Thought: the first product matches.\nAction:click[B07K2QX1]',
    action: { type: 'tool', name: 'click', args: 'B07K2QX1' },
  },
  {
    protocol: 'shop',
    name: 'extra text after the action',
    text: 'Thought:\nI think the size matters.\n\nAction:\nclick[large] to select the size',
    action: { type: 'tool', name: 'click', args: 'large' },
  },
  {
    protocol: 'shop',
    name: 'value with brackets and parentheses',
    text: 'Action:\nclick[6.76 fl oz (pack of 1)]',
    action: { type: 'tool', name: 'click', args: '6.76 fl oz (pack of 1)' },
  },
  {
    protocol: 'shop',
    name: 'bare action without label',
    text: 'search[bamboo cutting board]',
    action: { type: 'tool', name: 'search', args: 'bamboo cutting board' },
  },
  {
    protocol: 'shop',
    name: 'two actions',
    text: 'Action:\nclick[large]\nclick[Buy Now]',
    error: 'one action per turn',
  },
  {
    protocol: 'shop',
    name: 'unknown action',
    text: 'Thought:\nI think I should buy it.\n\nAction:\nbuy[B07K2QX1]',
    error: 'neither search',
  },
  {
    protocol: 'shop',
    name: 'empty search',
    text: 'Action:\nsearch[]',
    error: 'empty',
  },

  // ---------------- wiki ----------------
  {
    protocol: 'wiki',
    name: 'clean search',
    text: 'Thought: I need to search Ilse Marwen.\nAction: Search[Ilse Marwen]',
    action: { type: 'tool', name: 'search', args: 'Ilse Marwen' },
    thought: 'I need to search Ilse Marwen.',
  },
  {
    protocol: 'wiki',
    name: 'lookup',
    text: 'Thought: look up born.\nAction: Lookup[born]',
    action: { type: 'tool', name: 'lookup', args: 'born' },
  },
  {
    protocol: 'wiki',
    name: 'finish',
    text: 'Thought: so the answer is Linz.\nAction: Finish[Linz]',
    action: { type: 'final', answer: 'Linz' },
  },
  {
    protocol: 'wiki',
    name: 'numbered labels and lower-case name',
    text: 'Thought 2: next.\nAction 2: search[Korvel Bridge]',
    action: { type: 'tool', name: 'search', args: 'Korvel Bridge' },
  },
  {
    protocol: 'wiki',
    name: 'invented observation is ignored',
    text: 'Thought: search it.\nAction: Search[Astra Tower]\nObservation: The Astra Tower is ...\nThought: ...\nAction: Finish[no]',
    action: { type: 'tool', name: 'search', args: 'Astra Tower' },
  },
  {
    protocol: 'wiki',
    name: 'bare action without label',
    text: 'finish[yes]',
    action: { type: 'final', answer: 'yes' },
  },
  {
    protocol: 'wiki',
    name: 'unknown action',
    text: 'Thought: x\nAction: Google[Linz]',
    error: 'unknown action',
  },
  {
    protocol: 'wiki',
    name: 'two actions',
    text: 'Action: Search[A]\nAction: Search[B]',
    error: 'actions in one turn',
  },

  // ---------------- ReAct (lagent) ----------------
  {
    protocol: 'react',
    name: 'clean tool call',
    tools: TOOLS,
    text: 'Thought: I need to compute it.\nAction: calculator\nAction Input: {"expression": "12*(3+4)"}',
    action: { type: 'tool', name: 'calculator', args: { expression: '12*(3+4)' } },
    thought: 'I need to compute it.',
  },
  {
    protocol: 'react',
    name: 'clean final answer',
    tools: TOOLS,
    text: 'Thought: The calculator returned 84.\nFinal Answer: 12*(3+4) = 84',
    action: { type: 'final', answer: '12*(3+4) = 84' },
  },
  {
    protocol: 'react',
    name: 'no spaces after colons (the lagent prompt spelling)',
    tools: TOOLS,
    text: 'Thought:convert it\nAction:unit_convert\nAction Input:{"value": 5, "from": "km", "to": "mi"}',
    action: { type: 'tool', name: 'unit_convert', args: { value: 5, from: 'km', to: 'mi' } },
  },
  {
    protocol: 'react',
    name: 'single-quoted, trailing-comma JSON',
    tools: TOOLS,
    text: "Thought: compute\nAction: calculator\nAction Input: {'expression': '2**10',}",
    action: { type: 'tool', name: 'calculator', args: { expression: '2**10' } },
  },
  {
    protocol: 'react',
    name: 'JSON in a code fence',
    tools: TOOLS,
    text: 'Thought: compute\nAction: calculator\nAction Input: ```json\n{"expression": "1/3"}\n```',
    action: { type: 'tool', name: 'calculator', args: { expression: '1/3' } },
  },
  {
    protocol: 'react',
    name: 'prose after the JSON and markdown bold labels',
    tools: TOOLS,
    text: '**Thought:** convert it\n**Action:** unit_convert\n**Action Input:** {"value": 3, "from": "kg", "to": "lb"}\nI will wait for the result.',
    action: { type: 'tool', name: 'unit_convert', args: { value: 3, from: 'kg', to: 'lb' } },
    thought: 'convert it',
  },
  {
    protocol: 'react',
    name: 'non-JSON input for a one-parameter tool',
    tools: TOOLS,
    text: 'Thought: compute\nAction: calculator\nAction Input: 17 * 23',
    action: { type: 'tool', name: 'calculator', args: { expression: '17 * 23' } },
  },
  {
    protocol: 'react',
    name: 'tool with no parameters and no input',
    tools: TOOLS,
    text: 'Thought: what day is it?\nAction: today',
    action: { type: 'tool', name: 'today', args: {} },
  },
  {
    protocol: 'react',
    name: 'invented Response is cut off',
    tools: TOOLS,
    text: 'Thought: compute\nAction: calculator\nAction Input: {"expression": "6*7"}\nResponse: 42\nFinal Answer: 42',
    action: { type: 'tool', name: 'calculator', args: { expression: '6*7' } },
  },
  {
    protocol: 'react',
    name: 'direct answer with no tool (hallucination negative)',
    tools: TOOLS,
    text: 'I am sorry, none of my tools can book a flight. You can book it on the airline website.',
    action: { type: 'final', answer: 'I am sorry, none of my tools can book a flight. You can book it on the airline website.' },
  },
  {
    protocol: 'react',
    name: 'unknown tool',
    tools: TOOLS,
    text: 'Thought: search the web\nAction: google_search\nAction Input: {"query": "weather"}',
    error: 'unknown tool',
  },
  {
    protocol: 'react',
    name: 'non-JSON input for a multi-parameter tool',
    tools: TOOLS,
    text: 'Thought: convert\nAction: unit_convert\nAction Input: 5 km to miles',
    error: 'invalid json',
  },
  {
    protocol: 'react',
    name: 'missing required parameter',
    tools: TOOLS,
    text: 'Thought: convert\nAction: unit_convert\nAction Input: {"value": 5, "from": "km"}',
    error: "missing required arguments: {'to'}",
  },
  {
    protocol: 'react',
    name: 'two tool calls in one turn',
    tools: TOOLS,
    text: 'Action: calculator\nAction Input: {"expression": "1+1"}\nAction: calculator\nAction Input: {"expression": "2+2"}',
    error: 'actions in one turn',
  },
  {
    protocol: 'react',
    name: 'a thought alone is not an answer',
    tools: TOOLS,
    text: 'Thought: I should use the calculator for this.',
    error: 'no Action',
  },

  // ---------------- ToolBench ----------------
  {
    protocol: 'toolbench',
    name: 'clean call',
    tools: TOOLS,
    text: 'Thought: I will convert the distance first.\nAction: unit_convert\nAction Input: {"value": 10, "from": "mi", "to": "km"}',
    action: { type: 'tool', name: 'unit_convert', args: { value: 10, from: 'mi', to: 'km' } },
  },
  {
    protocol: 'toolbench',
    name: 'Finish with give_answer',
    tools: TOOLS,
    text: 'Thought: I have the result.\nAction: Finish\nAction Input: {"return_type": "give_answer", "final_answer": "10 miles is 16.09 km."}',
    action: { type: 'final', answer: '10 miles is 16.09 km.' },
  },
  {
    protocol: 'toolbench',
    name: 'Finish with give_up_and_restart',
    tools: TOOLS,
    text: 'Thought: The function keeps failing.\nAction: Finish\nAction Input: {"return_type": "give_up_and_restart"}',
    action: { type: 'finish' },
  },
  {
    protocol: 'toolbench',
    name: 'Finish with single quotes and trailing End Action',
    tools: TOOLS,
    text: "Thought: done\nAction: Finish\nAction Input: {'return_type': 'give_answer', 'final_answer': 'It is 84.'}\nEnd Action",
    action: { type: 'final', answer: 'It is 84.' },
  },
  {
    protocol: 'toolbench',
    name: 'Finish whose answer has unescaped quotes',
    tools: TOOLS,
    text: 'Thought: done\nAction: Finish\nAction Input: {"return_type": "give_answer", "final_answer": "The book "Dune" costs 9 euros."}',
    action: { type: 'final', answer: 'The book "Dune" costs 9 euros.' },
  },
  {
    protocol: 'toolbench',
    name: 'Finish with no arguments',
    tools: TOOLS,
    text: 'Thought: done\nAction: Finish',
    error: 'Finish needs Action Input',
  },
  {
    protocol: 'toolbench',
    name: 'unknown function',
    tools: TOOLS,
    text: 'Thought: x\nAction: weather_for_city\nAction Input: {"city": "Oslo"}',
    error: 'No such function name: weather_for_city',
  },
  {
    protocol: 'toolbench',
    name: 'Finish without return_type',
    tools: TOOLS,
    text: 'Action: Finish\nAction Input: {"final_answer": "42"}',
    error: 'must have "return_type"',
  },
  {
    protocol: 'toolbench',
    name: 'Finish give_answer without final_answer',
    tools: TOOLS,
    text: 'Action: Finish\nAction Input: {"return_type": "give_answer"}',
    error: 'must have "final_answer"',
  },
  {
    protocol: 'toolbench',
    name: 'direct answer with no call (negative sample)',
    tools: TOOLS,
    text: 'None of the available functions can order food, so I cannot place that order for you.',
    action: { type: 'final', answer: 'None of the available functions can order food, so I cannot place that order for you.' },
  },
];
