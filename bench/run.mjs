// pipeglot benchmarks: prints figures, asserts nothing (targets are read by people, not tests).
// Usage: npm run bench   (builds first). Set BENCH_QUICK=1 for fewer repetitions.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parse, stringify } from "yaml";
import { validate } from "@pipeglot/schema";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const QUICK = process.env.BENCH_QUICK === "1";

/** Median of `reps` timings of fn, in ms. */
function time(fn, reps) {
  fn();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export function bigPipeline(stages = 200, jobs = 10, steps = 10) {
  return stringify({
    pipeglot: 1,
    name: "big",
    source: { repository: "acme/big" },
    variables: { REGION: "eu-west-1" },
    secrets: { TOKEN: { aws: "secretsmanager:token" } },
    defaults: { image: "node:20", timeout: "30m" },
    stages: Array.from({ length: stages }, (_, s) => ({
      name: `stage-${s}`,
      jobs: Array.from({ length: jobs }, (_, j) => ({
        name: `job-${j}`,
        ...(j > 0 ? { needs: [`job-${j - 1}`] } : {}),
        env: { TOKEN: "${{ secrets.TOKEN }}" },
        steps: Array.from({ length: steps }, (_, k) => ({ name: `step-${k}`, run: `echo stage ${s} job ${j} step ${k} \${{ vars.REGION }}`, timeout: "5m" })),
      })),
    })),
  });
}

function typicalPipelines(n) {
  const ex = readdirSync(join(REPO, "examples"))
    .filter((d) => existsSync(join(REPO, "examples", d, "pipeglot.yaml")))
    .sort();
  const texts = ex.map((d) => readFileSync(join(REPO, "examples", d, "pipeglot.yaml"), "utf8"));
  return Array.from({ length: n }, (_, i) => texts[i % texts.length].replace(/^name: (.*)$/m, `name: $1-${i}`));
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const report = (label, ours, floor, target) => {
  const ratio = ours / floor;
  console.log(
    `${label.padEnd(58)} ${fmt(ours).padStart(10)}   floor ${fmt(floor).padStart(10)}   ratio ${ratio.toFixed(2)}x   target ≤ ${target}x ${ratio <= target ? "✓" : "✗"}`,
  );
};

console.log(`pipeglot bench — node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log("Front end: load + validate + normalize, against a bare `yaml` parse of the same text\n");

const big = bigPipeline();
const bigOurs = time(
  () => {
    const r = validate(big, { file: "big.yaml" });
    if (!r.ir) throw new Error("big pipeline invalid: " + JSON.stringify(r.diagnostics.slice(0, 3)));
  },
  QUICK ? 3 : 7,
);
const bigFloor = time(() => parse(big), QUICK ? 3 : 7);
report(`(a) 200 stages x 10 jobs x 10 steps (${(big.length / 1e6).toFixed(1)} MB), per pipeline`, bigOurs, bigFloor, 3);

const typical = typicalPipelines(500);
const tOurs = time(
  () => {
    for (const t of typical) if (!validate(t).ir) throw new Error("typical invalid");
  },
  QUICK ? 3 : 5,
);
const tFloor = time(
  () => {
    for (const t of typical) parse(t);
  },
  QUICK ? 3 : 5,
);
report("(b) 500 typical pipelines, per pipeline", tOurs / 500, tFloor / 500, 3);

// Validate must stay linear-ish in the number of stages (a chain, the first stage's artifact consumed by the last).
const chain = (n) =>
  stringify({
    pipeglot: 1,
    name: "chain",
    source: { repository: "acme/chain" },
    stages: Array.from({ length: n }, (_, i) => ({
      name: `s${i}`,
      jobs: [
        {
          name: "j",
          steps: [{ run: "make" }],
          ...(i === 0 ? { artifacts: { produce: [{ name: "a", paths: ["x"] }] } } : i === n - 1 ? { artifacts: { consume: ["a"] } } : {}),
        },
      ],
    })),
  });
const perStage = [1000, 5000, 10000].map((n) => {
  const text = chain(n);
  const ms = time(
    () => {
      if (!validate(text).ir) throw new Error("chain invalid");
    },
    QUICK ? 1 : 3,
  );
  const floor = time(() => parse(text), QUICK ? 1 : 3);
  console.log(
    `(d) a chain of ${String(n).padStart(5)} stages: validate ${fmt(ms).padStart(11)}  (${((ms / n) * 1000).toFixed(0)} µs/stage)   yaml parse ${fmt(floor).padStart(11)}   ratio ${(ms / floor).toFixed(2)}x`,
  );
  return ms / n;
});
console.log(`    per-stage cost at 10000 / at 1000 stages: ${(perStage[2] / perStage[0]).toFixed(2)}x (1.0x = linear)`);

// Start-up: spawns measured interleaved (one of each per round, medians) so that load from other
// work on the machine falls on all of them alike. Issue 17's measure: validate against `node -e 0`.
console.log("\nCLI start-up: `pipeglot validate` on one example, against `node -e 0` and against `node -e \"import('yaml'); import('zod')\"`\n");
function spawnMedians(commands, reps) {
  const times = commands.map(() => []);
  for (let i = -1; i < reps; i++)
    commands.forEach((args, k) => {
      const s = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: REPO, stdio: "ignore" });
      if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
      if (i >= 0) times[k].push(performance.now() - s); // round -1 warms the disk cache and the CLI's code cache
    });
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}
const [cli, nodeOnly, bare] = spawnMedians(
  [
    [join(REPO, "packages/cli/dist/bundle/pipeglot.js"), "validate", "examples/node-webapp/pipeglot.yaml"],
    ["-e", "0"],
    ["-e", "Promise.all([import('yaml'), import('zod')])"],
  ],
  QUICK ? 7 : 21,
);
report("(c) pipeglot validate examples/node-webapp/pipeglot.yaml", cli, nodeOnly, 2.5);
report("    the same, against importing yaml + zod", cli, bare, 1.5);

// ---- compile / compare of all four providers on the 200-stage pipeline -------------------------
const { provider: aws } = await import("@pipeglot/aws");
const { provider: azure } = await import("@pipeglot/azure");
const { provider: gcp } = await import("@pipeglot/gcp");
const { provider: oci } = await import("@pipeglot/oci");
const { translate } = await import("@pipeglot/core");
const { compare, loadPrices, DEFAULT_WORKLOAD } = await import("@pipeglot/compare");
const providers = [aws, azure, gcp, oci];
const bigIr = validate(big, { file: "big.yaml" }).ir;
/** The floor for an output: parse + stringify of the same documents with the yaml library. */
const yamlRoundTrip = (files) => {
  for (const f of files) stringify(parse(f.content, { logLevel: "error" }));
};
console.log("\nCompile: the 200-stage pipeline, against a yaml parse + stringify of the files it writes\n");
for (const p of providers) {
  const out = p.compile(bigIr);
  const ours = time(() => p.compile(bigIr), QUICK ? 1 : 3);
  const floor = time(() => yamlRoundTrip(out.files), QUICK ? 1 : 3);
  const size = out.files.reduce((n, f) => n + f.content.length, 0);
  console.log(
    `  ${p.id.padEnd(6)} ${fmt(ours).padStart(11)}  ${String(out.files.length).padStart(5)} files ${(size / 1e6).toFixed(1).padStart(5)} MB   floor ${fmt(floor).padStart(11)}   ratio ${(ours / floor).toFixed(2)}x`,
  );
}
const prices = (await loadPrices(undefined, providers)).prices;
const bigOuts = providers.map((p) => p.compile(bigIr));
const cmp = time(() => compare({ ir: bigIr, providers, prices, pricesFile: "bundled", workload: DEFAULT_WORKLOAD }), QUICK ? 1 : 3);
const cmpFloor = time(() => bigOuts.forEach((o) => yamlRoundTrip(o.files)), QUICK ? 1 : 3);
console.log(`  compare (all four) ${fmt(cmp)}   floor ${fmt(cmpFloor)}   ratio ${(cmp / cmpFloor).toFixed(2)}x`);

// ---- one step with a long run: compile must stay linear in the size of a script ---------------
// A run of 4 MiB is the most a step may hold (PG-RUN-TOO-LARGE beyond); the 1 MiB figure beside it
// shows whether the cost per MiB stays flat (1.0x = linear).
const longRun = (bytes) => {
  const line = "echo 'building the part' \"$HOME\" && make all  # step ${{ vars.REGION }}\n";
  const run = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes - 1) + "\n";
  return `pipeglot: 1\nname: long-run\nsource:\n  repository: acme/long\nvariables:\n  REGION: eu-west-1\nstages:\n  - name: build\n    jobs:\n      - name: b\n        steps:\n          - name: big\n            run: |\n${run.replace(/^(?=.)/gm, "              ")}`;
};
console.log("\nCompile: one step whose run is 4 MiB (the limit), against the same pipeline with a 1 MiB run\n");
const runIr = {};
for (const mib of [1, 4]) {
  const text = longRun(mib * 1048576);
  let r;
  const ms = time(
    () => {
      r = validate(text, { file: "long-run.yaml" });
    },
    QUICK ? 1 : 3,
  );
  if (!r.ir) throw new Error("long-run pipeline invalid: " + JSON.stringify(r.diagnostics.slice(0, 3)));
  runIr[mib] = r.ir;
  console.log(`  validate ${mib} MiB run ${fmt(ms).padStart(11)}`);
}
for (const p of providers) {
  const [one, four] = [1, 4].map((mib) => time(() => p.compile(runIr[mib]), QUICK ? 1 : 3));
  const out = p.compile(runIr[4]);
  const size = out.files.reduce((n, f) => n + f.content.length, 0);
  console.log(
    `  ${p.id.padEnd(6)} 4 MiB run ${fmt(four).padStart(11)}  ${(size / 1e6).toFixed(1).padStart(5)} MB written   1 MiB run ${fmt(one).padStart(10)}   per MiB at 4 / at 1: ${(four / 4 / one).toFixed(2)}x`,
  );
}

// ---- translate throughput over the real-world corpus -----------------------------------------
const corpus = join(REPO, "..", "shared", "corpus");
if (existsSync(corpus)) {
  const files = [];
  const walk = (d) => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(n.name)) files.push({ path: p, content: readFileSync(p, "utf8") });
    }
  };
  walk(corpus);
  const pick = (f) => providers.map((p) => ({ p, s: p.detect(f) })).sort((a, b) => b.s - a.s)[0].p;
  const jobs = files.map((f) => ({ f, from: pick(f) }));
  const reps = QUICK ? 1 : 3;
  const ours = time(() => {
    for (const { f, from } of jobs) translate([f], from, providers);
  }, reps);
  const floor = time(() => {
    for (const { f } of jobs) {
      try {
        stringify(parse(f.content, { logLevel: "error" }));
      } catch {
        /* a corpus file that is not valid YAML/JSON still costs its parse */
      }
    }
  }, reps);
  console.log(`\nTranslate: ${files.length} corpus files, each into all four providers`);
  console.log(
    `  ${(files.length / (ours / 1000)).toFixed(0)} files/s (${fmt(ours / files.length)} per file)   floor (yaml parse + stringify) ${fmt(floor / files.length)} per file   ratio ${(ours / floor).toFixed(1)}x`,
  );
} else console.log("\nTranslate: skipped, ../shared/corpus is absent");

// ---- live sync against the emulators: one harness and one table for the four clouds (bench/live.mjs)
const { benchLive, liveTable, CLOUDS } = await import("./live.mjs");
const LIVE = { pipelines: QUICK ? 20 : 200, latencyMs: 50, concurrency: 16, parallelism: 4 };
console.log(`\nLive sync: ${LIVE.pipelines} copies of examples/node-webapp per cloud against its emulator with ${LIVE.latencyMs} ms latency per request;`);
console.log(
  `${LIVE.concurrency} pipelines at once, each apply writing up to ${LIVE.parallelism} resources at once; ideal = max(calls x latency / ${LIVE.concurrency * LIVE.parallelism} in flight, critical path)\n`,
);
const liveRows = [];
for (const cloud of CLOUDS) liveRows.push(await benchLive(cloud, LIVE));
console.log(liveTable(liveRows));

const extra = process.env.PIPEGLOT_BENCH_EXTRA;
if (extra) await import(extra);
