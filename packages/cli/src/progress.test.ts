/**
 * Progress on a terminal: the live block names the write in flight and the retry with its reason;
 * the finished write stays; a summary line ends the provider; nothing is drawn after close. Off a
 * terminal: lines only, no escape codes. The terminal is a recording stream (isTTY, 100 columns).
 */
import { describe, expect, it } from "vitest";
import type { ResourceKey } from "@pipeglot/core";
import { progress } from "./progress.js";

function screen(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 100, rows: 24, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

const key: ResourceKey = { kind: "codebuild.Project", name: "shop-web-build-lint" };
const notice = { attempt: 2, of: 5, reason: "throttled (HTTP 429)", waitMs: 1_600 };

describe("progress", () => {
  it("on a terminal: the write in flight and its retry drawn in place, the result kept, then the summary", () => {
    const s = screen(true);
    const p = progress({ quiet: false, format: "text", stream: s.stream });
    const on = p.watch("aws", "apply");
    on({ type: "writing", key, action: "update" });
    on({ type: "retrying", key, notice });
    const drawn = s.text();
    expect(drawn).toContain("  writing update codebuild.Project/shop-web-build-lint");
    expect(drawn).toContain("  codebuild.Project/shop-web-build-lint: retrying in 1.6 s (attempt 2 of 5): throttled (HTTP 429)");
    on({ type: "written", result: { key, action: "update", status: "done", attempts: 2 } });
    p.finish("aws");
    p.close();
    const all = s.text();
    expect(all).toContain("aws: done update codebuild.Project/shop-web-build-lint (2 attempts)\n");
    expect(all).toMatch(/aws: applied 1 change: 1 done in \d+\.\d s\n$/);
    expect(all).toContain("\u001b["); // drawn in place: cursor movements and erasures
  });

  it("off a terminal: plain lines, no escape code, no time", () => {
    const s = screen(false);
    const p = progress({ quiet: false, format: "markdown", stream: s.stream });
    const on = p.watch("gcp", "plan");
    on({ type: "reading", count: 1 });
    on({ type: "retrying", notice: { ...notice, reason: "HTTP 503" } });
    on({ type: "read", key: { kind: "cloudbuild.BuildTrigger", name: "t" }, outcome: "noop" });
    p.finish("gcp");
    expect(s.text()).toBe(
      ["gcp: retrying in 1.6 s (attempt 2 of 5): HTTP 503", "gcp: read cloudbuild.BuildTrigger/t: unchanged", "gcp: read 1 resource: 1 unchanged", ""].join(
        "\n",
      ),
    );
  });

  it("--quiet and --format json: nothing, on a terminal too", () => {
    for (const o of [
      { quiet: true, format: "text" },
      { quiet: false, format: "json" },
    ]) {
      const s = screen(true);
      const p = progress({ ...o, stream: s.stream });
      p.watch("oci", "apply")({ type: "writing", key, action: "create" });
      p.finish("oci");
      expect(s.text()).toBe("");
    }
  });
});
