/** Hand-written expectations for the emulated and lossy mappings (codes and JSON pointers). */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/gcp";

const ir = (doc: object) => {
  const r = validate(JSON.stringify({ pipeglot: 1, name: "p", source: { repository: "acme/p" }, ...doc }), { file: "p.json" });
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
};
const codes = (o: ReturnType<typeof compile>) => o.diagnostics.map((d) => `${d.code} ${d.path}`);

describe("native.gcp that would change the type of a field Cloud Build reads", () => {
  it("is an error at the fragment's field and is left out; good fragments still merge", () => {
    const p = ir({
      native: { gcp: { steps: "x", timeout: "900s", trigger: { tags: 3 } } },
      stages: [
        {
          name: "s",
          jobs: [
            { name: "bare", steps: [], native: { gcp: { args: 1 } } },
            { name: "j", steps: [{ run: "make" }, { native: { gcp: { env: "A=1" } } }, { native: { gcp: { name: "gcr.io/x", args: ["a", "b"] } } }] },
          ],
        },
      ],
    });
    const o = compile(p);
    const invalid = o.diagnostics.filter((d) => d.code === "PG-GCB-NATIVE-INVALID").map((d) => `${d.path} ${d.severity}`);
    expect(invalid.sort()).toEqual(
      [
        "/native/gcp/steps error",
        "/native/gcp/trigger/tags error",
        "/stages/0/jobs/0/native/gcp/args error",
        "/stages/0/jobs/1/steps/1/native/gcp/env error",
      ].sort(),
    );
    const build = parse(o.files.find((f) => f.path === "cloudbuild.yaml")!.content);
    // The bad pipeline-level fragment is left out whole (its good timeout too): steps stay a list of mappings.
    expect(Array.isArray(build.steps) && build.steps.every((s: unknown) => typeof s === "object")).toBe(true);
    expect(build.timeout).not.toBe("900s");
    expect(build.steps.find((s: { args?: unknown }) => Array.isArray(s.args) && s.args.join(" ") === "a b").name).toBe("gcr.io/x");
    for (const s of build.steps) expect(typeof (s.env ?? [])).toBe("object");
  });
});

describe("gcp compile diagnostics", () => {
  const gated = ir({
    triggers: { push: { branches: { include: ["main"], exclude: ["wip/*"] } }, schedules: [{ cron: "0 3 * * *" }] },
    stages: [
      { name: "build", jobs: [{ name: "b", steps: [{ run: "make" }], artifacts: { produce: [{ name: "bin", paths: ["out/*"] }] } }] },
      { name: "ship", approval: { approvers: ["ops"] }, jobs: [{ name: "s", artifacts: { consume: ["bin"] }, steps: [{ run: "./ship" }] }] },
    ],
  });
  const out = compile(gated);
  it("reports each lossy or emulated mapping with its pointer", () => {
    const c = codes(out);
    for (const want of [
      "PG-GCB-BRANCH-EXCLUDE-DROPPED /triggers/push/branches",
      "PG-GCB-SCHEDULE /triggers/schedules/0",
      "PG-GCB-APPROVAL-SPLIT /stages/1/approval",
      "PG-GCB-APPROVERS /stages/1/approval/approvers",
      "PG-GCB-ARTIFACT-GCS /stages/1/jobs/0/artifacts/consume",
      "PG-GCB-ARTIFACT-BUCKET /targets",
    ])
      expect(c).toContain(want);
  });
  it("splits at the approval into chained triggers with a placeholder bucket", () => {
    const t = JSON.parse(out.files.find((f) => f.path === "triggers/p-ship.json")!.content);
    expect(t.approvalConfig).toEqual({ approvalRequired: true });
    const first = parse(out.files.find((f) => f.path === "cloudbuild.yaml")!.content);
    const next = first.steps.find((s: { id: string }) => s.id === "pipeglot__next");
    expect(next.entrypoint).toBe("bash");
    expect(next.args[1]).toContain('gcloud builds triggers run p-ship --sha=${COMMIT_SHA} "$$1"');
    expect(next.args[3]).toBe("--substitutions=^~pipeglot~^_PIPEGLOT_BRANCH=${BRANCH_NAME}${TAG_NAME}~pipeglot~_PIPEGLOT_PARENT=${BUILD_ID}");
    expect(out.files.find((f) => f.path === "cloudbuild.ship.yaml")!.content).toContain("gs://REPLACE-WITH-ARTIFACT-BUCKET/p/${COMMIT_SHA}/");
    const push = JSON.parse(out.files.find((f) => f.path === "triggers/p-push.json")!.content);
    expect(push.github.push).toEqual({ branch: "^main$" });
  });
  it("puts a secret under another env name into the wrapper and brings it back", () => {
    const p = ir({
      secrets: { TOKEN: { gcp: "projects/x/secrets/t/versions/1" } },
      stages: [
        {
          name: "s",
          jobs: [
            { name: "j", steps: [{ name: "up", run: "twine upload", env: { TWINE_PASSWORD: "${{ secrets.TOKEN }}" }, condition: { branches: ["main"] } }] },
          ],
        },
      ],
    });
    const o = compile(p);
    expect(codes(o)).toContain("PG-GCB-SECRET-ALIAS /stages/0/jobs/0/steps/0/env/TWINE_PASSWORD");
    const step = parse(o.files.find((f) => f.path === "cloudbuild.yaml")!.content).steps[0];
    expect(step.secretEnv).toEqual(["TOKEN"]);
    expect(step.args[1]).toContain('export TWINE_PASSWORD="$${TOKEN}"');
    // The branch reaches the wrapper as env data, never pasted into its text.
    expect(step.args[1]).toContain("case \"$${PIPEGLOT_BRANCH}\" in 'main')");
    expect(step.env).toContain("PIPEGLOT_BRANCH=${BRANCH_NAME}${TAG_NAME}");
    const back = importFiles(o.files).pipeline!.stages[0]!.jobs[0]!;
    expect(back.env).toEqual({ TWINE_PASSWORD: "${{ secrets.TOKEN }}" });
    expect(back.steps[0]!.condition).toEqual({ status: "success", branches: ["main"], variables: {} });
  });
});

describe("gcp import", () => {
  it("reads a gcloud-exported trigger with snake_case fields and a filename", () => {
    const trigger =
      "name: app-main\ngithub:\n  owner: acme\n  name: app\n  push:\n    branch: ^main$\nincluded_files: ['src/**']\nfilename: ci/cloudbuild.yaml\n";
    const build = "steps:\n- name: node:20\n  entrypoint: bash\n  args: ['-c', 'npm test']\noptions:\n  substitution_option: ALLOW_LOOSE\n";
    const r = importFiles([{ path: "trigger.yaml", content: trigger }], { readFile: (p) => (p === "ci/cloudbuild.yaml" ? build : undefined) });
    expect(r.pipeline!.source.repository).toBe("acme/app");
    expect(r.pipeline!.triggers.push).toEqual({
      branches: { include: ["main"], exclude: [] },
      tags: { include: [], exclude: [] },
      paths: { include: ["src/**"], exclude: [] },
    });
    expect(r.pipeline!.stages[0]!.jobs[0]!.steps[0]!.run).toBe("npm test");
    expect(r.pipeline!.native).toEqual({ gcp: { options: { substitutionOption: "ALLOW_LOOSE" } } });
    const missing = importFiles([{ path: "trigger.yaml", content: trigger }]);
    expect(missing.diagnostics.map((d) => d.code)).toContain("PG-GCB-IMPORT-FILENAME");
  });
  it("rebuilds a foreign waitFor graph into jobs and reports bad input without throwing", () => {
    const build = JSON.stringify({
      steps: [
        { id: "a", name: "node:20", entrypoint: "bash", args: ["-c", "npm ci"] },
        { id: "b", name: "node:20", entrypoint: "bash", args: ["-c", "npm test"], waitFor: ["a"] },
        { id: "c", name: "node:20", entrypoint: "bash", args: ["-c", "npm run lint"], waitFor: ["a"] },
        { id: "d", name: "gcr.io/cloud-builders/docker", args: ["build", "."], waitFor: ["b", "c"] },
      ],
    });
    const r = importFiles([{ path: "cloudbuild.json", content: build }]);
    const jobs = r.pipeline!.stages[0]!.jobs.map((j) => [j.name, j.needs]);
    expect(jobs).toEqual([
      ["a", []],
      ["b", ["a"]],
      ["c", ["a"]],
      ["d", ["b", "c"]],
    ]);
    expect(importFiles([{ path: "x.yaml", content: "steps: [\n" }]).diagnostics[0]!.code).toBe("PG-GCB-IMPORT-SYNTAX");
    expect(importFiles([{ path: "x.yaml", content: "foo: 1\n" }]).diagnostics[0]!.code).toBe("PG-GCB-IMPORT-SHAPE");
  });
});

describe("what the compile tells a reader of the build (markers) and what it warns of (artifacts)", () => {
  const p = () =>
    ir({
      stages: [
        {
          name: "a",
          jobs: [
            {
              name: "make",
              steps: [{ name: "w", run: "make", condition: { branches: ["main"] } }],
              artifacts: {
                produce: [
                  { name: "bin", paths: ["out/*"] },
                  { name: "log", paths: ["log.txt"] },
                ],
              },
            },
            { name: "use", needs: ["make"], steps: [{ run: "ls out" }], artifacts: { consume: ["log"] } },
          ],
        },
        { name: "b", needs: ["a"], approval: {}, jobs: [{ name: "ship", steps: [{ run: "ls out" }], artifacts: { consume: ["bin"] } }] },
      ],
    });

  it("an artifact no later build consumes is a warning at its produce entry; one that crosses the split is not", () => {
    const o = compile(p());
    const notKept = o.diagnostics.filter((d) => d.code === "PG-GCB-ARTIFACT-NOT-KEPT").map((d) => `${d.severity} ${d.path}`);
    expect(notKept).toEqual(["warning /stages/0/jobs/0/artifacts/produce/1"]);
  });

  it("a guard that does not hold prints its fixed marker on stderr and exits 0; the upload step names an empty artifact", () => {
    const build = parse(compile(p()).files.find((f) => f.path === "cloudbuild.yaml")!.content);
    const step = build.steps.find((s: { id: string }) => s.id === "a__make__w");
    expect(step.args[1]).toContain("*) echo 'pipeglot: step skipped: branch condition main' >&2; exit 0 ;; esac\n");
    const upload = build.steps.find((s: { id: string }) => s.id === "pipeglot__upload-artifacts");
    expect(upload.args[1]).toContain(
      `pg_files=(out/*); [ $\${#pg_files[@]} -gt 0 ] || { echo 'pipeglot: artifact bin matched no file' >&2; pg_empty=1; }\n[ -z "$\${pg_empty}" ] || exit 1\n`,
    );
  });
});

describe("conditions inherited through needs", () => {
  const p = (status: "success" | "always") =>
    ir({
      stages: [
        {
          name: "a",
          condition: { branches: ["main"] },
          jobs: [
            { name: "j", steps: [{ run: "make" }] },
            { name: "k", needs: ["j"], condition: { status }, steps: [{ run: "make k" }] },
          ],
        },
        {
          name: "b",
          needs: ["a"],
          jobs: [
            { name: "x", condition: { variables: { MODE: "on" } }, steps: [{ run: "x" }] },
            { name: "y", needs: ["x"], steps: [{ run: "y" }] },
          ],
        },
        { name: "c", needs: ["b"], condition: { status }, jobs: [{ name: "z", steps: [{ run: "z" }] }] },
      ],
      variables: { MODE: { default: "off" } },
    });
  const script = (o: ReturnType<typeof compile>, id: string) =>
    parse(o.files.find((f) => f.path === "cloudbuild.yaml")!.content).steps.find((s: { id: string }) => s.id === id).args[1] as string;

  it("a stage needing a conditioned stage tests its condition at stage level; a job needing a conditioned job at job level", () => {
    const o = compile(p("success"));
    expect(script(o, "b__x__step-1")).toContain("*) echo 'pipeglot: stage skipped: branch condition main' >&2; exit 0 ;; esac\n");
    expect(script(o, "b__y__step-1")).toContain(`[ "$\${_MODE}" = 'on' ] || { echo 'pipeglot: job skipped: MODE is not on' >&2; exit 0; }\n`);
    // c needs b, which needs a: a's branch test reaches c; b's job conditions do not (a stage is not skipped by its jobs).
    expect(script(o, "c__z__step-1")).toContain("pipeglot: stage skipped: branch condition main");
    expect(script(o, "c__z__step-1")).not.toContain("MODE");
  });

  it("a unit whose own condition is `always` does not inherit (it runs after a skipped one), nor do the units after it", () => {
    const o = compile(p("always"));
    expect(script(o, "c__z__step-1")).not.toContain("branch condition main");
    expect(script(o, "a__k__step-1")).toContain("pipeglot: stage skipped: branch condition main");
  });
});
