/**
 * CloudFormation references carried by the IR. An imported template's intrinsics that cannot be
 * resolved statically (`!GetAtt Role.Arn`, `!Ref Bucket`, `!Sub "arn:...:${AWS::AccountId}:..."`)
 * reach the IR as Fn::Sub text: `${Role.Arn}`, `${Bucket}`, `arn:...:${AWS::AccountId}:...`.
 * Compile writes, for each value holding such text:
 *   - pipeline.json: a valid, clearly marked placeholder (pseudo parameters take the target's
 *     account and region), with a PG-AWS-CFN-REFERENCE warning at the value's position;
 *   - cloudformation.yaml: `!Sub` when only pseudo parameters are used (the stack resolves them),
 *     else `!Ref` to a template parameter whose default is that placeholder; the template's
 *     `Metadata.pipeglot.references` maps each such parameter back to the original text, so that
 *     importing the template gives the same IR again.
 */
import { NameRegistry } from "@pipeglot/core";
import { LOGICAL_ID, PIPELINE_NAME } from "../names.js";
import { PLACEHOLDER } from "./context.js";

/** `${Name}`, `${Resource.Attr}`, `${AWS::Region}` — not `${{ ... }}` (neutral expressions) nor `${!...}` (a literal). */
const REF = /\$\{(?![{!])([^}]*)\}/g;
export const ROLE_ARN = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/;
export const BUCKET = /^[a-zA-Z0-9.-]{3,63}$/;

export type RefKind = "role" | "bucket" | "connection" | "topic" | "text";

export interface Reference {
  /** The IR text, in Fn::Sub syntax. */
  original: string;
  /** What pipeline.json holds instead. */
  placeholder: string;
  /** The template parameter that stands for it (absent when only pseudo parameters are used). */
  parameter?: string;
  /** The keys (field names) the value was written under: the template replaces it there only. */
  keys: Set<string>;
}

export const hasReference = (s: string): boolean => new RegExp(REF.source).test(s);
const refsIn = (s: string): string[] => [...s.matchAll(REF)].map((m) => m[1]!);

/** The references of one compile: placeholder text → reference. */
export class References {
  readonly byPlaceholder = new Map<string, Reference>();
  private readonly params = new NameRegistry(LOGICAL_ID);
  private readonly byOriginal = new Map<string, Reference>();
  constructor(
    private readonly account: string,
    private readonly region: string,
    private readonly stackName: string,
  ) {}

  /** The pipeline.json value for `text` (unchanged when it holds no reference). */
  resolve(text: string, kind: RefKind, field = "Value"): { value: string; ref?: Reference } {
    if (!hasReference(text)) return { value: text };
    const key = `${kind}\u0000${text}`;
    const known = this.byOriginal.get(key);
    if (known) {
      known.keys.add(field);
      return { value: known.placeholder, ref: known };
    }
    const names = refsIn(text);
    const pseudoOnly = names.every((n) => n in this.pseudo());
    // A parameter is named after the reference it stands for, or, when it stands for a longer text, after that and the field.
    const own = names.filter((n) => !n.startsWith("AWS::")).join(" ");
    const parameter = pseudoOnly ? undefined : this.params.take(text === `\${${names[0]}}` ? own : `${own} ${field}`);
    const ref: Reference = {
      original: text,
      placeholder: this.placeholder(text, kind, parameter ?? "Reference"),
      ...(parameter ? { parameter } : {}),
      keys: new Set([field, ...KEYS[kind]]),
    };
    this.byOriginal.set(key, ref);
    this.byPlaceholder.set(ref.placeholder, ref);
    return { value: ref.placeholder, ref };
  }

  private pseudo(): Record<string, string> {
    return {
      "AWS::AccountId": this.account,
      "AWS::Region": this.region,
      "AWS::Partition": "aws",
      "AWS::URLSuffix": "amazonaws.com",
      "AWS::StackName": this.stackName,
    };
  }

  private placeholder(text: string, kind: RefKind, parameter: string): string {
    const pseudo = this.pseudo();
    const token = (n: string) => pseudo[n] ?? `${PLACEHOLDER}-${n.replace(/[^A-Za-z0-9]+/g, "-")}`;
    const substituted = text.replace(REF, (_m, n: string) => token(n)).replace(/\$\{!/g, "${");
    const marked = `${PLACEHOLDER}-${parameter}`;
    switch (kind) {
      case "role":
        return ROLE_ARN.test(substituted) ? substituted : `arn:aws:iam::${this.account}:role/${marked}`;
      case "bucket":
        return BUCKET.test(substituted) && substituted === substituted.toLowerCase() ? substituted : marked.toLowerCase().slice(0, 63);
      case "connection":
        return /^arn:aws(-[\w]+)*:(codestar-connections|codeconnections):/.test(substituted)
          ? substituted
          : `arn:aws:codestar-connections:${this.region}:${this.account}:connection/${marked}`;
      case "topic":
        return /^arn:aws(-[\w]+)*:sns:/.test(substituted) ? substituted : `arn:aws:sns:${this.region}:${this.account}:${marked}`;
      default:
        return substituted;
    }
  }
}

/** Where else a value of each kind is written (a role ARN is also a project's service role). */
const KEYS: Record<RefKind, string[]> = {
  role: ["RoleArn", "ServiceRole"],
  bucket: ["Location"],
  connection: ["ConnectionArn"],
  topic: ["NotificationArn"],
  text: [],
};

/** Is the template key `key` (PascalCase) one of the keys a reference was written under (API camelCase or configuration keys)? */
export const writtenUnder = (ref: Reference, key: string): boolean => [...ref.keys].some((k) => k.toLowerCase() === key.toLowerCase());

/** What kind of value a key holds (for its placeholder). */
export function kindOf(key: string): RefKind {
  if (/^(roleArn|RoleArn|serviceRole|codebuildRoleArn)$/.test(key)) return "role";
  if (/^(location|artifactBucket)$/.test(key)) return "bucket";
  if (/^(ConnectionArn|connectionArn)$/.test(key)) return "connection";
  if (/^(NotificationArn|notificationArn)$/.test(key)) return "topic";
  return "text";
}

export const stackNameOf = (pipeline: string): string => new NameRegistry(PIPELINE_NAME).take(pipeline).replace(/[^A-Za-z0-9-]/g, "-");
