import { describe, expect, it } from "vitest";
import { expandTemplates } from "./expand.js";

const files: Record<string, string> = {
  "templates/steps.yml": "parameters:\n  - name: msg\n    default: hi\n  - name: extra\n    type: stepList\n    default: []\nsteps:\n  - script: echo ${{ parameters.msg }}\n  - ${{ parameters.extra }}\n",
  "templates/jobs.yml": "parameters:\n  names: [a]\njobs:\n  - ${{ each n in parameters.names }}:\n    - job: job_${{ n }}\n      steps:\n        - template: steps.yml\n          parameters:\n            msg: ${{ n }}\n",
  "templates/stages.yml": "parameters:\n  - name: env\nstages:\n  - stage: deploy_${{ parameters.env }}\n    jobs:\n      - job: j\n        steps: [{ script: go }]\n",
  "templates/vars.yml": "variables:\n  - name: fromTemplate\n    value: yes\n",
  "templates/base.yml": "parameters:\n  - name: buildSteps\n    type: stepList\n    default: []\nstages:\n  - stage: build\n    jobs:\n      - job: b\n        steps:\n          - script: setup\n          - ${{ each s in parameters.buildSteps }}:\n            - ${{ s }}\n",
  "shared/remote.yml": "steps:\n  - script: remote\n",
};
const readFile = (p: string) => files[p];
const expand = (text: string, opts = {}) => expandTemplates(text, "azure-pipelines.yml", { readFile, templateRoots: { tools: "shared" }, ...opts });

describe("template engine features (table)", () => {
  const table: { name: string; yaml: string; want: unknown; opts?: object }[] = [
    { name: "parameter in a string", yaml: "parameters:\n  - name: x\n    default: v\nsteps:\n  - script: echo ${{ parameters.x }}\n", want: { steps: [{ script: "echo v" }] } },
    { name: "runtime parameter value from options", yaml: "parameters:\n  - name: x\n    default: v\nsteps:\n  - script: echo ${{ parameters.x }}\n", want: { steps: [{ script: "echo w" }] }, opts: { parameters: { x: "w" } } },
    { name: "compile-time variable", yaml: "variables:\n  a: one\nsteps:\n  - script: echo ${{ variables.a }}\n", want: { variables: { a: "one" }, steps: [{ script: "echo one" }] } },
    { name: "if in a mapping", yaml: "variables: {a: x}\nsteps:\n  - script: s\n    ${{ if eq(variables.a, 'x') }}:\n      displayName: yes\n", want: { variables: { a: "x" }, steps: [{ script: "s", displayName: "yes" }] } },
    { name: "if / elseif / else in a sequence", yaml: "variables: {a: b}\nsteps:\n  - ${{ if eq(variables.a, 'a') }}:\n    - script: A\n  - ${{ elseif eq(variables.a, 'b') }}:\n    - script: B\n  - ${{ else }}:\n    - script: C\n", want: { variables: { a: "b" }, steps: [{ script: "B" }] } },
    { name: "else when nothing matched", yaml: "steps:\n  - ${{ if false }}:\n    - script: A\n  - ${{ else }}:\n    - script: C\n", want: { steps: [{ script: "C" }] } },
    { name: "each over a list", yaml: "parameters:\n  - name: l\n    default: [x, y]\nsteps:\n  - ${{ each i in parameters.l }}:\n    - script: echo ${{ i }}\n", want: { steps: [{ script: "echo x" }, { script: "echo y" }] } },
    { name: "each over a mapping", yaml: "parameters:\n  - name: m\n    default: {k1: v1}\nsteps:\n  - script: s\n    env:\n      ${{ each p in parameters.m }}:\n        ${{ p.key }}: ${{ p.value }}\n", want: { steps: [{ script: "s", env: { k1: "v1" } }] } },
    { name: "steps template with parameters", yaml: "steps:\n  - template: templates/steps.yml\n    parameters:\n      msg: yo\n", want: { steps: [{ script: "echo yo" }] } },
    { name: "stepList parameter spliced", yaml: "steps:\n  - template: templates/steps.yml\n    parameters:\n      extra:\n        - script: more\n", want: { steps: [{ script: "echo hi" }, { script: "more" }] } },
    { name: "jobs template with each and nested template", yaml: "jobs:\n  - template: templates/jobs.yml\n    parameters:\n      names: [p, q]\n", want: { jobs: [{ job: "job_p", steps: [{ script: "echo p" }] }, { job: "job_q", steps: [{ script: "echo q" }] }] } },
    { name: "stages template", yaml: "stages:\n  - template: templates/stages.yml\n    parameters: {env: prod}\n", want: { stages: [{ stage: "deploy_prod", jobs: [{ job: "j", steps: [{ script: "go" }] }] }] } },
    { name: "variables template", yaml: "variables:\n  - template: templates/vars.yml\n  - name: own\n    value: x\nsteps: [{script: s}]\n", want: { variables: [{ name: "fromTemplate", value: "yes" }, { name: "own", value: "x" }], steps: [{ script: "s" }] } },
    { name: "extends with a stepList", yaml: "trigger: none\nextends:\n  template: templates/base.yml\n  parameters:\n    buildSteps:\n      - script: mine\n", want: { trigger: "none", stages: [{ stage: "build", jobs: [{ job: "b", steps: [{ script: "setup" }, { script: "mine" }] }] }] } },
    { name: "template in another repository through templateRoots", yaml: "steps:\n  - template: remote.yml@tools\n", want: { steps: [{ script: "remote" }] } },
    { name: "literal ${{ via a string expression", yaml: "steps:\n  - script: echo ${{ '${{' }} x }}\n", want: { steps: [{ script: "echo ${{ x }}" }] } },
    { name: "runtime syntax kept", yaml: "steps:\n  - script: echo $(a) $[ variables.b ]\n", want: { steps: [{ script: "echo $(a) $[ variables.b ]" }] } },
    { name: "whole-value expression yields a list", yaml: "parameters:\n  - name: l\n    default: [a, b]\nsteps:\n  - script: s\n    env:\n      L: ${{ join(';', parameters.l) }}\n", want: { steps: [{ script: "s", env: { L: "a;b" } }] } },
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
