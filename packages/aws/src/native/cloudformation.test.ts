import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CFN_TAGS, fromCfn, toCfn } from "./cloudformation.js";

describe("CloudFormation model", () => {
  it("reads every short-form intrinsic as its long form", () => {
    const v = parse(
      "a: !Ref X\nb: !Sub 'x-${Y}'\nc: !Join ['-', [a, !Ref Z]]\nd: !GetAtt R.Arn\ne: !If [C, !Ref A, !Ref B]\nf: !Sub\n  - x\n  - {a: 1}\ng: !ImportValue v\n",
      { customTags: CFN_TAGS },
    );
    expect(v).toEqual({
      a: { Ref: "X" },
      b: { "Fn::Sub": "x-${Y}" },
      c: { "Fn::Join": ["-", ["a", { Ref: "Z" }]] },
      d: { "Fn::GetAtt": ["R", "Arn"] },
      e: { "Fn::If": ["C", { Ref: "A" }, { Ref: "B" }] },
      f: { "Fn::Sub": ["x", { a: 1 }] },
      g: { "Fn::ImportValue": "v" },
    });
  });
  it("converts keys both ways, keeping configuration maps and BuildSpec", () => {
    const api = {
      name: "p",
      source: { type: "CODEPIPELINE", buildspec: "x" },
      configuration: { ProjectName: "p", lowerKey: "v" },
      tags: [{ key: "k", value: "v" }],
    };
    const cfn = toCfn(api);
    expect(cfn).toEqual({
      Name: "p",
      Source: { Type: "CODEPIPELINE", BuildSpec: "x" },
      Configuration: { ProjectName: "p", lowerKey: "v" },
      Tags: [{ Key: "k", Value: "v" }],
    });
    expect(fromCfn(cfn)).toEqual(api);
    expect(fromCfn({ RoleArn: { "Fn::GetAtt": ["R", "Arn"] } })).toEqual({ roleArn: { "Fn::GetAtt": ["R", "Arn"] } });
  });
});
