import { randomBytes } from 'crypto';
import { Deployment } from './deployment';
import { Namespace } from './netns';

/**
 * Bookkeeping for one scenario: its namespace, the run id shared by its traces, timings per step, and the report
 * printed at the end (pods, Service names, every config change, step durations) whether it passed or not.
 */
export class ScenarioRun {
  public readonly ns = Namespace.create();
  public readonly run = randomBytes(6).toString('hex');
  public deployment?: Deployment;
  private readonly started = Date.now();
  private readonly steps: string[] = [];
  private last = Date.now();
  private readonly notes: string[] = [];

  constructor(public readonly title: string) {}

  /** Records how long the step since the previous mark took. */
  public mark(step: string): void {
    const now = Date.now();
    this.steps.push(`  ${((now - this.last) / 1000).toFixed(1).padStart(6)} s  ${step}`);
    this.last = now;
  }

  /** A line for the report (what was checked, what arrived). */
  public note(line: string): void {
    this.notes.push(`  ${line}`);
  }

  /** Prints the report and removes processes, namespace and folders (kept with E2E_KEEP=1 for debugging). */
  public async finish(): Promise<void> {
    const total = ((Date.now() - this.started) / 1000).toFixed(1);
    const report = [
      `e2e scenario "${this.title}": ${total} s (namespace ${this.ns.name})`,
      this.deployment?.report() ?? '',
      'steps:',
      ...this.steps,
      'checked:',
      ...this.notes,
      ...(this.deployment?.exitedTails() ?? []).map((t) => `EXITED ${t}`),
    ].join('\n');
    // eslint-disable-next-line no-console
    console.log(report);
    await this.ns.destroy(process.env.E2E_KEEP === '1');
  }
}
