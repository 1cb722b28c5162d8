import type { EnvModule } from '../types';
import { OsEnvironment } from './env';
import { osExperts } from './experts';
import { osTasks, type OsTask } from './tasks';

export const envModule: EnvModule<OsTask> = {
  id: 'os',
  label: 'Operating system',
  protocolId: 'os',
  tasks: osTasks,
  create: async () => new OsEnvironment(),
  experts: osExperts,
};
