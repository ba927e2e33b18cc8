/** Options of a bounded wait: total time and the pause between attempts (so the attempt count is bounded too). */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/** Thrown by a probe to end a wait at once (e.g. the process it waits for has exited). */
export class WaitAborted extends Error {}

/**
 * Polls `probe` until it returns a value other than undefined/false, at most `timeoutMs` (attempts are spaced by
 * `intervalMs`, so their number is bounded). The last error or value is named in the timeout message.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const interval = opts.intervalMs ?? 1000;
  const deadline = Date.now() + opts.timeoutMs;
  const maxAttempts = Math.ceil(opts.timeoutMs / interval) + 1;
  let last = '';
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt++) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = `returned ${String(v)}`;
    } catch (e) {
      if (e instanceof WaitAborted) throw e;
      last = (e as Error).message;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what} (last: ${last})`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
