/**
 * The Cloud Build build config (`cloudbuild.yaml`), as a typed model.
 * https://cloud.google.com/build/docs/build-config-file-schema
 * https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#Build
 */

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#buildstep */
export interface BuildStep {
  /** Required: the container image the step runs in. */
  name: string;
  id?: string;
  entrypoint?: string;
  args?: string[];
  /** Mutually exclusive with args; not substituted by Cloud Build. */
  script?: string;
  /** KEY=VALUE strings. */
  env?: string[];
  secretEnv?: string[];
  dir?: string;
  /** "-" = start at build start; absent = wait for every previous step. */
  waitFor?: string[];
  /** Duration string, e.g. "600s". */
  timeout?: string;
  allowFailure?: boolean;
  allowExitCodes?: number[];
  volumes?: Volume[];
  automapSubstitutions?: boolean;
  [extra: string]: unknown;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#volume */
interface Volume {
  name: string;
  path: string;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#secrets */
interface AvailableSecrets {
  secretManager?: { versionName: string; env: string }[];
  inline?: { kmsKeyName: string; envMap: Record<string, string> }[];
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#buildoptions */
interface BuildOptions {
  /** UNSPECIFIED | N1_HIGHCPU_8 | N1_HIGHCPU_32 | E2_HIGHCPU_8 | E2_HIGHCPU_32 | E2_MEDIUM | E2_STANDARD_2 */
  machineType?: string;
  /** MUST_MATCH (default) | ALLOW_LOOSE */
  substitutionOption?: string;
  dynamicSubstitutions?: boolean;
  automapSubstitutions?: boolean;
  logging?: string;
  env?: string[];
  secretEnv?: string[];
  [extra: string]: unknown;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#artifacts */
export interface Artifacts {
  objects?: { location: string; paths: string[] };
  [extra: string]: unknown;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#Build (the writable fields a config file uses) */
export interface Build {
  steps: BuildStep[];
  timeout?: string;
  queueTtl?: string;
  substitutions?: Record<string, string>;
  availableSecrets?: AvailableSecrets;
  /** Legacy KMS-encrypted secrets. */
  secrets?: { kmsKeyName: string; secretEnv: Record<string, string> }[];
  artifacts?: Artifacts;
  images?: string[];
  options?: BuildOptions;
  tags?: string[];
  serviceAccount?: string;
  logsBucket?: string;
  [extra: string]: unknown;
}
export const STEP_FIELDS = new Set([
  "name",
  "id",
  "entrypoint",
  "args",
  "script",
  "env",
  "secretEnv",
  "dir",
  "waitFor",
  "timeout",
  "allowFailure",
  "allowExitCodes",
  "volumes",
  "automapSubstitutions",
]);

/** Cloud Build accepts snake_case spellings of fields in config files (real files use them); the API names are camelCase. */
export function camelize(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "600s", "1.5s" → seconds; undefined when not a duration string. */
export function parseDurationString(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+)(?:\.(\d{0,9}))?s$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) + (m[2] ? Number(`0.${m[2]}`) : 0);
}

export const durationString = (seconds: number): string => `${Math.round(seconds)}s`;

const GO_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };

/**
 * A duration as Google's own config reader accepts it beyond the documented "<seconds>s": a Go
 * duration such as "30m" or "1h30m" (real configs use them). Seconds; undefined when neither.
 */
export function parseLenientDuration(v: unknown): number | undefined {
  const strict = parseDurationString(v);
  if (strict !== undefined || typeof v !== "string") return strict;
  const text = v.trim();
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * GO_UNITS[m[2]!]!;
  return total;
}

/** Seconds → the proto Duration JSON form ("1800s", "1.5s"). */
export const protoDuration = (seconds: number): string => `${Number(seconds.toFixed(9))}s`;
