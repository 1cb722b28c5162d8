/** Display helpers for sizes and durations, shared by the UI and error messages. */

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}


export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A title as a sentence: its first letter capitalised (AgentBench DB questions are raw lowercase dataset text). */
export function sentenceCase(title: string): string {
  const i = title.search(/\p{L}/u);
  return i < 0 ? title : title.slice(0, i) + title[i].toLocaleUpperCase('en') + title.slice(i + 1);
}
