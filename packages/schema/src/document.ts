/**
 * The neutral pipeline format, version 1, as a zod schema.
 *
 * This is the shape users write in `pipeglot.yaml`. Shorthand forms (a filter as a plain list, a
 * variable as a plain string, a condition as a keyword) are accepted here and resolved by the
 * normalizer, so that compilers only ever see the Pipeline IR (see ir.ts).
 */
import { z } from "zod";

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const DURATION_PATTERN = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;

const name = (what: string) => z.string().min(1).max(100).describe(`${what} name: letters, digits, '.', '_' and '-', starting with a letter or digit`);

const duration = z
  .string()
  .regex(DURATION_PATTERN, { message: "expected a duration such as 90s, 30m, 1h30m or 2d" })
  .refine((s) => s.length > 0, { message: "expected a duration such as 90s, 30m, 1h30m or 2d" })
  .describe("A duration: a sequence of <number><unit> with units d, h, m, s, e.g. 90s, 30m, 1h30m, 2d");

const globList = z.array(z.string().min(1)).describe("Glob patterns: * matches within a path segment, ** across segments");

const filter = z
  .union([
    globList,
    z.strictObject({
      include: globList.optional(),
      exclude: globList.optional(),
    }),
  ])
  .describe("A filter: a list of globs to include, or { include, exclude }");

const nativeBlock = z
  .strictObject({
    aws: z.record(z.string(), z.unknown()).optional(),
    azure: z.record(z.string(), z.unknown()).optional(),
    gcp: z.record(z.string(), z.unknown()).optional(),
    oci: z.record(z.string(), z.unknown()).optional(),
  })
  .describe("Escape hatch: raw provider fragments merged into that provider's output as they are");

const envMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("Environment variables; values may use ${{ vars.X }} and ${{ secrets.X }}");

export const ConditionSchema = z
  .union([
    z.enum(["success", "failure", "always"]),
    z.strictObject({
      status: z.enum(["success", "failure", "always"]).optional().describe("Run after the dependencies succeeded (default), failed, or always"),
      branches: z.array(z.string().min(1)).optional().describe("Run only when the pipeline runs for one of these branch globs"),
      variables: z.record(z.string(), z.string()).optional().describe("Run only when each variable equals the given value"),
    }),
  ])
  .describe("When this runs: success (default), failure, always, or { status, branches, variables }");

export const StepSchema = z
  .strictObject({
    name: name("Step").optional(),
    run: z
      .string()
      .optional()
      .describe("The command text; ${{ vars.X }}, ${{ secrets.X }}, ${{ git.commit }}, ${{ git.branch }} are references; write $${{ for a literal ${{"),
    shell: z.enum(["bash", "sh", "pwsh", "python"]).optional(),
    workingDirectory: z.string().min(1).optional(),
    env: envMap.optional(),
    timeout: duration.optional(),
    continueOnError: z.boolean().optional(),
    retries: z.number().int().min(0).max(10).optional(),
    condition: ConditionSchema.optional(),
    native: nativeBlock.optional(),
  })
  .describe("A step: a command (run) or a provider-native step (native)");

const artifactProduce = z.strictObject({
  name: name("Artifact"),
  paths: z.array(z.string().min(1)).min(1),
});

export const MatrixSchema = z
  .record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1))
  .describe("Run the job once per combination of these values; reference them as ${{ matrix.X }}");

export const JobSchema = z.strictObject({
  name: name("Job"),
  description: z.string().optional(),
  needs: z.array(z.string()).optional().describe("Jobs of the same stage this job waits for (default: none, jobs run in parallel)"),
  image: z.string().min(1).optional().describe("Container image the steps run in (default: defaults.image)"),
  runner: z.enum(["small", "medium", "large", "xlarge"]).optional().describe("Machine size (default: defaults.runner or small)"),
  env: envMap.optional(),
  steps: z.array(StepSchema),
  artifacts: z
    .strictObject({
      produce: z.array(artifactProduce).optional(),
      consume: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  environment: z.string().min(1).optional().describe("Deployment target name (e.g. staging, production)"),
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(10).optional(),
  matrix: MatrixSchema.optional(),
  condition: ConditionSchema.optional(),
  native: nativeBlock.optional(),
});

export const ApprovalSchema = z.strictObject({
  approvers: z.array(z.string().min(1)).optional().describe("Users or groups allowed to approve"),
  timeout: duration.optional(),
  instructions: z.string().optional(),
  notify: z.array(z.string().min(1)).optional().describe("Who is told an approval is waiting (emails, topics, groups)"),
});

export const StageSchema = z.strictObject({
  name: name("Stage"),
  description: z.string().optional(),
  needs: z.array(z.string()).optional().describe("Stages this stage waits for (default: the previous stage; [] for none)"),
  condition: ConditionSchema.optional(),
  approval: ApprovalSchema.optional().describe("A manual approval before this stage starts"),
  transition: z
    .strictObject({ enabled: z.boolean(), reason: z.string().optional() })
    .optional()
    .describe("The inbound transition; enabled: false holds runs before this stage"),
  jobs: z.array(JobSchema).min(1),
  native: nativeBlock.optional(),
});

const variable = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
    overridable: z.boolean().optional().describe("May be set when a run is started (default false)"),
  }),
]);

const secretRef = z.strictObject({
  description: z.string().optional(),
  aws: z.string().min(1).optional().describe("secretsmanager:<name-or-arn>[:json-key] or ssm:<parameter-name>"),
  azure: z.string().min(1).optional().describe("group:<variable-group>/<variable>"),
  gcp: z.string().min(1).optional().describe("projects/<p>/secrets/<s>/versions/<v>"),
  oci: z.string().min(1).optional().describe("The vault secret OCID"),
});

const awsTarget = z.strictObject({
  region: z.string().optional(),
  accountId: z.string().optional(),
  roleArn: z.string().optional(),
  artifactBucket: z.string().optional(),
  connectionArn: z.string().optional(),
  codebuildRoleArn: z.string().optional(),
  notificationArn: z.string().optional(),
  computeType: z.string().optional(),
  stageMode: z.enum(["serialize"]).optional(),
});
const azureTarget = z.strictObject({
  organization: z.string().optional(),
  project: z.string().optional(),
  yamlPath: z.string().optional(),
  folder: z.string().optional(),
  repositoryType: z.enum(["github", "tfsgit", "bitbucket"]).optional(),
  serviceConnection: z.string().optional(),
  pool: z.string().optional(),
  approvalMode: z.enum(["job", "environment"]).optional(),
});
const gcpTarget = z.strictObject({
  project: z.string().optional(),
  region: z.string().optional(),
  serviceAccount: z.string().optional(),
  artifactBucket: z.string().optional(),
  machineType: z.string().optional(),
  connection: z.string().optional(),
});
const ociTarget = z.strictObject({
  region: z.string().optional(),
  compartmentId: z.string().optional(),
  projectId: z.string().optional(),
  connectionId: z.string().optional(),
  repositoryUrl: z.string().optional(),
  runnerImage: z.string().optional(),
  shape: z.string().optional(),
  subnetId: z.string().optional(),
});

export const PipelineDocumentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    pipeglot: z.literal(1).describe("Format version"),
    name: name("Pipeline").max(64),
    description: z.string().optional(),
    source: z.strictObject({
      repository: z.string().min(1).describe("owner/name of the repository"),
      branch: z.string().min(1).optional().describe("Default branch (default: main)"),
      provider: z.enum(["github", "gitlab", "bitbucket", "azure-repos", "codecommit"]).optional(),
    }),
    triggers: z
      .strictObject({
        push: z.strictObject({ branches: filter.optional(), tags: filter.optional(), paths: filter.optional() }).optional(),
        pullRequest: z
          .strictObject({
            branches: filter.optional().describe("Target branches"),
            paths: filter.optional(),
            events: z.array(z.enum(["opened", "updated", "reopened", "closed"])).optional(),
          })
          .optional(),
        schedules: z
          .array(
            z.strictObject({
              cron: z.string().min(1).describe("Five-field cron, UTC"),
              branches: z.array(z.string().min(1)).optional(),
              always: z.boolean().optional().describe("Run even when nothing changed (default true)"),
            }),
          )
          .optional(),
        manual: z.boolean().optional().describe("Allow starting runs by hand (default true)"),
      })
      .optional()
      .describe("When runs start (default: push to source.branch, and manual)"),
    concurrency: z.enum(["queue", "supersede", "parallel"]).optional().describe("What happens when runs overlap (default queue)"),
    variables: z.record(z.string(), variable).optional(),
    secrets: z.record(z.string(), secretRef).optional().describe("Secret references per provider; never values"),
    defaults: z
      .strictObject({
        image: z.string().min(1).optional(),
        runner: z.enum(["small", "medium", "large", "xlarge"]).optional(),
        timeout: duration.optional(),
        retries: z.number().int().min(0).max(10).optional(),
      })
      .optional(),
    stages: z.array(StageSchema).min(1),
    targets: z.strictObject({ aws: awsTarget.optional(), azure: azureTarget.optional(), gcp: gcpTarget.optional(), oci: ociTarget.optional() }).optional(),
    native: nativeBlock.optional(),
  })
  .describe("A pipeglot pipeline definition (format version 1)");

export type PipelineDocument = z.infer<typeof PipelineDocumentSchema>;
export type StageDocument = z.infer<typeof StageSchema>;
export type JobDocument = z.infer<typeof JobSchema>;
export type StepDocument = z.infer<typeof StepSchema>;
export type ConditionDocument = z.infer<typeof ConditionSchema>;
export type AwsTarget = z.infer<typeof awsTarget>;
export type AzureTarget = z.infer<typeof azureTarget>;
export type GcpTarget = z.infer<typeof gcpTarget>;
export type OciTarget = z.infer<typeof ociTarget>;
