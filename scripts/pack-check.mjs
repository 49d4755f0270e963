// npm run pack:check — the packages as a user gets them. Packs every workspace (npm pack) and checks
// each tarball (LICENSE, README.md, no source maps or .tsbuildinfo). In scratch projects outside the
// repository (third-party dependencies come from the registry): all the tarballs installed
// together, each package imported on its own; then the cli package installed alone, as a user
// installs the command, and run there: --version, validate, compile --target all and demo on a
// copied example; against `pipeglot emulate`, a live command for each cloud without its SDK (it
// must name the package to install, exit 1), and after installing the SDKs, apply and plan.
// Prints the installed size of node_modules without and with the SDKs. Exit 1 on any failure.
// `--keep` leaves the scratch folder in place (its path is printed); `--no-build` packs dist/ as it is.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLOUDS = ["aws", "azure", "gcp", "oci"];
const work = mkdtempSync(join(tmpdir(), "pipeglot-pack-"));
const started = Date.now();
let failed = 0;

const say = (line) => process.stdout.write(`${line}\n`);
function check(ok, what, detail = "") {
  say(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) {
    failed++;
    if (detail)
      say(
        detail
          .trim()
          .split("\n")
          .slice(-15)
          .map((l) => `     ${l}`)
          .join("\n"),
      );
  }
  return ok;
}

/** Run a command to completion; never throws. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts, env: { ...process.env, NO_COLOR: "1", ...opts.env } });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "", all: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** The installed size of a folder (bytes of regular files; links are not followed). */
function sizeOf(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = lstatSync(p);
    if (s.isDirectory()) total += sizeOf(p);
    else if (s.isFile()) total += s.size;
  }
  return total;
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A compiled module whose source is gone (tsc -b never deletes outputs): `npx tsc -b --clean && npm run build`. */
function staleOutput(name, file) {
  const m = /^dist\/(?!bundle\/)(.+)\.js$/.exec(file);
  return m !== null && !existsSync(join(REPO, "packages", name.split("/")[1], "src", `${m[1]}.ts`));
}

/** npm pack every workspace; each tarball must hold LICENSE and README.md, and no map or build leftover. */
function pack() {
  const dest = join(work, "tarballs");
  mkdirSync(dest);
  const r = run("npm", ["pack", "--workspaces", "--json", "--pack-destination", dest], { cwd: REPO });
  if (!check(r.code === 0, "npm pack --workspaces", r.all)) return [];
  const packed = JSON.parse(r.stdout);
  for (const p of packed) {
    const files = p.files.map((f) => f.path);
    const missing = ["LICENSE", "README.md", "package.json"].filter((f) => !files.includes(f));
    const leftovers = files.filter((f) => f.endsWith(".map") || f.endsWith(".tsbuildinfo") || staleOutput(p.name, f));
    check(
      !missing.length && !leftovers.length,
      `${p.name}: ${p.entryCount} files, ${mb(p.unpackedSize)} unpacked`,
      [
        missing.length ? `missing: ${missing.join(", ")}` : "",
        leftovers.length ? `should not ship: ${leftovers.slice(0, 5).join(", ")} (a stale output: npx tsc -b --clean && npm run build)` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
  return packed.map((p) => ({ name: p.name, file: join(dest, p.filename) }));
}

/** A scratch project outside the repository with `tarballs` installed. */
function install(name, tarballs) {
  const project = join(work, name);
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: `pipeglot-pack-check-${name}`, private: true, version: "0.0.0", type: "module" }, null, 2),
  );
  const r = run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], { cwd: project });
  return check(r.code === 0, `npm install of ${tarballs.length} tarball(s) in ${project}`, r.all) ? project : undefined;
}

/** Every package installed together, each imported on its own (no cloud SDK installed). */
function libraries(tarballs, names) {
  const project = install("libraries", tarballs);
  if (!project) return;
  for (const name of names) {
    const r = run(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import(${JSON.stringify(name)}); if (!Object.keys(m).length) process.exit(1);`],
      { cwd: project },
    );
    check(r.code === 0, `import("${name}") without the cloud SDKs`, r.all);
  }
  say(`     node_modules with every package: ${mb(sizeOf(join(project, "node_modules")))}`);
}

const pipeglot = (project, args, opts = {}) => run("npx", ["--no-install", "pipeglot", ...args], { cwd: project, ...opts });

/** --version, validate, compile --target all and demo in the scratch project. */
function offline(project) {
  const version = JSON.parse(readFileSync(join(REPO, "packages/cli/package.json"), "utf8")).version;
  const v = pipeglot(project, ["--version"]);
  if (!check(v.code === 0 && v.stdout.trim() === version, `pipeglot --version prints ${version}`, v.all)) return false;
  copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), join(project, "pipeglot.yaml"));
  const val = pipeglot(project, ["validate", "pipeglot.yaml"]);
  check(val.code === 0, "pipeglot validate pipeglot.yaml", val.all);
  const c = pipeglot(project, ["compile", "pipeglot.yaml", "--target", "all", "--out", "out"]);
  const written = CLOUDS.filter((p) => existsSync(join(project, "out", p, "manifest.json")));
  check(c.code === 0 && written.length === 4, "pipeglot compile pipeglot.yaml --target all (out/aws, azure, gcp, oci)", c.all);
  const demoDir = join(project, "demo");
  mkdirSync(demoDir);
  const nd = pipeglot(demoDir, ["demo"]);
  check(nd.code === 0 && /Bundled examples: (\d+) of \1 valid/.test(nd.stdout) && existsSync(join(demoDir, "out/compare.html")), "pipeglot demo", nd.all);
  // Run from a folder outside the project, as a global install runs: the examples and the version
  // come from the package, never from the working directory.
  const elsewhere = join(work, "elsewhere");
  mkdirSync(elsewhere);
  const bin = join(project, "node_modules/@pipeglot/cli/bin/pipeglot.js");
  const g = run(process.execPath, [bin, "--version"], { cwd: elsewhere });
  check(g.code === 0 && g.stdout.trim() === version, `pipeglot --version outside the project prints ${version}`, g.all);
  const d = run(process.execPath, [bin, "demo"], { cwd: elsewhere });
  const demoOk = d.code === 0 && /Bundled examples: (\d+) of \1 valid/.test(d.stdout) && existsSync(join(elsewhere, "out/compare.html"));
  check(demoOk, "pipeglot demo outside the project (the examples shipped in @pipeglot/cli)", d.all);
  return true;
}

/** `pipeglot emulate` in the background; resolves with its variables once every server listens. */
async function emulate(project) {
  const envFile = join(work, "emulate.env");
  const child = spawn("npx", ["--no-install", "pipeglot", "emulate", "--env-out", envFile], {
    cwd: project,
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr.on("data", (b) => (stderr += b));
  for (let i = 0; i < 300 && !(existsSync(envFile) && statSync(envFile).size > 0) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  const env = {};
  if (existsSync(envFile))
    for (const m of readFileSync(envFile, "utf8").matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm))
      env[m[1]] = m[2].replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  const ok = check(Object.keys(env).length > 0, "pipeglot emulate (the four clouds' APIs, locally)", stderr);
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  // Ctrl-C stops the emulators too (they run in their own process group).
  process.once("SIGINT", () => {
    stop();
    process.exit(130);
  });
  return { ok, env: { ...env, AWS_PROFILE: "" }, stop };
}

/** Each cloud's live command without its SDK: exit 1, one line naming what to install. */
function withoutSdks(project, env) {
  const sdks = { aws: "@aws-sdk/client-codepipeline", azure: "azure-devops-node-api", gcp: "@google-cloud/cloudbuild", oci: "oci-common" };
  for (const cloud of CLOUDS) {
    const r = pipeglot(project, ["plan", "pipeglot.yaml", "--target", cloud], { env });
    const ok = r.code === 1 && r.stderr.includes(sdks[cloud]) && r.stderr.includes("npm install ") && !r.all.includes("internal error");
    check(ok, `without its SDK, plan --target ${cloud} exits 1: ${r.stderr.trim().split("\n")[0]}`, r.all);
  }
}

/** The SDKs at the versions the repository tests with (the providers' devDependencies). */
function sdkSpecs() {
  const specs = [];
  for (const cloud of CLOUDS) {
    const pkg = JSON.parse(readFileSync(join(REPO, "packages", cloud, "package.json"), "utf8"));
    for (const name of Object.keys(pkg.peerDependencies ?? {})) specs.push(`${name}@${pkg.devDependencies?.[name] ?? pkg.peerDependencies[name]}`);
  }
  return specs;
}

/** With the SDKs installed: apply each cloud against the emulators, then plan shows no change. */
function withSdks(project, env) {
  const specs = sdkSpecs();
  const r = run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], { cwd: project });
  if (!check(r.code === 0, `npm install ${specs.join(" ")}`, r.all)) return;
  for (const cloud of CLOUDS) {
    const a = pipeglot(project, ["apply", "pipeglot.yaml", "--target", cloud, "--auto-approve"], { env });
    const p = a.code === 0 ? pipeglot(project, ["plan", "pipeglot.yaml", "--target", cloud, "--detailed-exitcode"], { env }) : a;
    check(a.code === 0 && p.code === 0, `apply then plan --detailed-exitcode --target ${cloud} against the emulator: in sync`, p.all);
  }
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    const b = run("npm", ["run", "build", "--silent"], { cwd: REPO });
    if (!check(b.code === 0, "npm run build", b.all)) return;
  }
  const packed = pack();
  if (!packed.length) return;
  libraries(
    packed.map((p) => p.file),
    packed.map((p) => p.name),
  );
  // A user's install of the command: the cli package and what it depends on, nothing else.
  const cli = packed.filter((p) => p.name === "@pipeglot/cli" || p.name === "@pipeglot/emulators").map((p) => p.file);
  const project = install("cli", cli);
  if (!project) return;
  const bare = sizeOf(join(project, "node_modules"));
  if (!offline(project)) return;
  const emu = await emulate(project);
  try {
    if (!emu.ok) return;
    withoutSdks(project, emu.env);
    withSdks(project, emu.env);
  } finally {
    emu.stop();
  }
  const full = sizeOf(join(project, "node_modules"));
  say(`installed size of node_modules for npm install @pipeglot/cli: ${mb(bare)} without the cloud SDKs, ${mb(full)} with them`);
}

try {
  await main();
} finally {
  if (process.argv.includes("--keep")) say(`scratch folder kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
say(`${failed ? `${failed} check(s) failed` : "pack check passed"} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = failed ? 1 : 0;
