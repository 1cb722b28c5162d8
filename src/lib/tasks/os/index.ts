import type { EnvModule } from '../types';
import { devExperts, devTasks } from './dev-tasks';
import { osExperts } from './experts';
import { osTasks } from './tasks';
import { OsVmEnvironment, type OsVmTask } from './vm-env';

/** Every OS task runs on the Linux guest: the project's own tasks first, then the 26 AgentBench dev tasks. */
export const envModule: EnvModule<OsVmTask> = {
  id: 'os',
  label: 'Operating system',
  protocolId: 'os',
  tasks: [...osTasks, ...devTasks],
  create: async () => new OsVmEnvironment(),
  experts: { ...osExperts, ...devExperts },
};
