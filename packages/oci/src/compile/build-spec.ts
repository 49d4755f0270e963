/**
 * One build spec (BUILD stage) or command spec (deploy SHELL stage) per job or matrix cell:
 * env variables, vault variables for secret references, exported variables, artifacts, steps.
 */
import { mergeNative, shGlob, shQuote, shWord, type WordSeg } from "@pipeglot/core";
import { parseTemplate, type StepIR } from "@pipeglot/schema";
import {
  ARTIFACT_DIR,
  EXPORT_STEP,
  MATRIX_PREFIX,
  PASSED_VARIABLES,
  REF,
  RUN_VARIABLE,
  BUILD_GIT,
  DEPLOY_GIT,
  artifactFile,
  packStep,
  unpackStep,
} from "../conventions.js";
import type { BuildSpec, SpecInputArtifact, SpecOutputArtifact, SpecStep } from "../native/build-spec.js";
import { RUNNER_IMAGES } from "../native/resources.js";
import { clausesOf, envRefs, refNames, segmentsOf, stepCommand, type GuardClause } from "./commands.js";

import type { Context, Unit } from "./context.js";

/** The artifact's tarball as one shell word: the workspace expanded, the name quoted (the format's names need no quotes). */
const artifactWord = (name: string): string => (/^[A-Za-z0-9._-]+$/.test(name) ? `"${artifactFile(name)}"` : `"${ARTIFACT_DIR}/"${shQuote(`${name}.tgz`)}`);
export const runsOnRunner = (image: string): boolean => (RUNNER_IMAGES as readonly string[]).includes(image);

type SpecOpts = { crossing: Set<string>; exports: boolean; postGateProduced: Set<string> };

/** The build spec (or, after a gate, command spec) of one unit. */
export function buildSpec(ctx: Context, u: Unit, opts: SpecOpts): BuildSpec {
  const { job } = u;
  const deploy = u.postGate;
  const names = refNames((v) => ctx.param(v), deploy);
  const e = specEnv(ctx, u, names);
  const docker = !runsOnRunner(job.image) && !deploy;
  const image = docker ? segmentsOf(job.image, names) : undefined;
  const stageClauses = clausesOf(u.stage.condition, (v) => ctx.param(v));
  const jobClauses = clausesOf(job.condition, (v) => ctx.param(v));
  const branchVar = (deploy ? DEPLOY_GIT : BUILD_GIT).branch;

  const { steps, inputArtifacts } = unpackSteps(ctx, u, opts);
  job.steps.forEach((st, n) =>
    steps.push(
      specStep(ctx, u, st, n, { names, image, passthrough: e.passthrough, clauses: [...stageClauses, ...jobClauses], branchVar, noteSecrets: e.noteSecrets }),
    ),
  );
  const outputArtifacts: SpecOutputArtifact[] = [];
  if (!deploy) {
    for (const a of job.produces) {
      steps.push({
        type: "Command",
        name: packStep(a.name),
        command: [
          "shopt -s globstar nullglob dotglob",
          `mkdir -p "${ARTIFACT_DIR}"`,
          `tar -czf ${artifactWord(a.name)} -- ${a.paths.map(shGlob).join(" ")}`,
        ].join("\n"),
      });
      outputArtifacts.push({ name: a.name, type: "BINARY", location: artifactFile(a.name) });
    }
  }
  if (opts.exports) {
    steps.push({
      type: "Command",
      name: EXPORT_STEP,
      command: [
        `export ${RUN_VARIABLE}="\${OCI_BUILD_RUN_ID}"`,
        `export ${DEPLOY_GIT.commit}="\${${BUILD_GIT.commit}}"`,
        `export ${DEPLOY_GIT.branch}="\${${BUILD_GIT.branch}}"`,
      ].join("\n"),
    });
  }
  const env: NonNullable<BuildSpec["env"]> = {};
  if (Object.keys(e.variables).length) env.variables = e.variables;
  if (Object.keys(e.vault).length) env.vaultVariables = e.vault;
  if (opts.exports) env.exportedVariables = [...PASSED_VARIABLES];
  const spec: BuildSpec = {
    version: 0.1,
    component: deploy ? "command" : "build",
    ...(job.timeoutSeconds !== undefined ? { timeoutInSeconds: job.timeoutSeconds } : {}),
    shell: "bash",
    ...(Object.keys(env).length ? { env } : {}),
    ...(inputArtifacts.length ? { inputArtifacts } : {}),
    steps,
    ...(outputArtifacts.length ? { outputArtifacts } : {}),
  };
  return withNative(ctx, u, spec);
}

interface SpecEnv {
  variables: Record<string, string>;
  vault: Record<string, string>;
  /** Job env names passed into the step's container. */
  passthrough: string[];
  /** Make the secrets a text refers to vault variables. */
  noteSecrets(text: string, path: string): void;
}

/** Job env: a value that is exactly the same-named secret is a vault variable; anything else a variable; matrix values too. */
function specEnv(ctx: Context, u: Unit, names: ReturnType<typeof refNames>): SpecEnv {
  const e: SpecEnv = { variables: {}, vault: {}, passthrough: [], noteSecrets: () => undefined };
  const useSecret = (name: string) => {
    if (name in e.vault) return;
    const ref = ctx.ir.secrets[name]?.oci;
    if (!ref) {
      ctx.report(
        "PG-OCI-SECRET-NO-REF",
        `/secrets/${name}`,
        `secret "${name}" is used by job "${u.job.id}" but has no \`oci\` reference (a vault secret OCID); a placeholder is written`,
        "add secrets." + name + ".oci: ocid1.vaultsecret…",
      );
      e.vault[name] = `\${secret.${name}.oci}`;
    } else e.vault[name] = ref;
  };
  e.noteSecrets = (text: string) => {
    for (const s of parseTemplate(text).segments) if (s.kind === "secret") useSecret(s.name);
  };
  for (const [k, v] of Object.entries(u.job.env)) {
    const segs = parseTemplate(v).segments;
    const only = segs.length === 1 ? segs[0]! : undefined;
    if (only && only.kind === "secret" && only.name === k) useSecret(k);
    else {
      e.noteSecrets(v, `${u.path}/env/${k}`);
      e.variables[k] = render(segmentsOf(v, names));
    }
    e.passthrough.push(k);
  }
  if (u.cell) for (const [k, v] of Object.entries(u.cell.values)) e.variables[`${MATRIX_PREFIX}${k}`] = v;
  return e;
}

/** The artifacts a unit consumes: its input artifacts and the steps that unpack them. */
function unpackSteps(ctx: Context, u: Unit, opts: SpecOpts): { steps: SpecStep[]; inputArtifacts: SpecInputArtifact[] } {
  const deploy = u.postGate;
  const steps: SpecStep[] = [];
  const inputArtifacts: SpecInputArtifact[] = [];
  for (const a of u.job.consumes) {
    if (deploy && opts.postGateProduced.has(a)) continue; // reported by the deploy compiler
    inputArtifacts.push(
      deploy
        ? {
            name: a,
            type: "GENERIC_ARTIFACT",
            registryId: REF.artifactRepository,
            path: `${ctx.ir.name}/${a}.tgz`,
            version: `\${${RUN_VARIABLE}}`,
            location: artifactFile(a),
          }
        : { name: a, type: "STAGE_ARTIFACT", location: artifactFile(a) },
    );
    steps.push({ type: "Command", name: unpackStep(a), command: `tar -xzf ${artifactWord(a)}` });
  }
  return { steps, inputArtifacts };
}

/** The job's native.oci.buildSpec merged in; a spec left without steps gets one that fails and says why (OCI rejects it otherwise). */
function withNative(ctx: Context, u: Unit, spec: BuildSpec): BuildSpec {
  const native = u.job.native?.oci?.buildSpec;
  const merged = native && typeof native === "object" ? mergeNative(spec, native as Record<string, unknown>) : spec;
  if (!Array.isArray(merged.steps) || merged.steps.length === 0) {
    ctx.report("PG-OCI-NOT-TRANSLATED", u.path, `job "${u.job.id}" has no steps to run on OCI: a step that fails with a message was written`);
    merged.steps = [failingStep(`job ${u.job.id} has no steps to run on OCI`)];
  }
  return merged;
}

/** A step that stops the build with a message: where pipeglot had nothing to write. */
function failingStep(why: string): SpecStep {
  return {
    type: "Command",
    name: "pipeglot-not-translated",
    command: `echo ${shWord(`pipeglot: ${why}; translate it by hand (see PG-OCI-NOT-TRANSLATED)`)} >&2\nexit 1`,
  };
}

const render = (segs: WordSeg[]) => segs.map((s) => (s.kind === "text" ? s.value : `\${${s.name}}`)).join("");

interface StepOpts {
  names: ReturnType<typeof refNames>;
  image?: WordSeg[];
  passthrough: string[];
  clauses: GuardClause[];
  branchVar: string;
  noteSecrets: (text: string, path: string) => void;
}

function specStep(ctx: Context, u: Unit, st: StepIR, n: number, o: StepOpts): SpecStep {
  const path = `${u.path}/steps/${n}`;
  // A native-only step takes its command (or, for another step type, none) from native.oci.
  const out = {
    type: "Command",
    ...(st.name !== undefined ? { name: st.name } : {}),
    ...(st.timeoutSeconds !== undefined ? { timeoutInSeconds: st.timeoutSeconds } : {}),
  } as SpecStep;
  if (st.run !== undefined) {
    o.noteSecrets(st.run, `${path}/run`);
    const textSegs = segmentsOf(st.run, o.names);
    const env: [string, WordSeg[]][] = Object.entries(st.env).map(([k, v]) => {
      o.noteSecrets(v, `${path}/env/${k}`);
      return [k, segmentsOf(v, o.names)];
    });
    const passthrough = o.image ? [...new Set([...o.passthrough, ...envRefs(textSegs)])].filter((x) => !(x in st.env)) : [];
    const clauses = [...o.clauses, ...clausesOf(st.condition, (v) => ctx.param(v))];
    out.command = stepCommand({
      // An empty command does nothing; OCI rejects an empty one, so it is written as `true`.
      text: st.run === "" ? "true" : render(textSegs),
      shell: st.shell,
      ...(o.image ? { image: o.image } : {}),
      ...(st.workingDirectory !== undefined ? { workingDirectory: st.workingDirectory } : {}),
      env,
      passthrough,
      retries: st.retries,
      continueOnError: st.continueOnError,
      ...(clauses.length ? { guard: { branchVar: o.branchVar, clauses } } : {}),
    });
    if (env.length || st.workingDirectory !== undefined || st.shell !== "bash")
      ctx.report(
        "PG-OCI-STEP-WRAPPED",
        path,
        `step "${st.id}" of job "${u.job.id}" sets ${[env.length ? "env" : "", st.workingDirectory !== undefined ? "workingDirectory" : "", st.shell !== "bash" ? `shell ${st.shell}` : ""].filter(Boolean).join(", ")}: it runs through a generated wrapper`,
      );
    if (st.retries)
      ctx.report("PG-OCI-STEP-RETRIES", `${path}/retries`, `step "${st.id}" of job "${u.job.id}" is retried up to ${st.retries} time(s) by a shell loop`);
    if (st.continueOnError)
      ctx.report(
        "PG-OCI-CONTINUE-ON-ERROR",
        `${path}/continueOnError`,
        `step "${st.id}" of job "${u.job.id}" runs as \`… || { pg_failed=$?; … }\`: the OCI step succeeds, the log keeps the real exit status`,
      );
  }
  if (st.condition) {
    if (st.condition.status !== "success")
      ctx.report(
        "PG-OCI-CONDITION-STATUS",
        `${path}/condition`,
        `step "${st.id}" of job "${u.job.id}" has condition status "${st.condition.status}": OCI runs steps only while the earlier ones succeed`,
      );
    if (st.condition.branches.length || Object.keys(st.condition.variables).length)
      ctx.report("PG-OCI-CONDITION-GUARD", `${path}/condition`, `the condition of step "${st.id}" of job "${u.job.id}" becomes a shell guard around the step`);
  }
  const native = st.native?.oci;
  if (st.run === undefined && !native) {
    const others = Object.keys(st.native ?? {}).sort();
    const what = others.length ? `is native.${others.join("/native.")} only` : "has no command";
    ctx.report(
      "PG-OCI-NOT-TRANSLATED",
      st.native ? `${path}/native` : path,
      `step "${st.id}" of job "${u.job.id}" ${what}: it becomes a step that fails with a message`,
    );
    return { ...failingStep(`step ${st.id} of job ${u.job.id} ${what}, it has no OCI translation`), ...(st.name !== undefined ? { name: st.name } : {}) };
  }
  return native ? mergeNative(out, native) : out;
}
