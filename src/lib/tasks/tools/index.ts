import type { EnvModule } from '../types';
import { loadQuickJs } from '../../runtimes/quickjs';
import { loadSqlJs } from '../../runtimes/sqlite';
import { ToolsEnvironment } from './env';
import { toolsExperts } from './experts';
import { toolsTasks, type ToolsTask } from './tasks';

export const envModule: EnvModule<ToolsTask> = {
  id: 'tools',
  label: 'Tools',
  protocolId: 'react',
  tasks: toolsTasks,
  create: async () => {
    // Compile both wasm engines when the environment opens, so no step pays for it inside its time box.
    await Promise.all([loadQuickJs(), loadSqlJs()]);
    return new ToolsEnvironment();
  },
  experts: toolsExperts,
};
