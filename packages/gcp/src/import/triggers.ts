/**
 * BuildTriggers → neutral triggers and source.
 */
import type { FilterIR, PipelineIR, TriggersIR } from "@pipeglot/schema";
import { regexToGlobs } from "../glob.js";
import { strList, type Json } from "./parse.js";
import { isObject } from "@pipeglot/core";
import type { GcbCode } from "../diagnostics.js";

type TriggerKind = "push" | "tag" | "pr" | "manual" | "other";

function triggerKind(t: Json): TriggerKind {
  const ev = (
    isObject(t.github)
      ? t.github
      : isObject(t.repositoryEventConfig)
        ? t.repositoryEventConfig
        : isObject(t.bitbucketServerTriggerConfig)
          ? t.bitbucketServerTriggerConfig
          : isObject(t.gitlabEnterpriseEventsConfig)
            ? t.gitlabEnterpriseEventsConfig
            : undefined
  ) as Json | undefined;
  if (ev) {
    if (isObject(ev.pullRequest)) return "pr";
    if (isObject(ev.push)) return typeof ev.push.tag === "string" ? "tag" : "push";
  }
  if (isObject(t.triggerTemplate)) return typeof t.triggerTemplate.tagName === "string" ? "tag" : "push";
  if (isObject(t.pubsubConfig) || isObject(t.webhookConfig)) return "other";
  return "manual";
}

const empty = (): FilterIR => ({ include: [], exclude: [] });

interface TriggerImport {
  triggers: TriggersIR;
  source: PipelineIR["source"];
  description?: string;
  problems: { trigger: Json; message: string; code: Extract<GcbCode, "PG-GCB-IMPORT-REGEX" | "PG-GCB-IMPORT-TRIGGER-KIND"> }[];
  connection?: string;
}

export function importTriggers(list: Json[]): TriggerImport {
  const out: TriggerImport = { triggers: { schedules: [], manual: false }, source: { repository: "unknown/unknown", branch: "main" }, problems: [] };
  const t = out.triggers;
  const filter = (trigger: Json, regex: unknown, invert: unknown): FilterIR => {
    const f = empty();
    if (typeof regex !== "string") return f;
    const { globs, exact } = regexToGlobs(regex);
    if (!exact)
      out.problems.push({
        trigger,
        code: "PG-GCB-IMPORT-REGEX",
        message: `the regex ${JSON.stringify(regex)} was approximated by the globs ${globs.join(", ")}`,
      });
    if (invert === true) f.exclude = globs;
    else f.include = globs;
    return f;
  };
  const paths = (x: Json): FilterIR => ({ include: strList(x.includedFiles), exclude: strList(x.ignoredFiles) });
  let sourceSet = false;
  for (const x of list) {
    const gh = isObject(x.github) ? x.github : undefined;
    const rec = isObject(x.repositoryEventConfig) ? x.repositoryEventConfig : undefined;
    if (!sourceSet && gh && typeof gh.owner === "string" && typeof gh.name === "string") {
      out.source = { repository: `${gh.owner}/${gh.name}`, branch: out.source.branch, provider: "github" };
      sourceSet = true;
    } else if (!sourceSet && rec && typeof rec.repository === "string") {
      const m = /^(.*)\/repositories\/([^/]+)$/.exec(rec.repository);
      out.source = { repository: m ? m[2]! : rec.repository, branch: out.source.branch };
      if (m) out.connection = m[1];
      sourceSet = true;
    }
    if (!out.description && typeof x.description === "string") out.description = x.description;
    const ev = (gh ?? rec) as Json | undefined;
    switch (triggerKind(x)) {
      case "push": {
        const push = (ev?.push ?? {}) as Json;
        const tt = isObject(x.triggerTemplate) ? x.triggerTemplate : undefined;
        t.push ??= { branches: empty(), tags: empty(), paths: paths(x) };
        t.push.branches = filter(x, tt ? tt.branchName : push.branch, tt ? tt.invertRegex : push.invertRegex);
        break;
      }
      case "tag": {
        const push = (ev?.push ?? {}) as Json;
        const tt = isObject(x.triggerTemplate) ? x.triggerTemplate : undefined;
        t.push ??= { branches: empty(), tags: empty(), paths: paths(x) };
        t.push.tags = filter(x, tt ? tt.tagName : push.tag, tt ? tt.invertRegex : push.invertRegex);
        break;
      }
      case "pr": {
        const pr = (ev?.pullRequest ?? {}) as Json;
        const b = filter(x, pr.branch, pr.invertRegex);
        if (b.include.length === 1 && b.include[0] === "**" && b.exclude.length === 0) b.include = ["**"];
        t.pullRequest = { branches: b, paths: paths(x), events: ["opened", "updated", "reopened"] };
        break;
      }
      case "manual": {
        t.manual = true;
        const s = isObject(x.sourceToBuild) ? x.sourceToBuild : undefined;
        if (s && typeof s.ref === "string") out.source.branch = s.ref.replace(/^refs\/heads\//, "");
        if (!sourceSet && s && typeof s.uri === "string") {
          const m = /github\.com\/([^/]+)\/([^/.]+)/.exec(s.uri);
          if (m) {
            out.source = { repository: `${m[1]}/${m[2]}`, branch: out.source.branch, provider: "github" };
            sourceSet = true;
          }
        }
        break;
      }
      default:
        out.problems.push({
          trigger: x,
          code: "PG-GCB-IMPORT-TRIGGER-KIND",
          message: `trigger ${String(x.name ?? "")} starts on ${Object.keys(x).find((k) => /Config$/.test(k)) ?? "an event"} that has no neutral equivalent; dropped`,
        });
    }
  }
  if (!t.push && !t.pullRequest) t.manual = true;
  return out;
}
