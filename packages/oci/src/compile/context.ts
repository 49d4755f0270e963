/**
 * What every compile step shares: the IR, the target settings, the diagnostics reporter, the
 * name registries and the plan of OCI stages (which job runs where, in which matrix cell).
 */
import { expandMatrix, reporter, shortHash, toJson, type MatrixCell, type OutputFile } from "@pipeglot/core";
import { topoSort, type Diagnostic, type JobIR, type OciTarget, type PipelineIR, type StageIR } from "@pipeglot/schema";
import { CODES } from "../diagnostics.js";
import { MANAGED_BY, TAG } from "../conventions.js";
import { parameterRule, registry, resourceRule } from "../names.js";
import type { Tags } from "../native/resources.js";

/** One OCI stage for one neutral job (or one matrix cell of it). */
export interface Unit {
  stageIndex: number;
  jobIndex: number;
  stage: StageIR;
  job: JobIR;
  cell?: MatrixCell;
  cellIndex?: number;
  /** Resource name: file names and symbolic references. */
  name: string;
  /** Runs in the deploy pipeline (after an approval or a disabled transition). */
  postGate: boolean;
  /** JSON pointer of the job in the neutral document. */
  path: string;
}

export class Context {
  readonly diagnostics: Diagnostic[] = [];
  readonly report = reporter(CODES, this.diagnostics);
  readonly target: OciTarget;
  readonly files: OutputFile[] = [];
  readonly names = registry(resourceRule);
  /** neutral variable name → parameter name */
  readonly params = new Map<string, string>();
  readonly units: Unit[] = [];
  /** Stage names after the gate. */
  readonly postGate = new Set<string>();
  readonly stageByName = new Map<string, StageIR>();

  constructor(readonly ir: PipelineIR) {
    this.target = ir.targets.oci ?? {};
    const pr = registry(parameterRule);
    for (const name of Object.keys(ir.variables)) {
      const p = pr.take(name);
      this.params.set(name, p);
      if (p !== name)
        this.report(
          "PG-OCI-NAME-SANITIZED",
          `/variables/${name}`,
          `variable "${name}" becomes build pipeline parameter "${p}" (OCI parameter names match ^[a-zA-Z][a-zA-Z_0-9]*$); its references are renamed too`,
        );
    }
    for (const s of ir.stages) this.stageByName.set(s.name, s);
    const order =
      topoSort(
        ir.stages.map((s) => s.name),
        (n) => this.stageByName.get(n)?.needs ?? [],
      ) ?? ir.stages.map((s) => s.name);
    for (const n of order) {
      const s = this.stageByName.get(n)!;
      if (gated(s) || s.needs.some((d) => this.postGate.has(d))) this.postGate.add(n);
    }
    ir.stages.forEach((stage, stageIndex) => {
      stage.jobs.forEach((job, jobIndex) => {
        const path = `/stages/${stageIndex}/jobs/${jobIndex}`;
        const cells = expandMatrix(job);
        const postGate = this.postGate.has(stage.name);
        if (cells.length === 0) this.units.push({ stageIndex, jobIndex, stage, job, name: this.take(`${stage.name}.${job.name}`, path), postGate, path });
        cells.forEach((cell, cellIndex) =>
          this.units.push({
            stageIndex,
            jobIndex,
            stage,
            job,
            cell,
            cellIndex,
            name: this.take(`${stage.name}.${job.name}-${cell.suffix}`, path),
            postGate,
            path,
          }),
        );
      });
    });
  }

  /** A unique resource name; reports renames. */
  take(original: string, path: string): string {
    const name = this.names.take(original);
    if (name !== original)
      this.report("PG-OCI-NAME-SANITIZED", path, `OCI resource name "${original}" becomes "${name}" (letters, digits, '.', '_', '-'; unique)`);
    return name;
  }

  param(variable: string): string {
    return this.params.get(variable) ?? variable;
  }

  unitsOf(stage: string, job?: string): Unit[] {
    return this.units.filter((u) => u.stage.name === stage && (job === undefined || u.job.name === job));
  }

  /** Jobs of a stage that no other job of the stage needs. */
  terminalJobs(stage: StageIR): JobIR[] {
    const needed = new Set(stage.jobs.flatMap((j) => j.needs));
    return stage.jobs.filter((j) => !needed.has(j.name));
  }

  /** Ownership tags (+ extra mapping tags); the hash tag is added by `emit`. */
  tags(extra: Tags = {}): Tags {
    return { [TAG.managedBy]: MANAGED_BY, [TAG.pipeline]: this.ir.name, ...extra };
  }

  /** Add a JSON resource, stamping its content hash into its freeform tags. */
  emitJson(path: string, kind: string, resource: { freeformTags?: Tags }): void {
    if (resource.freeformTags) {
      const { [TAG.hash]: _old, ...rest } = resource.freeformTags;
      void _old;
      resource.freeformTags = { ...rest, [TAG.hash]: shortHash(toJson({ ...resource, freeformTags: rest }), 12) };
    }
    this.files.push({ path, kind, content: toJson(resource) });
  }

  projectId(): string {
    return this.target.projectId ?? "${target.projectId}";
  }
}

export const gated = (s: StageIR): boolean => !!s.approval || !s.transition.enabled;
