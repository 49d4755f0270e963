import { describe, expect, it } from "vitest";
import { CODES } from "../../diagnostics.js";
import { BUDGETS } from "./budget.js";
import { expandTemplates } from "./expand.js";

const files: Record<string, string> = {
  "templates/steps.yml":
    "parameters:\n  - name: msg\n    default: hi\n  - name: extra\n    type: stepList\n    default: []\nsteps:\n  - script: echo ${{ parameters.msg }}\n  - ${{ parameters.extra }}\n",
  "templates/jobs.yml":
    "parameters:\n  names: [a]\njobs:\n  - ${{ each n in parameters.names }}:\n    - job: job_${{ n }}\n      steps:\n        - template: steps.yml\n          parameters:\n            msg: ${{ n }}\n",
  "templates/stages.yml":
    "parameters:\n  - name: env\nstages:\n  - stage: deploy_${{ parameters.env }}\n    jobs:\n      - job: j\n        steps: [{ script: go }]\n",
  "templates/vars.yml": "variables:\n  - name: fromTemplate\n    value: yes\n",
  "templates/base.yml":
    "parameters:\n  - name: buildSteps\n    type: stepList\n    default: []\nstages:\n  - stage: build\n    jobs:\n      - job: b\n        steps:\n          - script: setup\n          - ${{ each s in parameters.buildSteps }}:\n            - ${{ s }}\n",
  "shared/remote.yml": "steps:\n  - script: remote\n",
};
const readFile = (p: string) => files[p];
const expand = (text: string, opts = {}) => expandTemplates(text, "azure-pipelines.yml", { readFile, templateRoots: { tools: "shared" }, ...opts });

describe("template engine features (table)", () => {
  const table: { name: string; yaml: string; want: unknown; opts?: object }[] = [
    {
      name: "parameter in a string",
      yaml: "parameters:\n  - name: x\n    default: v\nsteps:\n  - script: echo ${{ parameters.x }}\n",
      want: { steps: [{ script: "echo v" }] },
    },
    {
      name: "runtime parameter value from options",
      yaml: "parameters:\n  - name: x\n    default: v\nsteps:\n  - script: echo ${{ parameters.x }}\n",
      want: { steps: [{ script: "echo w" }] },
      opts: { parameters: { x: "w" } },
    },
    {
      name: "compile-time variable",
      yaml: "variables:\n  a: one\nsteps:\n  - script: echo ${{ variables.a }}\n",
      want: { variables: { a: "one" }, steps: [{ script: "echo one" }] },
    },
    {
      name: "if in a mapping",
      yaml: "variables: {a: x}\nsteps:\n  - script: s\n    ${{ if eq(variables.a, 'x') }}:\n      displayName: yes\n",
      want: { variables: { a: "x" }, steps: [{ script: "s", displayName: "yes" }] },
    },
    {
      name: "if / elseif / else in a sequence",
      yaml: "variables: {a: b}\nsteps:\n  - ${{ if eq(variables.a, 'a') }}:\n    - script: A\n  - ${{ elseif eq(variables.a, 'b') }}:\n    - script: B\n  - ${{ else }}:\n    - script: C\n",
      want: { variables: { a: "b" }, steps: [{ script: "B" }] },
    },
    {
      name: "else when nothing matched",
      yaml: "steps:\n  - ${{ if false }}:\n    - script: A\n  - ${{ else }}:\n    - script: C\n",
      want: { steps: [{ script: "C" }] },
    },
    {
      name: "each over a list",
      yaml: "parameters:\n  - name: l\n    default: [x, y]\nsteps:\n  - ${{ each i in parameters.l }}:\n    - script: echo ${{ i }}\n",
      want: { steps: [{ script: "echo x" }, { script: "echo y" }] },
    },
    {
      name: "each over a mapping",
      yaml: "parameters:\n  - name: m\n    default: {k1: v1}\nsteps:\n  - script: s\n    env:\n      ${{ each p in parameters.m }}:\n        ${{ p.key }}: ${{ p.value }}\n",
      want: { steps: [{ script: "s", env: { k1: "v1" } }] },
    },
    {
      name: "steps template with parameters",
      yaml: "steps:\n  - template: templates/steps.yml\n    parameters:\n      msg: yo\n",
      want: { steps: [{ script: "echo yo" }] },
    },
    {
      name: "stepList parameter spliced",
      yaml: "steps:\n  - template: templates/steps.yml\n    parameters:\n      extra:\n        - script: more\n",
      want: { steps: [{ script: "echo hi" }, { script: "more" }] },
    },
    {
      name: "jobs template with each and nested template",
      yaml: "jobs:\n  - template: templates/jobs.yml\n    parameters:\n      names: [p, q]\n",
      want: {
        jobs: [
          { job: "job_p", steps: [{ script: "echo p" }] },
          { job: "job_q", steps: [{ script: "echo q" }] },
        ],
      },
    },
    {
      name: "stages template",
      yaml: "stages:\n  - template: templates/stages.yml\n    parameters: {env: prod}\n",
      want: { stages: [{ stage: "deploy_prod", jobs: [{ job: "j", steps: [{ script: "go" }] }] }] },
    },
    {
      name: "variables template",
      yaml: "variables:\n  - template: templates/vars.yml\n  - name: own\n    value: x\nsteps: [{script: s}]\n",
      want: {
        variables: [
          { name: "fromTemplate", value: "yes" },
          { name: "own", value: "x" },
        ],
        steps: [{ script: "s" }],
      },
    },
    {
      name: "extends with a stepList",
      yaml: "trigger: none\nextends:\n  template: templates/base.yml\n  parameters:\n    buildSteps:\n      - script: mine\n",
      want: { trigger: "none", stages: [{ stage: "build", jobs: [{ job: "b", steps: [{ script: "setup" }, { script: "mine" }] }] }] },
    },
    { name: "template in another repository through templateRoots", yaml: "steps:\n  - template: remote.yml@tools\n", want: { steps: [{ script: "remote" }] } },
    { name: "literal ${{ via a string expression", yaml: "steps:\n  - script: echo ${{ '${{' }} x }}\n", want: { steps: [{ script: "echo ${{ x }}" }] } },
    { name: "runtime syntax kept", yaml: "steps:\n  - script: echo $(a) $[ variables.b ]\n", want: { steps: [{ script: "echo $(a) $[ variables.b ]" }] } },
    {
      name: "whole-value expression yields a list",
      yaml: "parameters:\n  - name: l\n    default: [a, b]\nsteps:\n  - script: s\n    env:\n      L: ${{ join(';', parameters.l) }}\n",
      want: { steps: [{ script: "s", env: { L: "a;b" } }] },
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = expand(t.yaml, t.opts);
      expect(r.diagnostics).toEqual([]);
      const { parameters: _p, ...rest } = r.value as Record<string, unknown>;
      void _p;
      expect(rest).toEqual(t.want);
    });
  }
  it("reports a missing template with its position, not a crash, and keeps its reference", () => {
    const r = expand("steps:\n  - script: a\n  - template: nowhere.yml\n    parameters: {x: '${{ 1 }}'}\n");
    expect(r.value).toEqual({ steps: [{ script: "a" }, { template: "nowhere.yml", parameters: { x: 1 } }] });
    expect(r.diagnostics).toMatchObject([{ code: "PG-ADO-IMPORT-TEMPLATE-MISSING", file: "azure-pipelines.yml", line: 3, column: 5 }]);
  });
  it("reports a template in an unknown repository", () => {
    const r = expand("steps:\n  - template: x.yml@other\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["PG-ADO-IMPORT-TEMPLATE-REMOTE"]);
    expect(r.value).toEqual({ steps: [{ template: "x.yml@other" }] });
  });
  it("keeps an extends reference it cannot read", () => {
    const r = expand("trigger: none\nextends:\n  template: base.yml@templates\n  parameters: {stages: []}\n");
    expect(r.value).toEqual({ trigger: "none", extends: { template: "base.yml@templates", parameters: { stages: [] } } });
  });
  it("stops a template that includes itself", () => {
    const self = { "loop.yml": "steps:\n  - template: loop.yml\n" };
    const r = expandTemplates("steps:\n  - template: loop.yml\n", "azure-pipelines.yml", { readFile: (p) => self[p as keyof typeof self] });
    expect(r.diagnostics.map((d) => d.code)).toContain("PG-ADO-IMPORT-TEMPLATE-DEPTH");
  });
  it("reports an expression it cannot evaluate and keeps the text", () => {
    const r = expand("steps:\n  - script: echo ${{ counter('a', 1) }}\n");
    expect(r.value).toEqual({ steps: [{ script: "echo ${{ counter('a', 1) }}" }] });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["PG-ADO-IMPORT-EXPRESSION"]);
  });
});

/** Whole-file failures of expandTemplates: the one budget error, with its place. */
describe("expansion budgets (hostile input fails fast with one positioned error)", () => {
  const list = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(",")}]`;
  const only = (text: string) => {
    const r = expand(text);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    const [d] = r.diagnostics;
    return `${d!.severity} ${d!.code} ${d!.file}:${d!.line}:${d!.column} ${d!.message}`;
  };

  it("the 379-byte file: four nested each over a 45-item parameter crosses the items budget at the innermost each", () => {
    const text = [
      "parameters:",
      "- name: n",
      "  type: object",
      `  default: ${list(45)}`,
      "steps:",
      "- ${{ each a in parameters.n }}:",
      "  - ${{ each b in parameters.n }}:",
      "    - ${{ each c in parameters.n }}:",
      "      - ${{ each d in parameters.n }}:",
      "        - script: e ${{ a }}${{ b }}${{ c }}${{ d }}",
      "",
    ].join("\n");
    expect(Buffer.byteLength(text)).toBe(379);
    const started = performance.now();
    const got = only(text);
    expect(performance.now() - started).toBeLessThan(4000);
    expect(got).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:9:9 .*more than 100000 values inserted .*budget "items": 100000/);
  });

  it("directives nested more than 100 deep cross the depth budget at the 101st", () => {
    const lines = ["steps:"];
    for (let k = 0; k < 101; k++) lines.push(`${"  ".repeat(k)}- \${{ if true }}:`);
    lines.push(`${"  ".repeat(101)}- script: deep`, "");
    expect(only(lines.join("\n"))).toMatch(
      /^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:102:203 .*levels of \$\{\{ \}\} directives nested .*budget "depth": 100/,
    );
    const ok = ["steps:"];
    for (let k = 0; k < 100; k++) ok.push(`${"  ".repeat(k)}- \${{ if true }}:`);
    ok.push(`${"  ".repeat(100)}- script: deep`, "");
    expect(expand(ok.join("\n")).value).toEqual({ steps: [{ script: "deep" }] });
  });

  it("long strings inserted a few thousand times cross the output budget at the innermost each", () => {
    const text = `parameters:\n- name: n\n  default: ${list(64)}\n- name: s\n  default: ${"x".repeat(8192)}\nsteps:\n- \${{ each a in parameters.n }}:\n  - \${{ each b in parameters.n }}:\n    - script: \${{ parameters.s }}\n`;
    expect(only(text)).toMatch(
      /^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:8:5 .*more than 16777216 characters of expanded strings and keys .*budget "output": 16777216/,
    );
  });

  it("many small values cross the values budget at the innermost each", () => {
    const env = Array.from({ length: 300 }, (_, i) => `k${i}: 1`).join(", ");
    const text = `parameters:\n- name: n\n  default: ${list(64)}\nsteps:\n- \${{ each a in parameters.n }}:\n  - \${{ each b in parameters.n }}:\n    - script: s\n      env: {${env}}\n`;
    expect(only(text)).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:6:5 .*more than 1000000 values produced .*budget "values": 1000000/);
  });

  it("a whole-value expression copying a large parameter counts the copy's size", () => {
    const big = `[${Array.from({ length: 100 }, () => "y".repeat(100)).join(", ")}]`;
    const text = `parameters:\n- name: n\n  default: ${list(64)}\n- name: big\n  type: object\n  default: ${big}\nsteps:\n- \${{ each a in parameters.n }}:\n  - \${{ each b in parameters.n }}:\n    - script: s\n      env:\n        \${{ each v in parameters.big }}:\n          \${{ v }}: \${{ parameters.big }}\n`;
    expect(only(text)).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:12:9 .*budget "output"/);
  });

  it("one string taking in a large parameter many times is charged piece by piece", () => {
    const text = `parameters:\n- name: s\n  default: ${"x".repeat(200_000)}\nsteps:\n- script: "${"${{ parameters.s }} ".repeat(100)}"\n`;
    expect(only(text)).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:5:3 .*budget "output"/);
  });

  it("nested replace() cannot build a string past the output budget", () => {
    const text = `parameters:\n- name: s\n  default: ${"a".repeat(200)}\nsteps:\n- script: \${{ replace(replace(replace(parameters.s, 'a', parameters.s), 'a', parameters.s), 'a', parameters.s) }}\n`;
    expect(only(text)).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:5:3 .*budget "output"/);
  });

  it("YAML aliases of aliases (a 'billion laughs') cross the values budget at the alias whose copy crosses it", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    lines.push("steps: [{script: x}]", "");
    expect(only(lines.join("\n"))).toMatch(/^error PG-ADO-IMPORT-TEMPLATE-BUDGET azure-pipelines\.yml:6:45 .*budget "values"/);
  });

  it("a template that includes itself twice crosses the items budget instead of running 2^50 times", () => {
    const twice = { "loop.yml": "steps:\n  - template: loop.yml\n  - template: loop.yml\n" };
    const r = expandTemplates("steps:\n  - template: loop.yml\n", "azure-pipelines.yml", { readFile: (p) => twice[p as keyof typeof twice] });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual(["PG-ADO-IMPORT-TEMPLATE-BUDGET loop.yml:2:5"]);
  });

  it("the code's summary states the numbers in BUDGETS", () => {
    const s = CODES["PG-ADO-IMPORT-TEMPLATE-BUDGET"].summary.replace(/,/g, "");
    expect(s).toContain(`${BUDGETS.items} values`);
    expect(s).toContain(`${BUDGETS.depth} deep`);
    expect(s).toContain(`${BUDGETS.values} values produced`);
    expect(s).toContain(`${BUDGETS.output / 1048576} MiB`);
  });
});
