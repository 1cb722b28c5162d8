/** Parses `convert <checkpoint-dir> <out-dir> [--dtype q4f16,q4,fp32] [--chat-template agent-flan|none|auto]`. */
import type { ChatTemplateChoice, ConvertOptions } from './convert.ts';
import type { BuildDtype, GraphLayout, Q8Target } from './graph.ts';
import { BUILD_DTYPES, GRAPH_LAYOUTS, Q8_TARGETS } from './graph.ts';

export const USAGE =
  'usage: npm run convert -- <checkpoint-dir> <out-dir> [--dtype q4f16,q4,fp32] [--chat-template agent-flan|none|auto] [--graph fused|split] [--q8 lm_head,v_proj,o_proj,down_proj] [--label "Name"]';

export function parseConvertArgs(argv: string[]): ConvertOptions {
  const positional: string[] = [];
  let dtypes: BuildDtype[] = ['q4f16', 'q4'];
  let chatTemplate: ChatTemplateChoice = 'auto';
  let label: string | undefined;
  let graph: GraphLayout = 'fused';
  let q8: Q8Target[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s) as [string, string | undefined]) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--dtype') {
      const list = value().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.filter((d) => !BUILD_DTYPES.includes(d as BuildDtype));
      if (bad.length || list.length === 0) throw new Error(`--dtype: unknown ${bad.join(', ') || '(empty)'}; choose from ${BUILD_DTYPES.join(', ')}`);
      dtypes = [...new Set(list as BuildDtype[])];
    } else if (flag === '--chat-template') {
      const v = value();
      if (v !== 'agent-flan' && v !== 'none' && v !== 'auto') throw new Error(`--chat-template: "${v}" is not one of agent-flan, none, auto`);
      chatTemplate = v;
    } else if (flag === '--graph') {
      const v = value();
      if (!GRAPH_LAYOUTS.includes(v as GraphLayout)) throw new Error(`--graph: "${v}" is not one of ${GRAPH_LAYOUTS.join(', ')}`);
      graph = v as GraphLayout;
    } else if (flag === '--q8') {
      const list = value().split(',').map((t) => t.trim()).filter(Boolean);
      const bad = list.filter((t) => !Q8_TARGETS.includes(t as Q8Target));
      if (bad.length || list.length === 0) throw new Error(`--q8: unknown ${bad.join(', ') || '(empty)'}; choose from ${Q8_TARGETS.join(', ')}`);
      q8 = [...new Set(list as Q8Target[])];
    } else if (flag === '--label') label = value();
    else if (flag.startsWith('--')) throw new Error(`unknown option ${flag}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new Error(`expected a checkpoint directory and an output directory\n${USAGE}`);
  return { checkpointDir: positional[0], outDir: positional[1], dtypes, chatTemplate, label, graph, q8 };
}
