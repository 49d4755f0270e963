/**
 * The Cloud Build emulator's builds on the wire (plain REST, the shapes of the v1 discovery
 * document): RunBuildTrigger's long-running operation and operations.get, the int enum encoding
 * the Node client asks for, the step schedule on the emulator's clock, allowFailure, steps that
 * run another trigger (gcloud builds triggers run), and the errors of approve/cancel/list.
 * Expected times are worked out by hand from stepMs = 100 (a build queues one step).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";

const T0 = Date.parse("2026-05-01T12:00:00.000Z");
const P = "/v1/projects/p1/locations/us-central1";
const at = (ms: number) => new Date(T0 + ms).toISOString();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the API answers it, read field by field in the assertions
type Wire = any;

interface Env {
  emu: Emulators;
  tick(ms: number): void;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, Wire> }>;
}

let envs: Emulators[] = [];
afterEach(async () => {
  for (const e of envs) await e.close();
  envs = [];
});

async function env(failSteps: string[] = []): Promise<Env> {
  let now = T0;
  const emu = await startEmulators({ providers: ["gcp"], now: () => new Date(now), runs: { stepMs: 100, failSteps } });
  envs.push(emu);
  return {
    emu,
    tick: (ms) => void (now += ms),
    async call(method, path, body) {
      const r = await fetch(emu.endpoints.gcp + path, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
      });
      return { status: r.status, body: (await r.json()) as Record<string, Wire> };
    },
  };
}

const step = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: "bash", args: ["-c", "true"], ...extra });

async function trigger(e: Env, name: string, build: Record<string, unknown>, extra: Record<string, unknown> = {}, parent = P) {
  const r = await e.call("POST", `${parent}/triggers`, {
    name,
    sourceToBuild: { uri: "https://github.com/acme/app", ref: "refs/heads/main", repoType: "GITHUB" },
    build,
    ...extra,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe("Cloud Build emulator: builds", () => {
  it("RunBuildTrigger answers an operation holding the build; operations.get is done with the Build once it ends", async () => {
    const e = await env();
    await trigger(e, "t1", { steps: [step("a"), step("b", { waitFor: ["-"] }), step("c")] });
    const run = await e.call("POST", `${P}/triggers/t1:run`, { source: { branchName: "dev" } });
    expect(run.status).toBe(200);
    const op = run.body;
    expect(op.name).toMatch(/^projects\/p1\/locations\/us-central1\/operations\/[0-9a-f-]{36}$/);
    expect(op.done).toBe(false);
    expect(op.metadata["@type"]).toBe("type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata");
    const b = op.metadata.build;
    expect(b).toMatchObject({ status: "QUEUED", projectId: "p1", createTime: at(0), name: `projects/p1/locations/us-central1/builds/${b.id}` });
    expect(b.substitutions).toMatchObject({ BRANCH_NAME: "dev", TRIGGER_NAME: "t1", REPO_FULL_NAME: "acme/app" });
    expect(b.source.gitSource).toEqual({ url: "https://github.com/acme/app", revision: b.substitutions.COMMIT_SHA });

    // a and b start at +100 (b waits for nothing, a is first); c waits for both (no waitFor: every earlier step).
    e.tick(150);
    let g = (await e.call("GET", `${P}/builds/${b.id}`)).body;
    expect(g.status).toBe("WORKING");
    expect(g.steps.map((s: { status: string }) => s.status)).toEqual(["WORKING", "WORKING", "QUEUED"]);
    e.tick(200);
    g = (await e.call("GET", `${P}/builds/${b.id}`)).body;
    expect(g).toMatchObject({ status: "SUCCESS", startTime: at(100), finishTime: at(300) });
    expect(g.steps[2].timing).toEqual({ startTime: at(200), endTime: at(300) });

    const done = (await e.call("GET", `/v1/${op.name}`)).body;
    expect(done.done).toBe(true);
    expect(done.response["@type"]).toBe("type.googleapis.com/google.devtools.cloudbuild.v1.Build");
    expect(done.response.id).toBe(b.id);
  });

  it("answers enums as numbers when asked ($alt=json;enum-encoding=int), as the Node client asks", async () => {
    const e = await env();
    await trigger(e, "t1", { steps: [step("a")] });
    const op = (await e.call("POST", `${P}/triggers/t1:run?$alt=json%3Benum-encoding%3Dint`, {})).body;
    expect(op.metadata.build.status).toBe(1); // QUEUED
    e.tick(1000);
    const g = (await e.call("GET", `${P}/builds/${op.metadata.build.id}?$alt=json%3Benum-encoding%3Dint`)).body;
    expect(g.status).toBe(3); // SUCCESS
    expect(g.steps[0].status).toBe(3);
  });

  it("a failing step ends the build FAILURE (steps working then CANCELLED, later ones never start); allowFailure lets it go on", async () => {
    const e = await env(["bad", "soft"]);
    await trigger(e, "t1", { steps: [step("bad"), step("slow", { waitFor: ["-"] }), step("after", { waitFor: ["bad"] })] });
    await trigger(e, "t2", { steps: [step("soft", { allowFailure: true }), step("next")] });
    const b1 = (await e.call("POST", `${P}/triggers/t1:run`, {})).body.metadata.build.id;
    const b2 = (await e.call("POST", `${P}/triggers/t2:run`, {})).body.metadata.build.id;
    e.tick(1000);
    const g1 = (await e.call("GET", `${P}/builds/${b1}`)).body;
    expect(g1).toMatchObject({ status: "FAILURE", finishTime: at(200), failureInfo: { type: "USER_BUILD_STEP" } });
    expect(g1.steps.map((s: { status: string }) => s.status)).toEqual(["FAILURE", "SUCCESS", "QUEUED"]);
    expect(g1.statusDetail).toContain('build step 0 "bad" failed');
    const g2 = (await e.call("GET", `${P}/builds/${b2}`)).body;
    expect(g2.status).toBe("SUCCESS");
    expect(g2.steps.map((s: { status: string }) => s.status)).toEqual(["FAILURE", "SUCCESS"]);
    const op = (await e.call("GET", `${P}/builds?filter=${encodeURIComponent(`id="${b1}"`)}`)).body;
    expect(op.builds).toHaveLength(1);
  });

  it("a step running `gcloud builds triggers run` starts that trigger's build when it ends, with the substitutions it passes", async () => {
    const e = await env();
    await trigger(e, "next", { steps: [step("x")] });
    await trigger(e, "first", {
      steps: [
        step("a"),
        {
          id: "go",
          name: "gcloud",
          entrypoint: "gcloud",
          args: ["builds", "triggers", "run", "next", "--sha=${COMMIT_SHA}", "--substitutions=^~^_A=1,2~_B=${_V}"],
        },
      ],
      substitutions: { _V: "v" },
    });
    const first = (await e.call("POST", `${P}/triggers/first:run`, { source: { commitSha: "abc123" } })).body.metadata.build;
    e.tick(299);
    expect((await e.call("GET", `${P}/builds`)).body.builds).toHaveLength(1);
    e.tick(1);
    const list = (await e.call("GET", `${P}/builds`)).body.builds;
    expect(list).toHaveLength(2);
    const [chained] = list; // newest first
    expect(chained).toMatchObject({ createTime: at(300), status: "QUEUED" });
    expect(chained.substitutions).toMatchObject({ COMMIT_SHA: "abc123", _A: "1,2", _B: "v", BRANCH_NAME: "" });
    expect(list[1].id).toBe(first.id);
  });

  it("a step that checks `describe … value(disabled)` starts nothing while the trigger is disabled; an unknown trigger fails the step", async () => {
    const e = await env();
    await trigger(e, "gated", { steps: [step("x")] }, { disabled: true });
    const script = [
      "if [ \"$$(gcloud builds triggers describe gated --format='value(disabled)')\" = True ]; then exit 0; fi",
      'gcloud builds triggers run gated --sha=${COMMIT_SHA} "$$1"',
    ].join("\n");
    await trigger(e, "a", { steps: [{ id: "go", name: "sdk", entrypoint: "bash", args: ["-c", script, "pipeglot", "--substitutions=_K=1"] }] });
    await trigger(e, "b", { steps: [{ id: "go", name: "sdk", entrypoint: "gcloud", args: ["builds", "triggers", "run", "nope"] }] });
    await e.call("POST", `${P}/triggers/a:run`, {});
    const b = (await e.call("POST", `${P}/triggers/b:run`, {})).body.metadata.build.id;
    e.tick(1000);
    const builds = (await e.call("GET", `${P}/builds`)).body.builds;
    expect(builds).toHaveLength(2);
    expect(builds.find((x: { id: string }) => x.id === b).status).toBe("FAILURE");
    await e.call("PATCH", `${P}/triggers/gated?updateMask=disabled`, { disabled: false });
    await e.call("POST", `${P}/triggers/a:run`, {});
    e.tick(1000);
    const after = (await e.call("GET", `${P}/builds`)).body.builds;
    expect(after).toHaveLength(4);
    expect(after[0].substitutions._K).toBe("1");
  });

  it("approvals: PENDING until decided; approve queues it, reject ends it; decisions on others are refused", async () => {
    const e = await env();
    await trigger(e, "gate", { steps: [step("x")] }, { approvalConfig: { approvalRequired: true } });
    const id = (await e.call("POST", `${P}/triggers/gate:run`, {})).body.metadata.build.id;
    e.tick(500);
    let g = (await e.call("GET", `${P}/builds/${id}`)).body;
    expect(g).toMatchObject({ status: "PENDING", approval: { state: "PENDING", config: { approvalRequired: true } } });
    const bad = await e.call("POST", `${P}/builds/${id}:approve`, { approvalResult: { decision: "MAYBE" } });
    expect(bad.status).toBe(400);
    const ok = await e.call("POST", `${P}/builds/${id}:approve`, { approvalResult: { decision: "APPROVED", comment: "go" } });
    expect(ok.body.metadata.build.approval).toMatchObject({ state: "APPROVED", result: { decision: "APPROVED", comment: "go", approvalTime: at(500) } });
    e.tick(150);
    expect((await e.call("GET", `${P}/builds/${id}`)).body.status).toBe("WORKING");
    const again = await e.call("POST", `${P}/builds/${id}:approve`, { approvalResult: { decision: "APPROVED" } });
    expect(again).toMatchObject({ status: 400, body: { error: { status: "FAILED_PRECONDITION" } } });

    const id2 = (await e.call("POST", `${P}/triggers/gate:run`, {})).body.metadata.build.id;
    const rej = await e.call("POST", `${P}/builds/${id2}:approve`, { approvalResult: { decision: "REJECTED" } });
    expect(rej.body.done).toBe(true);
    g = (await e.call("GET", `${P}/builds/${id2}`)).body;
    expect(g).toMatchObject({ status: "CANCELLED", approval: { state: "REJECTED" } });
    expect((await e.call("POST", `${P}/builds/nope:approve`, { approvalResult: { decision: "APPROVED" } })).status).toBe(404);
  });

  it("cancel: a working build ends CANCELLED now; a finished one is refused; a pending one's approval is CANCELLED", async () => {
    const e = await env();
    await trigger(e, "t", { steps: [step("a"), step("b")] });
    await trigger(e, "gate", { steps: [step("x")] }, { approvalConfig: { approvalRequired: true } });
    const id = (await e.call("POST", `${P}/triggers/t:run`, {})).body.metadata.build.id;
    e.tick(150);
    const c = await e.call("POST", `${P}/builds/${id}:cancel`, {});
    expect(c.body).toMatchObject({ status: "CANCELLED", finishTime: at(150) });
    expect(c.body.steps.map((s: { status: string }) => s.status)).toEqual(["CANCELLED", "QUEUED"]);
    expect((await e.call("POST", `${P}/builds/${id}:cancel`, {})).status).toBe(400);
    const pid = (await e.call("POST", `${P}/triggers/gate:run`, {})).body.metadata.build.id;
    expect((await e.call("POST", `${P}/builds/${pid}:cancel`, {})).body).toMatchObject({ status: "CANCELLED", approval: { state: "CANCELLED" } });
  });

  it("lists newest first in pages; filters by trigger and tag; refuses what it cannot filter and triggers it cannot run", async () => {
    const e = await env();
    const t = await trigger(e, "t", { steps: [step("a")], tags: ["team-a"] });
    await trigger(e, "u", { steps: [step("a")] });
    const ids: string[] = [];
    for (const name of ["t", "u", "t"]) ids.push((await e.call("POST", `${P}/triggers/${name}:run`, {})).body.metadata.build.id);
    const page1 = (await e.call("GET", `${P}/builds?pageSize=2`)).body;
    expect(page1.builds.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await e.call("GET", `${P}/builds?pageSize=2&pageToken=${page1.nextPageToken}`)).body;
    expect(page2.builds.map((b: { id: string }) => b.id)).toEqual([ids[0]]);
    expect(page2.nextPageToken).toBeUndefined();
    const byTrigger = (await e.call("GET", `${P}/builds?filter=${encodeURIComponent(`build_trigger_id="${t.id}"`)}`)).body.builds;
    expect(byTrigger.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[0]]);
    expect((await e.call("GET", `${P}/builds?filter=${encodeURIComponent('tags="team-a"')}`)).body.builds).toHaveLength(2);
    expect((await e.call("GET", `${P}/builds?filter=${encodeURIComponent("create_time>1")}`)).status).toBe(400);
    await e.call("POST", `${P}/triggers`, {
      name: "file",
      sourceToBuild: { uri: "https://github.com/acme/app", ref: "refs/heads/main", repoType: "GITHUB" },
      filename: "cloudbuild.yaml",
    });
    expect((await e.call("POST", `${P}/triggers/file:run`, {})).body.error).toMatchObject({ status: "FAILED_PRECONDITION" });
    expect((await e.call("POST", `${P}/triggers/none:run`, {})).status).toBe(404);
  });

  it("the legacy global routes: run with a RepoSource body, get by project and id", async () => {
    const e = await env();
    await trigger(e, "g", { steps: [step("a")] }, {}, "/v1/projects/p1/locations/global");
    const op = (await e.call("POST", `/v1/projects/p1/triggers/g:run`, { branchName: "release" })).body;
    const id = op.metadata.build.id;
    expect(op.metadata.build.substitutions.BRANCH_NAME).toBe("release");
    expect((await e.call("GET", `/v1/projects/p1/builds/${id}`)).body.id).toBe(id);
  });
});
