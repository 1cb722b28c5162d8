import type { EnvModule } from '../types';
import { ToolsEnvironment } from './env';
import { toolsExperts } from './experts';
import { toolsTasks, type ToolsTask } from './tasks';

export const envModule: EnvModule<ToolsTask> = {
  id: 'tools',
  label: 'Tools',
  protocolId: 'react',
  tasks: toolsTasks,
  create: async () => new ToolsEnvironment(),
  experts: toolsExperts,
};
