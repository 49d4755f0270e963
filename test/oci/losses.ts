/**
 * The documented losses of a round trip through OCI DevOps and the normalization that strips
 * them before two IRs are compared (README: "What a round trip loses").
 */
import type { PipelineIR } from "@pipeglot/schema";

/** The documented losses of a round trip through OCI DevOps (README: "What a round trip loses"). */
export const KNOWN_LOSSES = [
  "defaults (already applied to every job)",
  "concurrency (PG-OCI-CONCURRENCY)",
  "triggers.schedules (PG-OCI-SCHEDULE), triggers.manual (PG-OCI-MANUAL-ONLY)",
  "triggers.push.tags (PG-OCI-TRIGGER-TAGS) and branch excludes (PG-OCI-BRANCH-EXCLUDE); a push trigger with no branches",
  "condition status failure/always (PG-OCI-CONDITION-STATUS)",
  "job retries (PG-OCI-JOB-RETRIES)",
  "stage descriptions (PG-OCI-STAGE-DESCRIPTION)",
  "secrets: only the oci reference of the secrets jobs use survives",
  "targets other than oci.projectId / oci.connectionId / oci.repositoryUrl",
  "pull-request event `closed` comes back as merged (PG-OCI-PR-CLOSED); `**` in branch conditions comes back as `*`",
] as const;

export function normalizeForCompare(ir: PipelineIR): PipelineIR {
  const x = structuredClone(ir);
  x.defaults = {};
  x.concurrency = "queue";
  x.triggers.schedules = [];
  x.triggers.manual = true;
  if (x.triggers.push) {
    x.triggers.push.tags = { include: [], exclude: [] };
    x.triggers.push.branches.exclude = [];
    if (x.triggers.push.branches.include.length === 0) delete x.triggers.push;
  }
  if (x.triggers.pullRequest) x.triggers.pullRequest.branches.exclude = [];
  const used = new Set<string>();
  const scan = (t: string) => {
    for (const m of t.matchAll(/\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) used.add(m[1]!);
  };
  const cond = (c: PipelineIR["stages"][number]["condition"]) => {
    if (!c) return undefined;
    const out = { ...c, status: "success" as const, branches: c.branches.map((b) => b.replace(/\*\*+/g, "*")) };
    return out.branches.length || Object.keys(out.variables).length ? out : undefined;
  };
  for (const s of x.stages) {
    delete s.description;
    const sc = cond(s.condition);
    if (sc) s.condition = sc;
    else delete s.condition;
    for (const j of s.jobs) {
      j.retries = 0;
      const jc = cond(j.condition);
      if (jc) j.condition = jc;
      else delete j.condition;
      Object.values(j.env).forEach(scan);
      for (const st of j.steps) {
        if (st.run) scan(st.run);
        Object.values(st.env).forEach(scan);
        const c = cond(st.condition);
        if (c) st.condition = c;
        else delete st.condition;
      }
    }
  }
  x.secrets = Object.fromEntries(Object.entries(x.secrets).filter(([k, v]) => used.has(k) && v.oci).map(([k, v]) => [k, { oci: v.oci! }]));
  const oci = x.targets.oci ?? {};
  const keep = Object.fromEntries(Object.entries({ projectId: oci.projectId, connectionId: oci.connectionId, repositoryUrl: oci.repositoryUrl }).filter(([, v]) => v !== undefined));
  x.targets = Object.keys(keep).length ? { oci: keep } : {};
  return x;
}

