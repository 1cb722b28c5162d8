/** The app's views and how the address names them (`#tasks`, `#free`, `#chat`, `#evaluate`, `#models`). */
export const VIEWS = [
  { id: 'tasks', label: 'Tasks' },
  { id: 'free', label: 'Your request' },
  { id: 'chat', label: 'Chat' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'models', label: 'Models' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  return VIEWS.some((v) => v.id === id) ? (id as ViewId) : 'tasks';
}
