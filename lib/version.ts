import type { TempoSchemaVersion } from './config/schema-validation';

/** A Tempo release line this library has the configuration key schema for. */
interface ReleaseLine {
  readonly line: string;
  readonly schema: TempoSchemaVersion;
}

// One row per release line: patch releases of a line share its newest patch's key tree
// (Tempo adds configuration keys in minor releases, not in patches).
const RELEASE_LINES: readonly ReleaseLine[] = [
  { line: '2.6', schema: '2.6.1' },
  { line: '2.7', schema: '2.7.2' },
  { line: '2.8', schema: '2.8.4' },
  { line: '2.9', schema: '2.9.5' },
  { line: '2.10', schema: '2.10.8' },
  { line: '3.0', schema: '3.0.3' },
];

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * The Tempo release to deploy. It selects the image tag and the configuration
 * key schema the emitted tempo.yaml is checked against at synth time.
 *
 * Only release lines whose key schema ships with this library are accepted
 * (2.6.x to 2.10.x and 3.0.x); other lines fail at synth time instead of
 * emitting a config Tempo might refuse to parse. 3.x releases deploy Tempo's
 * Kafka-based architecture (see `kafkaArchitecture`).
 */
export class TempoVersion {
  /** Tempo 2.6.1, the version the reference deployment (main.ts) pins. */
  public static readonly V2_6_1 = new TempoVersion('2.6.1', '2.6.1');
  /** Tempo 2.7.2, the newest 2.7 patch release. */
  public static readonly V2_7_2 = new TempoVersion('2.7.2', '2.7.2');
  /** Tempo 2.8.4, the newest 2.8 patch release. */
  public static readonly V2_8_4 = new TempoVersion('2.8.4', '2.8.4');
  /** Tempo 2.9.5, the newest 2.9 patch release. */
  public static readonly V2_9_5 = new TempoVersion('2.9.5', '2.9.5');
  /** Tempo 2.10.8, the newest 2.10 patch release. */
  public static readonly V2_10_8 = new TempoVersion('2.10.8', '2.10.8');
  /** Tempo 3.0.3, the newest 3.0 patch release (Kafka-based write path: live-store, block-builder, backend scheduler and workers). */
  public static readonly V3_0_3 = new TempoVersion('3.0.3', '3.0.3');
  /**
   * The release deployed when `version` is not given: the newest 2.x release this library ships the key tree of.
   * Moving it to a newer minor release is a minor release of cdk8s-tempo (see CHANGELOG); pin `version` to control upgrades.
   */
  public static readonly DEFAULT = TempoVersion.V2_10_8;

  /**
   * Any patch release of a supported line, e.g. `TempoVersion.of('2.10.3')`.
   * @throws if the version is not `MAJOR.MINOR.PATCH` of a supported line.
   */
  public static of(version: string): TempoVersion {
    const m = SEMVER.exec(version);
    const line = m ? RELEASE_LINES.find((l) => l.line === `${m[1]}.${m[2]}`) : undefined;
    if (!line) {
      const allowed = RELEASE_LINES.map((l) => `${l.line}.x`).join(', ');
      throw new Error(`version: "${version}" is not supported; allowed: ${allowed} (a release whose configuration key schema ships with cdk8s-tempo)`);
    }
    return new TempoVersion(version, line.schema);
  }

  private constructor(
    /** The release, e.g. `2.6.1`; also the image tag. */
    public readonly version: string,
    /** The key schema the configuration is validated against. */
    public readonly schemaVersion: TempoSchemaVersion,
  ) {}

  /** `true` if this release is at least `major.minor`. */
  public atLeast(major: number, minor: number): boolean {
    const [maj, min] = this.version.split('.').map(Number);
    return maj > major || (maj === major && min >= minor);
  }

  /**
   * Whether this release has Tempo 3's architecture: distributors write to
   * Kafka, live-stores and block-builders consume it, a backend scheduler and
   * workers replace the compactor; there is no ingester or compactor.
   */
  public get kafkaArchitecture(): boolean {
    return this.atLeast(3, 0);
  }

  /** The default image for this release. */
  public get image(): string {
    return `grafana/tempo:${this.version}`;
  }
}

const TAG_RELEASE = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.-]*)?$/;

/**
 * Errors for Tempo images whose tag names another release line than `version`: the configuration is written
 * and checked for `version`, and Tempo refuses keys its own line does not know. Tags that are not releases
 * (`latest`, `main-1a2b3c`) and digest-only references cannot be checked and pass.
 */
export function imageVersionErrors(version: TempoVersion, images: ReadonlyArray<readonly [option: string, image: string | undefined]>): string[] {
  const line = version.version.split('.').slice(0, 2).join('.');
  const errors: string[] = [];
  for (const [option, image] of images) {
    if (typeof image !== 'string') continue;
    const reference = image.split('@')[0];
    const name = reference.slice(reference.lastIndexOf('/') + 1);
    const colon = name.lastIndexOf(':');
    const m = colon < 0 ? null : TAG_RELEASE.exec(name.slice(colon + 1));
    if (!m || `${m[1]}.${m[2]}` === line) continue;
    errors.push(`${option}: "${image}" is Tempo ${m[1]}.${m[2]} but version is ${version.version} (the configuration is written and checked for ${line}, and Tempo refuses keys its line does not know); allowed: an image of the ${line} line, or version: TempoVersion.of('${name.slice(colon + 1).replace(/^v/, '').split(/[-+]/)[0]}')`);
  }
  return errors;
}
