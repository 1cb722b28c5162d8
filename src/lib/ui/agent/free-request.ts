/** Free mode: a visitor's own request as an inline Tools task (ReAct protocol, only the tools they picked). */
import type { ToolSpec } from '../../agent/protocols/types';
import type { ToolsTask } from '../../tasks/tools/tasks';

export const MAX_REQUEST_CHARS = 2000;

export function freeRequestTask(request: string, tools: ToolSpec[]): ToolsTask {
  const text = request.trim();
  if (!text) throw new Error('Type a request first, e.g. "What is 17% of 2,340?".');
  if (text.length > MAX_REQUEST_CHARS) {
    throw new Error(`The request has ${text.length} characters; keep it under ${MAX_REQUEST_CHARS} so the model has room to answer.`);
  }
  const title = text.split('\n')[0].slice(0, 80);
  return { id: 'free-request', env: 'tools', title, data: { request: text, tools, expected: { open: true } } };
}
