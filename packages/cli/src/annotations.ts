/**
 * Diagnostics for CI: GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`,
 * shown as annotations on the pull request) and SARIF 2.1.0 (code scanning, Azure DevOps).
 */
import { SCHEMA_CODES, sortDiagnostics, type Diagnostic, type Severity } from "@pipeglot/schema";

/** Workflow-command escaping: the message escapes %, CR and LF; a property also : and ,. */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

const GITHUB_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** One workflow command per diagnostic. */
export function githubAnnotations(diags: readonly Diagnostic[]): string[] {
  return sortDiagnostics(diags).map((d) => {
    const props: [string, string | number | undefined][] = [
      ["file", d.file],
      ["line", d.line],
      ["col", d.column],
      ["endLine", d.endLine],
      ["endColumn", d.endLine === undefined || d.endLine === d.line ? d.endColumn : undefined],
      ["title", d.code],
    ];
    const p = props
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(",");
    const message = d.hint ? `${d.message} (${d.hint})` : d.message;
    return `::${GITHUB_LEVEL[d.severity]} ${p}::${escapeData(message)}`;
  });
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: {
      driver: { name: string; informationUri: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] };
    };
    results: {
      ruleId: string;
      level: "error" | "warning" | "note";
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number } };
      }[];
    }[];
  }[];
}

const uriOf = (file: string) => file.split("\\").join("/").split("/").map(encodeURIComponent).join("/");

function region(d: Diagnostic) {
  if (d.line === undefined) return {};
  return {
    region: {
      startLine: d.line,
      ...(d.column !== undefined ? { startColumn: d.column } : {}),
      ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
      ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
    },
  };
}

/** A SARIF 2.1.0 log with one run: a rule per code met (its summary from the code table), a result per diagnostic. */
export function sarifLog(diags: readonly Diagnostic[], files: readonly string[]): SarifLog {
  const sorted = sortDiagnostics(diags);
  const table = SCHEMA_CODES as Record<string, { severity: Severity; summary: string } | undefined>;
  const ids = [...new Set(sorted.map((d) => d.code))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "pipeglot",
            informationUri: "https://github.com/pipeglot/pipeglot",
            rules: ids.map((id) => {
              const info = table[id];
              const level = SARIF_LEVEL[info?.severity ?? sorted.find((d) => d.code === id)?.severity ?? "error"];
              return { id, shortDescription: { text: info?.summary ?? id }, defaultConfiguration: { level } };
            }),
          },
        },
        results: sorted.map((d) => ({
          ruleId: d.code,
          level: SARIF_LEVEL[d.severity],
          message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(d.file ?? files[0] ?? "pipeglot.yaml") }, ...region(d) } }],
        })),
      },
    ],
  };
}
