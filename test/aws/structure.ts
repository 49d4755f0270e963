/**
 * CodePipeline's structural rules (AWS CodePipeline User Guide, "Pipeline structure reference"),
 * checked on a PipelineDeclaration independently of how pipeglot builds it.
 */
interface Action {
  name: string;
  actionTypeId: { category: string };
  runOrder?: number;
  inputArtifacts?: { name: string }[];
  outputArtifacts?: { name: string }[];
}
interface Stage {
  name: string;
  actions: Action[];
}

export function structureProblems(pipeline: { stages: Stage[] }): string[] {
  const out: string[] = [];
  const stages = pipeline.stages ?? [];
  if (stages.length < 2) out.push(`a pipeline needs at least two stages, found ${stages.length}`);
  const first = stages[0];
  if (first && (first.actions.length === 0 || first.actions.some((a) => a.actionTypeId.category !== "Source")))
    out.push(`the first stage ${first.name} must contain only source actions (and at least one)`);
  stages
    .slice(1)
    .forEach((s) =>
      s.actions.forEach((a) => a.actionTypeId.category === "Source" && out.push(`source action ${a.name} outside the first stage (in ${s.name})`)),
    );
  const stageNames = new Set<string>();
  const outputs = new Set<string>();
  for (const s of stages) {
    if (stageNames.has(s.name)) out.push(`duplicate stage name ${s.name}`);
    stageNames.add(s.name);
    if (s.actions.length === 0) out.push(`stage ${s.name} has no actions`);
    const actionNames = new Set<string>();
    for (const a of s.actions) {
      if (actionNames.has(a.name)) out.push(`duplicate action name ${a.name} in stage ${s.name}`);
      actionNames.add(a.name);
    }
    // Inputs must come from an earlier stage or a lower runOrder in this stage.
    const orders = [...new Set(s.actions.map((a) => a.runOrder ?? 1))].sort((x, y) => x - y);
    for (const o of orders) {
      const layer = s.actions.filter((a) => (a.runOrder ?? 1) === o);
      for (const a of layer)
        for (const i of a.inputArtifacts ?? [])
          if (!outputs.has(i.name)) out.push(`input artifact ${i.name} of ${s.name}/${a.name} is not produced by an earlier action`);
      for (const a of layer)
        for (const o2 of a.outputArtifacts ?? []) {
          if (outputs.has(o2.name)) out.push(`output artifact name ${o2.name} is not unique`);
          outputs.add(o2.name);
        }
    }
  }
  return out;
}
