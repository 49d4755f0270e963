/** A minimal Language Server Protocol client over stdio, enough to open a document and read its diagnostics. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity?: number;
  source?: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

type Settings = Record<string, unknown>;

/** The language server as a child process; every wait is bounded, and close() always kills it. */
export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly diagnostics = new Map<string, LspDiagnostic[]>();
  private readonly waiters: (() => void)[] = [];
  readonly stderr: string[] = [];

  constructor(
    command: string,
    args: string[],
    private readonly settings: Settings,
  ) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString("ascii"))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(m: Message): void {
    if (m.id !== undefined && m.method === undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method === "textDocument/publishDiagnostics") {
      const p = m.params as { uri: string; diagnostics: LspDiagnostic[] };
      this.diagnostics.set(p.uri, p.diagnostics);
      this.waiters.splice(0).forEach((w) => w());
    } else if (m.id !== undefined && m.method === "workspace/configuration") {
      const items = (m.params as { items: { section?: string }[] }).items;
      this.send({ id: m.id, result: items.map((i) => (i.section ? (this.settings[i.section] ?? null) : this.settings)) });
    } else if (m.id !== undefined) {
      this.send({ id: m.id, result: null }); // client/registerCapability and the like
    }
  }

  request(method: string, params: unknown, timeoutMs = 20_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${timeoutMs} ms; stderr: ${this.stderr.join("")}`)), timeoutMs);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result);
      });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  async start(rootUri: string): Promise<void> {
    await this.request("initialize", {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
      workspaceFolders: [{ uri: rootUri, name: "workspace" }],
    });
    this.notify("initialized", {});
    this.notify("workspace/didChangeConfiguration", { settings: this.settings });
  }

  /** Opens a document and waits for its diagnostics (the server publishes them after validating). */
  async diagnose(uri: string, text: string, timeoutMs = 20_000): Promise<LspDiagnostic[]> {
    this.diagnostics.delete(uri);
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const deadline = Date.now() + timeoutMs;
    while (!this.diagnostics.has(uri)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} in ${timeoutMs} ms; stderr: ${this.stderr.join("")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // a later publication replaces an earlier one (e.g. once the schema is read): let it settle
    await new Promise((resolve) => setTimeout(resolve, 750));
    return this.diagnostics.get(uri) ?? [];
  }

  async close(): Promise<void> {
    try {
      await this.request("shutdown", null, 3_000);
      this.notify("exit", null);
    } catch {
      // the kill below ends it either way
    }
    this.child.kill("SIGKILL");
  }
}
