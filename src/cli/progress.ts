// A cli-progress bar over the steps of a long command, on stderr, only when stderr is a terminal
// (so piped output and the output folder never depend on it).
import cliProgress from 'cli-progress';

export interface StepBar {
  step(name: string, index: number, total: number): void;
  stop(): void;
}

export function stepBar(title: string): StepBar {
  if (!process.stderr.isTTY) return { step: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} {step}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    step(name, index, total) {
      if (!started) {
        bar.start(total, index, { step: name });
        started = true;
      } else bar.update(index, { step: name });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Progress as plain lines on stderr (long runs whose stderr is not a terminal). */
export function lineSteps(title: string): StepBar {
  const t0 = Date.now();
  return {
    step(name, index, total) {
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      process.stderr.write(`${title}: step ${index + 1}/${total}: ${name} (${secs} s)\n`);
    },
    stop: () => undefined,
  };
}
