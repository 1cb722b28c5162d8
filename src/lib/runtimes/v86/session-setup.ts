/**
 * How the runtime talks to the guest's bash on the serial console. The login shell is set up once, before
 * the machine state is saved: no terminal echo (the runtime knows what it typed), Docker's default tty size,
 * and private OSC sequences (`ESC ] 6973 ; ... BEL`, which terminals ignore) around every prompt and after a
 * sentinel the runtime types after each command, so output is cut at exact points rather than guessed from a
 * prompt pattern as AgentBench's harness does (agentbench-task.py lines 61-76).
 */
export const OSC = '\x1b]6973;';
export const BEL = '\x07';
export const PROMPT_START = `${OSC}P${BEL}`;
export const PROMPT_END = `${OSC}Q${BEL}`;

/** `__vm_mark N` prints `OSC D;N;<status of the previous command> BEL` and keeps `$?` as it was. */
export const SESSION_SETUP =
  " set +o emacs +o vi; stty -echo cols 80 rows 24; __vm_mark() { local s=$?; printf '\\033]6973;D;%s;%s\\007' \"$1\" \"$s\"; return $s; };" +
  ' PS1="\\[\\033]6973;P\\007\\]$PS1\\[\\033]6973;Q\\007\\]"; PS2="\\[\\033]6973;P\\007\\]$PS2\\[\\033]6973;Q\\007\\]"';

/** The sentinel line typed after a command (a leading space keeps it out of history: HISTCONTROL=ignoreboth). */
export function sentinelLine(n: number): string {
  return ` __vm_mark ${n}\n`;
}

export function sentinelPattern(n: number): string {
  return `${OSC}D;${n};`;
}
