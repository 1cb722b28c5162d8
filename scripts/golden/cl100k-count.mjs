// Prints how many cl100k_base tokens stdin holds, counted by the npm `tiktoken` package: openai/tiktoken's own Rust
// core built to WebAssembly (dqbd/tiktoken, MIT), a different implementation from the js-tiktoken port the app
// uses. wiki.py's tiktoken stub calls it, so the goldens' counts come from tiktoken's code, not ours.
import { get_encoding } from 'tiktoken';

let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;
const enc = get_encoding('cl100k_base');
console.log(enc.encode(text).length);
enc.free();
