/**
 * fast-check generators of random VALID pipeglot definitions, covering every construct of the
 * format: stage and job DAGs, approvals, disabled transitions, conditions, artifacts across stages
 * and approvals, matrices producing artifacts, run and native steps (for one provider, several, or
 * only another one), step and job settings, every trigger kind, variables, secrets with references
 * for some providers only, defaults, concurrency, targets (absent or realistic) and names near the
 * length limits. Validity is by construction (needs only point backwards, consumers run after their
 * producers, names are unique once folded); the tests that use these assert it with `validate`.
 */
import fc from "fast-check";
import { escapeLiteral, foldName, type PipelineDocument, type ProviderId } from "@pipeglot/schema";

type Doc = PipelineDocument;
type Stage = Doc["stages"][number];
type Job = Stage["jobs"][number];
type Step = Job["steps"][number];
type Condition = NonNullable<Job["condition"]>;
type Native = NonNullable<Job["native"]>;
type Filter = string[] | { include?: string[]; exclude?: string[] };

const PROVIDERS: ProviderId[] = ["aws", "azure", "gcp", "oci"];
const opt = <T>(a: fc.Arbitrary<T>, freq = 1): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq });

/** A format name (letters, digits, . _ -): short words, mixed case and separators, or long up to `max`. */
export const nameArb = (max = 100): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constantFrom("build", "test", "deploy", "lint", "package", "release", "Build_App", "e2e.tests", "v1.2", "0day", "step-2", "Step_1"),
    },
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/) },
    { weight: 1, arbitrary: fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{${max - 12},${max - 1}}$`)) },
  );
export const envNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("NODE_ENV", "REGION", "TOKEN", "_PRIVATE", "a_lower", "CI"),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{30,60}$/),
);
const durationArb = fc.constantFrom("1s", "59s", "90s", "5m", "30m", "1h", "1h30m", "8h", "2d", "1d12h", "30d", "45d");
/** Globs; a character class (which Azure's filters cannot express, so its compile refuses) is rarer, to keep the rest checked. */
const globArb = fc.oneof(
  { weight: 19, arbitrary: fc.constantFrom("main", "develop", "release/*", "feature/**", "docs/**", "*.md", "src/**/*.ts", "v*", "hotfix-*") },
  { weight: 1, arbitrary: fc.constant("v[0-9]*") },
);
const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  fc.array(globArb, { minLength: 1, maxLength: 3 }),
  fc.record({ include: fc.array(globArb, { minLength: 1, maxLength: 2 }), exclude: fc.array(globArb, { minLength: 1, maxLength: 2 }) }, { requiredKeys: [] }),
);
/** Free text for descriptions, reasons and instructions: mostly prose, sometimes anything. */
const proseArb = fc.oneof(
  fc.constantFrom("Build and test", "Check staging first", "Release freeze: ask #ops", 'It\'s "quoted" & <b>', "multi\nline\ntext"),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary-ascii", maxLength: 12 }),
);
const cronArb = fc.constantFrom("0 3 * * 1-5", "*/15 * * * *", "30 2 1 * *", "0 0 * * 0", "5 4 * * *", "0 22 * * 1,3,5");

/** Unique names once folded, as the format requires. */
const uniqueNames = (arb: fc.Arbitrary<string>, minLength: number, maxLength: number) => fc.uniqueArray(arb, { minLength, maxLength, selector: foldName });

/** What the jobs of a pipeline may reference: its declared variables and secrets. */
interface Scope {
  vars: string[];
  secrets: string[];
}

/** A value or command text: literal pieces (escaped) and references to what is declared. */
function textArb(scope: Scope, matrix: string[], command: boolean): fc.Arbitrary<string> {
  const refs: fc.Arbitrary<string>[] = [fc.constantFrom("${{ git.commit }}", "${{ git.branch }}", "$${{ not.a.ref }}", "${{ 'it''s $' }}")];
  if (scope.vars.length) refs.push(fc.constantFrom(...scope.vars).map((v) => `\${{ vars.${v} }}`));
  if (scope.secrets.length) refs.push(fc.constantFrom(...scope.secrets).map((s) => `\${{ secrets.${s} }}`));
  if (matrix.length) refs.push(fc.constantFrom(...matrix).map((m) => `\${{ matrix.${m} }}`));
  const literal = fc
    .oneof(
      {
        weight: 4,
        arbitrary: command
          ? fc.constantFrom(
              "npm ci",
              "make test",
              "echo hi",
              "./deploy.sh --region eu",
              "echo $HOME $(date) `id` #{x} $$ %PATH%",
              "printf '%s\\n' \"a b\"",
              "set -e\nmake\nmake install",
              "",
            )
          : fc.constantFrom("production", "1", "true", "a b", "x=y;z", ""),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    )
    .map(escapeLiteral);
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: literal }, { weight: 2, arbitrary: fc.oneof(...refs) }), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join(" "));
}

const envArb = (scope: Scope, matrix: string[]) =>
  fc.dictionary(
    envNameArb,
    fc.oneof({ weight: 4, arbitrary: textArb(scope, matrix, false) }, { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -5, max: 9999 }), fc.boolean()) }),
    { maxKeys: 3 },
  );

function conditionArb(scope: Scope): fc.Arbitrary<Condition> {
  const status = fc.constantFrom("success", "failure", "always") as fc.Arbitrary<"success" | "failure" | "always">;
  const varKey = scope.vars.length ? fc.oneof(fc.constantFrom(...scope.vars), envNameArb) : envNameArb;
  return fc.oneof(
    status,
    fc.record(
      {
        status,
        branches: fc.array(globArb, { minLength: 1, maxLength: 2 }),
        variables: fc.dictionary(varKey, fc.constantFrom("true", "prod", "a b", "1"), { minKeys: 1, maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
  );
}

/** Realistic native fragments, per provider and level, that the vendor accepts. */
const NATIVE: Record<"pipeline" | "stage" | "job" | "step", Record<ProviderId, Record<string, unknown>[]>> = {
  pipeline: {
    aws: [{ executionMode: "QUEUED" }, { pipelineType: "V2" }],
    azure: [{ name: "$(Date:yyyyMMdd)$(Rev:.r)" }, { pool: { vmImage: "ubuntu-latest" } }],
    gcp: [{ options: { logging: "CLOUD_LOGGING_ONLY" } }, { timeout: "3600s" }],
    oci: [{ description: "from native" }],
  },
  stage: {
    aws: [{ onFailure: { result: "ROLLBACK" } }],
    azure: [{ displayName: "A stage" }, { lockBehavior: "sequential" }],
    gcp: [{ allowFailure: false }],
    oci: [{ description: "stage from native" }],
  },
  job: {
    aws: [
      { project: { environment: { privilegedMode: true } } },
      { project: { queuedTimeoutInMinutes: 30 } },
      { buildspec: { cache: { paths: ["/root/.npm/**/*"] } } },
    ],
    azure: [{ workspace: { clean: "all" } }, { cancelTimeoutInMinutes: 5 }],
    gcp: [{ allowFailure: true }],
    oci: [{ description: "job from native" }],
  },
  step: {
    aws: [{ cache: { paths: ["/root/.m2/**/*"] } }],
    azure: [
      { task: "AzureCLI@2", inputs: { azureSubscription: "conn", scriptType: "bash", scriptLocation: "inlineScript", inlineScript: "az version" } },
      { checkout: "self", fetchDepth: 1 },
    ],
    gcp: [{ entrypoint: "gcloud", args: ["version"] }, { args: ["build", "-t", "img", "."] }],
    oci: [{ command: "echo native", timeoutInSeconds: 60 }],
  },
};

/** A native block: for one or more providers (sometimes only ones a given compile does not target). */
function nativeArb(level: keyof typeof NATIVE): fc.Arbitrary<Native> {
  return fc
    .subarray(PROVIDERS, { minLength: 1, maxLength: 4 })
    .chain((ps) => fc.tuple(...ps.map((p) => fc.constantFrom(...NATIVE[level][p]).map((f) => [p, f] as const))))
    .map((entries) => Object.fromEntries(entries) as Native);
}

function stepArb(scope: Scope, matrix: string[]): fc.Arbitrary<Step> {
  const common = {
    name: opt(nameArb(), 2),
    timeout: opt(durationArb, 3),
    continueOnError: opt(fc.boolean(), 3),
    retries: opt(fc.integer({ min: 0, max: 10 }), 3),
    condition: opt(conditionArb(scope), 4),
  };
  const run = fc.record(
    {
      ...common,
      run: textArb(scope, matrix, true),
      shell: opt(fc.constantFrom("bash", "sh", "pwsh", "python") as fc.Arbitrary<"bash">, 3),
      workingDirectory: opt(fc.constantFrom("deploy", "src/app", "./a b", "/abs/dir"), 4),
      env: opt(envArb(scope, matrix), 3),
    },
    { requiredKeys: ["run"] },
  );
  const native = fc.record(
    { ...common, native: nativeArb("step"), workingDirectory: opt(fc.constantFrom("deploy", "src/app"), 6), env: opt(envArb(scope, matrix), 6) },
    { requiredKeys: ["native"] },
  );
  return fc.oneof({ weight: 5, arbitrary: run }, { weight: 1, arbitrary: native }).map(dropUndefined);
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const matrixArb = fc.dictionary(
  fc.constantFrom("os", "node", "region", "PY_VER", "_x"),
  fc.uniqueArray(fc.oneof(fc.constantFrom("linux", "eu-west-1", "3.12", "a b"), fc.integer({ min: 0, max: 22 }), fc.boolean()), {
    minLength: 1,
    maxLength: 3,
    selector: String,
  }),
  { minKeys: 1, maxKeys: 2 },
);

/** The parts of a job drawn before the pipeline's DAG decides what it may need and consume. */
const jobDraftArb = (scope: Scope) =>
  fc.record({
    name: nameArb(),
    description: opt(proseArb, 4),
    image: opt(
      fc.constantFrom("node:20", "alpine:3", "python:3.12", "ghcr.io/acme/builder:1.2@sha256:" + "a".repeat(64), "mcr.microsoft.com/dotnet/sdk:8.0"),
      2,
    ),
    runner: opt(fc.constantFrom("small", "medium", "large", "xlarge") as fc.Arbitrary<"small">, 3),
    environment: opt(fc.constantFrom("staging", "production", "prod-eu.1", "dev_env"), 4),
    timeout: opt(durationArb, 3),
    retries: opt(fc.integer({ min: 0, max: 10 }), 4),
    condition: opt(conditionArb(scope), 4),
    native: opt(nativeArb("job"), 6),
    matrix: opt(matrixArb, 4),
    produce: fc.array(
      fc.record({
        name: nameArb(),
        paths: fc.array(fc.constantFrom("dist/**", "build/libs/*.jar", "out", "report.xml", "a b/*.txt"), { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    consumeSeeds: fc.array(fc.nat(), { maxLength: 2 }),
    needSeeds: fc.array(fc.nat(), { maxLength: 2 }),
    envSeed: fc.boolean(),
    stepsSeed: fc.nat(),
    emptyWithNative: fc.boolean(),
  });

type JobDraft = ReturnType<typeof jobDraftArb> extends fc.Arbitrary<infer T> ? T : never;

interface StageDraft {
  name: string;
  description?: string;
  needSeeds: number[];
  needsMode: "default" | "explicit" | "root";
  approval?: NonNullable<Stage["approval"]>;
  transition?: { enabled: boolean; reason?: string };
  condition?: Condition;
  native?: Native;
  jobs: JobDraft[];
  steps: Step[][];
  envs: Record<string, string | number | boolean>[];
}

const approvalArb = fc.record(
  {
    approvers: fc.array(fc.constantFrom("release-managers", "alice@acme.example", "[acme]\\Release Approvers", "ops"), { maxLength: 2 }),
    timeout: durationArb,
    instructions: proseArb,
    notify: fc.array(fc.constantFrom("ops@acme.example", "arn:aws:sns:eu-west-1:123456789012:approvals", "team"), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

function stageDraftArb(scope: Scope): fc.Arbitrary<StageDraft> {
  return fc
    .record({
      name: nameArb(),
      description: opt(proseArb, 4),
      needSeeds: fc.array(fc.nat(), { maxLength: 2 }),
      needsMode: fc.constantFrom("default", "default", "explicit", "root") as fc.Arbitrary<StageDraft["needsMode"]>,
      approval: opt(approvalArb, 3),
      transition: opt(fc.record({ enabled: fc.boolean(), reason: opt(proseArb) }).map(dropUndefined), 3),
      condition: opt(conditionArb(scope), 4),
      native: opt(nativeArb("stage"), 6),
      jobs: fc.uniqueArray(jobDraftArb(scope), { minLength: 1, maxLength: 3, selector: (j) => foldName(j.name) }),
    })
    .chain((s) =>
      fc
        .record({
          steps: fc.tuple(...s.jobs.map((j) => stepsArb(scope, Object.keys(j.matrix ?? {})))),
          envs: fc.tuple(...s.jobs.map((j) => envArb(scope, Object.keys(j.matrix ?? {})))),
        })
        .map(({ steps, envs }) => ({ ...dropUndefined(s), steps, envs })),
    );
}

const stepsArb = (scope: Scope, matrix: string[]) =>
  fc.array(stepArb(scope, matrix), { minLength: 1, maxLength: 4 }).map((steps) => {
    // Step names are unique once folded, and never of the form step-<n> (the id of an unnamed step).
    const seen = new Set<string>();
    return steps.map((st) => {
      if (st.name === undefined) return st;
      const f = foldName(st.name);
      if (!seen.has(f) && !/^step-\d+$/.test(st.name)) {
        seen.add(f);
        return st;
      }
      const { name: _, ...rest } = st;
      return rest;
    });
  });

/** Everything an ancestor set is made of: indices before i, chosen by seeds. */
const pick = (seeds: number[], i: number): number[] => [...new Set(seeds.map((s) => s % i))].sort((a, b) => a - b);

function closure(needs: number[][]): Set<number>[] {
  const anc: Set<number>[] = [];
  needs.forEach((ns, i) => {
    anc[i] = new Set(ns.flatMap((n) => [n, ...anc[n]!]));
  });
  return anc;
}

function stageNeeds(stages: StageDraft[]): number[][] {
  return stages.map((s, i) =>
    i === 0 ? [] : s.needsMode === "default" ? [i - 1] : s.needsMode === "root" ? [] : pick(s.needSeeds.length ? s.needSeeds : [i - 1], i),
  );
}

function buildStage(s: StageDraft, i: number, needs: number[], stages: StageDraft[], visible: (k: number) => string[], produced: Map<string, string>): Stage {
  const jobNeeds = s.jobs.map((j, k) => (k === 0 ? [] : pick(j.needSeeds, k)));
  const jobAnc = closure(jobNeeds);
  const gated = needs.length > 0;
  const jobs: Job[] = s.jobs.map((j, k) => {
    const own = [...jobAnc[k]!].flatMap((a) => s.jobs[a]!.produce.map((_, n) => produced.get(`${i}/${a}/${n}`)).filter((x): x is string => x !== undefined));
    const available = [...visible(k), ...own];
    const consume = available.length ? [...new Set(j.consumeSeeds.map((c) => available[c % available.length]!))] : [];
    const produce = j.produce.flatMap((p, n) => (produced.has(`${i}/${k}/${n}`) ? [{ name: produced.get(`${i}/${k}/${n}`)!, paths: p.paths }] : []));
    const steps = j.emptyWithNative && j.native ? [] : s.steps[k]!;
    return dropUndefined({
      name: j.name,
      description: j.description,
      needs: jobNeeds[k]!.length ? jobNeeds[k]!.map((n) => s.jobs[n]!.name) : undefined,
      image: j.image,
      runner: j.runner,
      env: j.envSeed && Object.keys(s.envs[k]!).length ? s.envs[k] : undefined,
      steps,
      artifacts:
        produce.length || consume.length
          ? dropUndefined({ produce: produce.length ? produce : undefined, consume: consume.length ? consume : undefined })
          : undefined,
      environment: j.environment,
      timeout: j.timeout,
      retries: j.retries,
      matrix: j.matrix,
      condition: j.condition,
      native: j.native,
    }) as Job;
  });
  return dropUndefined({
    name: s.name,
    description: s.description,
    needs: s.needsMode === "default" || i === 0 ? undefined : needs.map((n) => stages[n]!.name),
    condition: s.condition,
    approval: gated ? s.approval : undefined,
    transition: gated ? s.transition : undefined,
    jobs,
    native: s.native,
  }) as Stage;
}

/** Artifact names unique across the pipeline (once folded): later duplicates are dropped. */
function artifactNames(stages: StageDraft[]): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  stages.forEach((s, i) =>
    s.jobs.forEach((j, k) =>
      j.produce.forEach((p, n) => {
        if (seen.has(foldName(p.name))) return;
        seen.add(foldName(p.name));
        out.set(`${i}/${k}/${n}`, p.name);
      }),
    ),
  );
  return out;
}

function buildStages(drafts: StageDraft[]): Stage[] {
  const needs = stageNeeds(drafts);
  const anc = closure(needs);
  const produced = artifactNames(drafts);
  const fromStage = (i: number) =>
    drafts[i]!.jobs.flatMap((j, k) => j.produce.map((_, n) => produced.get(`${i}/${k}/${n}`)).filter((x): x is string => x !== undefined));
  return drafts.map((s, i) => buildStage(s, i, needs[i]!, drafts, () => [...anc[i]!].flatMap(fromStage), produced));
}

const variablesArb = (names: string[]) =>
  fc.tuple(
    ...names.map((n) =>
      fc
        .oneof(
          fc.constantFrom("production", "eu-west-1", "", "a b c", "$(notamacro)", "${NOT_SUBST}", "two\nlines", "#{codepipeline.x}", 'it\'s "q"'),
          fc.integer({ min: 0, max: 100 }),
          fc.boolean(),
          fc.record(
            { default: fc.oneof(fc.constantFrom("x", "1.2.3", ""), fc.integer(), fc.boolean()), description: proseArb, overridable: fc.boolean() },
            { requiredKeys: [] },
          ),
        )
        .map((v) => [n, v] as const),
    ),
  );

const SECRET_REFS: Record<ProviderId, fc.Arbitrary<string>> = {
  aws: fc.constantFrom(
    "secretsmanager:shop/npm-token",
    "ssm:/shop/token",
    "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf:password",
  ),
  azure: fc.constantFrom("group:shop-secrets/NPM_TOKEN", "group:Release Secrets/db.password"),
  gcp: fc.constantFrom("projects/acme/secrets/npm-token/versions/latest", "projects/123456/secrets/db_pass/versions/3"),
  oci: fc.constantFrom("ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaaexample", "ocid1.vaultsecret.oc1..example"),
};

const secretsArb = (names: string[]) =>
  fc.tuple(
    ...names.map((n) =>
      fc
        .record({
          description: opt(proseArb, 3),
          aws: opt(SECRET_REFS.aws),
          azure: opt(SECRET_REFS.azure),
          gcp: opt(SECRET_REFS.gcp),
          oci: opt(SECRET_REFS.oci),
        })
        .map((s) => [n, dropUndefined(s)] as const),
    ),
  );

const triggersArb = fc.record(
  {
    push: fc.record({ branches: filterArb, tags: filterArb, paths: filterArb }, { requiredKeys: [] }),
    pullRequest: fc.record(
      { branches: filterArb, paths: filterArb, events: fc.subarray(["opened", "updated", "reopened", "closed"] as const, { minLength: 1 }).map((e) => [...e]) },
      { requiredKeys: [] },
    ),
    schedules: fc.array(fc.record({ cron: cronArb, branches: fc.array(globArb, { maxLength: 2 }), always: fc.boolean() }, { requiredKeys: ["cron"] }), {
      minLength: 1,
      maxLength: 2,
    }),
    manual: fc.boolean(),
  },
  { requiredKeys: [] },
);

const targetsArb = fc.record(
  {
    aws: fc.record(
      {
        region: fc.constantFrom("eu-west-1", "us-east-1"),
        accountId: fc.constant("123456789012"),
        roleArn: fc.constant("arn:aws:iam::123456789012:role/cp-role"),
        artifactBucket: fc.constantFrom("my-artifacts", "acme.ci-artifacts"),
        connectionArn: fc.constant("arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666"),
        codebuildRoleArn: fc.constant("arn:aws:iam::123456789012:role/cb-role"),
        notificationArn: fc.constant("arn:aws:sns:eu-west-1:123456789012:approvals"),
        computeType: fc.constantFrom("BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"),
        stageMode: fc.constant("serialize" as const),
      },
      { requiredKeys: [] },
    ),
    azure: fc.record(
      {
        organization: fc.constant("https://dev.azure.com/acme"),
        project: fc.constantFrom("shop", "Shop Web"),
        yamlPath: fc.constantFrom("azure-pipelines.yml", "ci/pipeline.yml"),
        folder: fc.constantFrom("\\", "\\ci\\web"),
        repositoryType: fc.constantFrom("github", "tfsgit", "bitbucket") as fc.Arbitrary<"github">,
        serviceConnection: fc.constant("github-conn"),
        pool: fc.constantFrom("Default", "linux agents"),
        approvalMode: fc.constantFrom("job", "environment") as fc.Arbitrary<"job">,
      },
      { requiredKeys: [] },
    ),
    gcp: fc.record(
      {
        project: fc.constantFrom("acme-ci", "acme-prod-123"),
        region: fc.constantFrom("europe-west1", "global"),
        serviceAccount: fc.constant("projects/acme-ci/serviceAccounts/cb@acme-ci.iam.gserviceaccount.com"),
        artifactBucket: fc.constantFrom("acme-artifacts", "gs://acme-artifacts"),
        machineType: fc.constantFrom("E2_HIGHCPU_8", "E2_MEDIUM"),
        connection: fc.constant("projects/acme-ci/locations/europe-west1/connections/gh"),
      },
      { requiredKeys: [] },
    ),
    oci: fc.record(
      {
        region: fc.constantFrom("eu-frankfurt-1", "us-ashburn-1"),
        compartmentId: fc.constant("ocid1.compartment.oc1..aaaaexample"),
        projectId: fc.constant("ocid1.devopsproject.oc1.eu-frankfurt-1.aaaaexample"),
        connectionId: fc.constant("ocid1.devopsconnection.oc1.eu-frankfurt-1.aaaaexample"),
        repositoryUrl: fc.constant("https://github.com/acme/app.git"),
        runnerImage: fc.constantFrom("OL7_X86_64_STANDARD_10", "OL8_X86_64_STANDARD_10"),
        shape: fc.constant("CI.Standard.E4.Flex"),
        subnetId: fc.constant("ocid1.subnet.oc1.eu-frankfurt-1.aaaaexample"),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const headerArb = fc.record({
  name: nameArb(64),
  description: opt(proseArb, 3),
  source: fc
    .record({
      repository: fc.constantFrom("acme/app", "acme/shop-web", "Acme Org/Project Repo", "group/sub/proj"),
      branch: opt(fc.constantFrom("main", "master", "release/2.x")),
      provider: opt(fc.constantFrom("github", "gitlab", "bitbucket", "azure-repos", "codecommit") as fc.Arbitrary<"github">),
    })
    .map(dropUndefined),
  triggers: opt(triggersArb.map(dropUndefined), 2),
  concurrency: opt(fc.constantFrom("queue", "supersede", "parallel") as fc.Arbitrary<"queue">, 2),
  defaults: opt(
    fc.record(
      {
        image: fc.constantFrom("node:20", "ubuntu:24.04"),
        runner: fc.constantFrom("small", "large") as fc.Arbitrary<"small">,
        timeout: durationArb,
        retries: fc.integer({ min: 0, max: 3 }),
      },
      { requiredKeys: [] },
    ),
    2,
  ),
  targets: opt(targetsArb, 1),
  native: opt(nativeArb("pipeline"), 6),
  params: uniqueNames(envNameArb, 0, 5).chain((names) => fc.tuple(fc.constant(names), fc.nat(names.length))),
});

/** A random valid definition (validity by construction; assert it with `validate`). */
export const documentArb: fc.Arbitrary<PipelineDocument> = headerArb.chain((h) => {
  // Variables and secrets share one namespace (upper-cased and folded), so split one unique list.
  const [params, split] = h.params;
  const names = params.filter((p, i) => params.findIndex((q) => q.toUpperCase() === p.toUpperCase()) === i);
  const scope: Scope = { vars: names.slice(0, split), secrets: names.slice(split) };
  return fc
    .record({
      vars: variablesArb(scope.vars),
      secrets: secretsArb(scope.secrets),
      stages: fc.uniqueArray(stageDraftArb(scope), { minLength: 1, maxLength: 4, selector: (s) => foldName(s.name) }),
    })
    .map(
      ({ vars, secrets, stages }) =>
        dropUndefined({
          pipeglot: 1 as const,
          name: h.name,
          description: h.description,
          source: h.source,
          triggers: h.triggers,
          concurrency: h.concurrency,
          variables: vars.length ? Object.fromEntries(vars) : undefined,
          secrets: secrets.length ? Object.fromEntries(secrets) : undefined,
          defaults: h.defaults,
          stages: buildStages(stages),
          targets: h.targets,
          native: h.native,
        }) as PipelineDocument,
    );
});
