/** Download progress as the UI shows it, and the sliding-window speed behind it. */

export type FileStatus = 'stored' | 'verifying' | 'downloading' | 'done';

export interface DownloadProgress {
  /** The file this event is about (manifest path). */
  file: string;
  status: FileStatus;
  fileLoaded: number;
  fileTotal: number;
  /** Bytes present over all files the dtype needs (already stored ones included). */
  loaded: number;
  total: number;
  /** Network bytes per second over the last few seconds; 0 until measurable. */
  bytesPerSecond: number;
  /** Estimated seconds until `loaded === total`; null while the speed is unknown. */
  secondsLeft: number | null;
}

/** Speed over a sliding window of (time, cumulative bytes) samples. */
export class SpeedMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  private bytes = 0;

  constructor(
    private readonly windowMs = 5000,
    /** Shorter spans give no figure: a few chunks arriving together would read as a huge speed. */
    private readonly minSpanMs = 500,
  ) {}

  add(bytes: number, now: number): void {
    this.bytes += bytes;
    const last = this.samples[this.samples.length - 1];
    // Chunks arrive every few milliseconds; one sample per 100 ms keeps the window small.
    if (last && now - last.t < 100 && this.samples.length > 1) last.bytes = this.bytes;
    else this.samples.push({ t: now, bytes: this.bytes });
    this.prune(now);
  }

  /** After a pause the window holds no new bytes, so the speed falls to zero. */
  bytesPerSecond(now: number): number {
    this.prune(now);
    const first = this.samples[0];
    if (!first || now - first.t < this.minSpanMs) return 0;
    return ((this.bytes - first.bytes) * 1000) / (now - first.t);
  }

  /** Keeps one sample at or before the window's start, so the span covers the whole window. */
  private prune(now: number): void {
    while (this.samples.length > 1 && this.samples[1].t <= now - this.windowMs) this.samples.shift();
  }
}

export function secondsLeft(remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0;
  return bytesPerSecond > 0 ? remainingBytes / bytesPerSecond : null;
}
