// Byte-based progress over all files of one import, throttled so a UI progress bar is not
// flooded (at most one report per 1% or per 64 KiB, whichever is larger, plus the final one).
import type { ImportProgress } from './types';

export class ProgressTracker {
  private bytesRead = 0;
  private lastReported = -1;
  private readonly step: number;

  constructor(
    readonly totalBytes: number,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {
    this.step = Math.max(64 * 1024, Math.floor(totalBytes / 100));
  }

  advance(file: string, delta: number): void {
    this.bytesRead += delta;
    if (!this.onProgress) return;
    if (this.bytesRead - this.lastReported >= this.step || this.bytesRead >= this.totalBytes) {
      this.lastReported = this.bytesRead;
      this.onProgress({ file, bytesRead: Math.min(this.bytesRead, this.totalBytes), totalBytes: this.totalBytes });
    }
  }

  /** Final report, so a bar always reaches 100% even when files shrank or were skipped. */
  done(file: string): void {
    if (this.onProgress && this.lastReported !== this.totalBytes) {
      this.lastReported = this.totalBytes;
      this.onProgress({ file, bytesRead: this.totalBytes, totalBytes: this.totalBytes });
    }
  }
}
