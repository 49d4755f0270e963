/**
 * fast-check generator of random valid definitions that can really RUN on this machine (issue 15's
 * differential property): every command comes from a small vocabulary of plain shell that writes,
 * checks and reads files, so that a run's trace shows where files, values and statuses go. Stages
 * and jobs form backward DAGs; a step may `cd` and `export` (the next step must not see it); a job may produce an artifact that a job of a later stage consumes
 * and checks; variables, job env and matrix values are written into files; steps may be retried
 * (a flaky step that fails once), may fail with continueOnError, and may carry a branch condition;
 * a later stage may wait for an approval (approved in the run).
 */
import fc from "fast-check";
import type { PipelineDocument } from "@pipeglot/schema";

type Doc = PipelineDocument;
type Stage = Doc["stages"][number];
type Job = Stage["jobs"][number];
type Step = Job["steps"][number];

/** Values with a space, quotes and a `$`: data must reach the file as it is. */
const valueArb = fc.constantFrom("plain", "two words", "it's", 'say "hi"', "cost $5", "a=b;c");

interface Produced {
  artifact: string;
  job: string;
  files: string[];
}

/** A step writing a file from a variable and the job's env value: `out/<job>/<step>.txt`. */
const writeStep = (job: string, i: number): Step => ({
  name: `write-${i}`,
  run: `mkdir -p out/${job} && printf '%s|%s\\n' "\${{ vars.GREETING }}" "$JOB_VALUE" > out/${job}/write-${i}.txt`,
});

function stepsArb(job: string, matrix: boolean): fc.Arbitrary<Step[]> {
  const extra = fc.record({
    wander: fc.boolean(),
    flaky: fc.boolean(),
    failing: fc.boolean(),
    branch: fc.constantFrom(undefined, "main", "release/*"),
  });
  return fc.tuple(fc.integer({ min: 1, max: 2 }), extra).map(([writes, x]) => {
    const steps: Step[] = matrix
      ? [{ name: "cell", run: `echo "\${{ matrix.target }}" > "cell-\${{ matrix.target }}.txt" && test -f "cell-\${{ matrix.target }}.txt"` }]
      : Array.from({ length: writes }, (_, i) => writeStep(job, i + 1));
    const cell = matrix ? "-${{ matrix.target }}" : "";
    // A step starts in the workspace with a fresh shell: a `cd` or `export` of the step before does not carry over.
    if (x.wander)
      steps.push(
        { name: "wander", run: `mkdir -p sub-${job} && cd sub-${job} && export PG_LEAK=leaked && touch here.txt` },
        { name: "stay", run: `test -z "\${PG_LEAK:-}" && test ! -e here.txt && test -d sub-${job}` },
      );
    if (x.flaky)
      steps.push({
        name: "flaky",
        retries: 1,
        run: `c="$TMPDIR/flaky-${job}${cell}"; n=$(cat "$c" 2>/dev/null || echo 0); echo $((n + 1)) > "$c"; [ "$n" -ge 1 ]`,
      });
    if (x.failing) steps.push({ name: "may-fail", continueOnError: true, run: "echo failing on purpose >&2; exit 3" });
    if (x.branch) steps.push({ name: "on-branch", condition: { branches: [x.branch] }, run: `echo "\${{ git.branch }}" > branch-${job}.txt` });
    return steps;
  });
}

/** One stage's jobs; a non-matrix job may produce `<job>-out` (its out/<job>/ files), consumers check what they consume. */
function stageArb(index: number, available: readonly Produced[]): fc.Arbitrary<{ stage: Stage; produced: Produced[] }> {
  const name = `s${index}`;
  return fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([n, approval]) =>
    fc.tuple(...Array.from({ length: n }, (_, j) => jobArb(`${name}j${j}`, j, available))).map((jobs) => ({
      stage: {
        name,
        ...(index > 0 ? { needs: [`s${index - 1}`] } : {}),
        ...(index > 0 && approval ? { approval: { approvers: ["release-team"] } } : {}),
        jobs: jobs.map((x) => x.job),
      } as Stage,
      produced: jobs.flatMap((x) => x.produced),
    })),
  );
}

function jobArb(name: string, j: number, available: readonly Produced[]): fc.Arbitrary<{ job: Job; produced: Produced[] }> {
  const consumeArb = available.length ? fc.subarray([...available], { maxLength: Math.min(2, available.length) }) : fc.constant([] as Produced[]);
  return fc.record({ matrix: fc.boolean(), produce: fc.boolean(), consumes: consumeArb, value: valueArb, needs: fc.boolean() }).chain((o) =>
    stepsArb(name, o.matrix).map((steps) => {
      const produce = o.produce && !o.matrix;
      const checks: Step[] = o.consumes.map((p, k) => ({ name: `check-${k + 1}`, run: p.files.map((f) => `test -f ${f}`).join(" && ") }));
      const job: Job = {
        name,
        ...(j > 0 && o.needs ? { needs: [name.replace(/j\d+$/, `j${j - 1}`)] } : {}),
        env: { JOB_VALUE: o.value },
        ...(o.matrix ? { matrix: { target: ["alpha", "beta"] } } : {}),
        steps: [...checks, ...steps],
        ...(produce || o.consumes.length
          ? {
              artifacts: {
                ...(produce ? { produce: [{ name: `${name}-out`, paths: [`out/${name}/**`] }] } : {}),
                ...(o.consumes.length ? { consume: o.consumes.map((p) => p.artifact) } : {}),
              },
            }
          : {}),
      } as Job;
      const files = steps.filter((s) => s.name?.startsWith("write-")).map((s) => `out/${name}/${s.name}.txt`);
      return { job, produced: produce && files.length ? [{ artifact: `${name}-out`, job: name, files }] : [] };
    }),
  );
}

/** 1–3 stages, each needing the previous; artifacts flow forward across stages. */
export const runnableArb: fc.Arbitrary<Doc> = fc.integer({ min: 1, max: 3 }).chain((n) => {
  const build = (i: number, available: Produced[], acc: Stage[]): fc.Arbitrary<Stage[]> =>
    i === n ? fc.constant(acc) : stageArb(i, available).chain((s) => build(i + 1, [...available, ...s.produced], [...acc, s.stage]));
  return fc.tuple(build(0, [], []), valueArb).map(
    ([stages, greeting]) =>
      ({
        pipeglot: 1,
        name: "random-run",
        source: { repository: "acme/random", branch: "main", provider: "github" },
        variables: { GREETING: greeting },
        stages,
      }) as unknown as Doc,
  );
});
