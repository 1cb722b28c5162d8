/** Output caps shared by the sandboxed tools: what crosses back to the page is bounded. */

export const TRUNCATION_MARKER = '[output truncated]';

/** Default cap for one observation leaving an environment (protocols cut further, e.g. OS ~780). */
export const OBSERVATION_CAP = 16_000;

export function capText(text: string, cap = OBSERVATION_CAP): string {
  return text.length > cap ? `${text.slice(0, cap)}\n${TRUNCATION_MARKER}` : text;
}

/** Collects text up to a cap; what comes after the cap is dropped and flagged. */
export class CappedText {
  private parts: string[] = [];
  private length = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(text: string): void {
    const room = this.cap - this.length;
    if (text.length > room) {
      if (room > 0) this.parts.push(text.slice(0, room));
      this.length = this.cap;
      this.truncated = true;
    } else {
      this.parts.push(text);
      this.length += text.length;
    }
  }
  text(): string {
    return this.parts.join('') + (this.truncated ? `\n${TRUNCATION_MARKER}` : '');
  }
}
