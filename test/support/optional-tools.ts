/**
 * Suites that need a program the README's install command does not bring (promtool, the Tempo binaries).
 * Missing on a developer's machine: the suite is skipped with one notice saying how to enable it.
 * Missing in CI (`.ci/run` sets the `required` variable): the suite fails and names what is missing.
 */
export interface OptionalTool {
  /** What is missing; empty when everything is present. */
  readonly missing: readonly string[];
  /** Environment variable that turns a skip into a failure (set by CI). */
  readonly requiredEnv: string;
  /** How to enable the suite. */
  readonly hint: string;
}

/** Whether CI demands the tool (its `requiredEnv` is `1`). */
export function toolRequired(tool: OptionalTool): boolean {
  return process.env[tool.requiredEnv] === '1';
}

/** `describe` when the tool is present; otherwise a skipped suite with a notice, or a failing one in CI. */
export function describeWithTool(title: string, tool: OptionalTool, body: () => void): void {
  if (!tool.missing.length) {
    describe(title, body);
  } else if (toolRequired(tool)) {
    describe(title, () => {
      test('required tools are present', () => {
        throw new Error(`${title}: missing ${tool.missing.join(', ')} (${tool.requiredEnv}=1); ${tool.hint}`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.log(`skipped "${title}": ${tool.missing.join(', ')} not found; ${tool.hint}`);
    describe.skip(title, body);
  }
}
