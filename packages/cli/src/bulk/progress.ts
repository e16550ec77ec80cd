import cliProgress from 'cli-progress';
import type { BulkProgress } from './bulk-run.js';

/** A progress bar with rate and ETA on a terminal; a plain line every 2 s otherwise. */
export function progressReporter(total: number, stream: NodeJS.WriteStream = process.stderr): { update(p: BulkProgress): void; stop(): void } {
  const started = Date.now();
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'bulk [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | failed {failed}', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', failed: 0 });
    let stopped = false;
    return {
      update: (p) => bar.update(p.processed, { rate: (p.processed / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1), failed: p.failed + p.invalid }),
      // Idempotent: called on every exit path, and cli-progress shows the cursor again here.
      stop: () => {
        if (stopped) return;
        stopped = true;
        bar.stop();
      },
    };
  }
  let last = 0;
  let latest: BulkProgress | undefined;
  const line = (p: BulkProgress) => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const rate = p.processed / seconds;
    const eta = rate > 0 ? Math.round((total - p.processed) / rate) : 0;
    stream.write(`bulk: ${p.processed}/${total} (${rate.toFixed(1)}/s, ETA ${eta}s) registered ${p.registered}, recovered ${p.recovered}, skipped ${p.skipped}, invalid ${p.invalid}, failed ${p.failed}\n`);
  };
  return {
    update(p) {
      latest = p;
      if (Date.now() - last >= 2000) {
        last = Date.now();
        line(p);
      }
    },
    stop() {
      if (latest) line(latest);
    },
  };
}
