/**
 * The guest's interactive bash on the serial console, as a program drives it: type a command, read what it
 * printed up to the next prompt. Output is cut at the runtime's own markers (see session-setup.ts), so it is
 * exact: no prompt, no echo, LF line ends. The raw stream (the echo a terminal would show, CRLF, prompts with
 * their title escape) is kept beside it for the live terminal and for callers that want what the original
 * harness passed on.
 */
import { toSerialBytes, type VmMachine } from './machine';
import { TERMINAL_ESCAPES } from '../../util/terminal';
import { BEL, PROMPT_END, PROMPT_START, sentinelLine, sentinelPattern } from './session-setup';

export interface SessionRun {
  /** What the command printed, prompts and markers removed, CRLF as LF. */
  output: string;
  /** The terminal's view: the typed command, its output and the next prompt (markers removed). */
  raw: string;
  /** `$?` after the command, or null when it did not finish. */
  status: number | null;
  /** The command ran past its limit (it was interrupted, or the machine stopped answering). */
  timedOut: boolean;
  /** After a timeout: Ctrl-C brought the prompt back (true) or the machine did not answer (false). */
  answered: boolean;
  /** More output came than is kept (`outputCap`); the rest was dropped. */
  truncated: boolean;
}

/** Bytes of one command's output kept (a flood beyond it is dropped; the cut is flagged). */
export const OUTPUT_CAP = 1 << 20;
/** How long an interrupted command may take to give the prompt back. */
const INTERRUPT_GRACE_MS = 3000;

const decoder = new TextDecoder();

function utf8(binary: string): string {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}

/** Removes every prompt (PROMPT_START ... PROMPT_END) and any stray marker. */
function stripPrompts(text: string): string {
  return text.replace(/\x1b\]6973;P\x07[\s\S]*?\x1b\]6973;Q\x07/g, '').replace(/\x1b\]6973;[^\x07]*\x07/g, '');
}


function stripMarkers(text: string): string {
  return text.replace(/\x1b\]6973;[^\x07]*\x07/g, '');
}

export class ShellSession {
  /** Bytes since the current command was typed (latin1 string), up to OUTPUT_CAP, then a rolling tail. */
  private head = '';
  private tail = '';
  private truncated = false;
  private waiter: (() => void) | undefined;
  private counter = 0;
  private readonly stopListening: () => void;
  /** Every byte the terminal shows (typed echo included), for a live view. */
  onTerminal: ((text: string) => void) | undefined;

  constructor(private readonly machine: VmMachine) {
    this.stopListening = machine.onSerialByte((byte) => this.receive(byte));
  }

  private receive(byte: number): void {
    const c = String.fromCharCode(byte);
    if (this.head.length < OUTPUT_CAP) this.head += c;
    else {
      this.truncated = true;
      this.tail = (this.tail + c).slice(-4096);
    }
    if (byte === 0x07 && this.waiter) this.waiter();
  }

  private text(): string {
    return this.head + this.tail;
  }

  private clear(): void {
    this.head = '';
    this.tail = '';
    this.truncated = false;
  }

  /** Resolves with the text once `found` returns non-null after a BEL, or null after `ms`. */
  private waitFor<T>(found: (text: string) => T | null, ms: number): Promise<T | null> {
    return new Promise((resolve) => {
      const check = () => {
        const hit = found(this.text());
        if (hit !== null) done(hit);
      };
      const timer = setTimeout(() => done(null), ms);
      const done = (v: T | null) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(v);
      };
      this.waiter = check;
      check();
    });
  }

  /** Index of the sentinel's status marker and the end of the prompt that follows it. */
  private sentinelFound(n: number) {
    const pattern = sentinelPattern(n);
    return (text: string) => {
      const at = text.lastIndexOf(pattern);
      if (at < 0) return null;
      const statusEnd = text.indexOf(BEL, at);
      const promptEnd = statusEnd < 0 ? -1 : text.indexOf(PROMPT_END, statusEnd);
      if (promptEnd < 0) return null;
      return { at, status: Number(text.slice(at + pattern.length, statusEnd)), promptEnd: promptEnd + PROMPT_END.length };
    };
  }

  /** Types the sentinel alone and waits for it: the session is at a prompt with nothing pending. */
  async sync(ms = INTERRUPT_GRACE_MS): Promise<boolean> {
    this.clear();
    const n = ++this.counter;
    this.machine.sendBytes(sentinelLine(n));
    const hit = await this.waitFor(this.sentinelFound(n), ms);
    this.clear();
    return hit !== null;
  }

  /** Runs `command` (one line or many, as typed) and waits for the prompt, at most `limitMs`. */
  async run(command: string, limitMs: number): Promise<SessionRun> {
    this.clear();
    const n = ++this.counter;
    const echo = `${command}\n`.replace(/\r?\n/g, '\r\n');
    this.onTerminal?.(echo);
    this.machine.sendBytes(toSerialBytes(`${command}\n`) + sentinelLine(n));
    const hit = await this.waitFor(this.sentinelFound(n), limitMs);
    if (hit) {
      const text = this.text();
      // The body ends with the prompt bash printed after the command; the sentinel's own prompt is not shown.
      const body = text.slice(0, hit.at);
      const shown = utf8(stripMarkers(body));
      const raw = echo + shown;
      this.onTerminal?.(shown);
      const result = { output: this.clean(body), raw, status: hit.status, timedOut: false, answered: true, truncated: this.truncated };
      this.clear();
      return result;
    }
    // Over the limit: Ctrl-C, as a terminal sends it (the line discipline also drops the typed-ahead sentinel).
    this.machine.sendBytes('\x03');
    const before = this.text();
    const prompted = await this.waitFor((t) => (t.indexOf(PROMPT_END, before.length) >= 0 ? true : null), INTERRUPT_GRACE_MS);
    const body = this.text();
    const truncated = this.truncated;
    const answered = prompted !== null && (await this.sync());
    const shown = utf8(stripMarkers(body));
    this.onTerminal?.(shown);
    return { output: this.clean(stripPromptTail(body)), raw: echo + shown, status: null, timedOut: true, answered, truncated };
  }

  /** Output as a program reads it: no prompts, no terminal escape codes (`ls`'s colours), LF line ends. */
  private clean(body: string): string {
    return utf8(stripPrompts(body)).replace(TERMINAL_ESCAPES, '').replace(/\r\n/g, '\n');
  }

  dispose(): void {
    this.stopListening();
    this.waiter = undefined;
  }
}

/** An interrupted command's text ends with the prompt bash printed after Ctrl-C; drop it from the output. */
function stripPromptTail(text: string): string {
  const at = text.lastIndexOf(PROMPT_START);
  return at >= 0 && text.indexOf(PROMPT_END, at) >= 0 ? text.slice(0, at) : text;
}

