/**
 * Progress of a long `cfes` run on stderr: on a TTY one bar redrawn in place
 * (`[#####-----] 1200/5000  240/s  ETA 16 s`), otherwise one plain line every few seconds (logs
 * and CI keep a readable record).
 */
export interface ProgressOutput {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** Milliseconds clock (tests pass a fake one). */
  readonly now?: () => number;
  /** Least time between two log lines off a TTY. */
  readonly everyMs?: number;
}

export interface ProgressMeter {
  update(label: string, done: number, total: number | undefined): void;
  /** Ends the bar's line (TTY), so what follows starts on a fresh one. */
  finish(): void;
}

const BAR_WIDTH = 24;

export function createProgress(output: ProgressOutput): ProgressMeter {
  const now = output.now ?? Date.now;
  const everyMs = output.everyMs ?? 3_000;
  const started = now();
  let lastLine = started;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      if (!output.isTTY && t - lastLine < everyMs) return;
      lastLine = t;
      const line = progressLine(label, done, total, t - started);
      if (output.isTTY) {
        output.write(`\r\u001b[2K${line}`);
        drawn = true;
      } else output.write(`${line}\n`);
    },
    finish() {
      if (drawn) output.write('\n');
      drawn = false;
    },
  };
}

/** `label [####------] done/total  rate/s  ETA n s` (bar and ETA only when the total is known). */
export function progressLine(
  label: string,
  done: number,
  total: number | undefined,
  elapsedMs: number,
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const parts = [label];
  if (total !== undefined && total > 0) {
    const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`, `${done}/${total}`);
  } else parts.push(String(done));
  parts.push(`${rate.toFixed(rate >= 10 ? 0 : 1)}/s`);
  if (total !== undefined && rate > 0 && done < total) {
    parts.push(`ETA ${Math.ceil((total - done) / rate)} s`);
  }
  return parts.join('  ');
}
