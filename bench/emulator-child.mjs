// The live bench's emulator, in a process of its own (bench/live.mjs forks it), so that the bench
// process's CPU time is the clients' alone. argv[2]: startEmulators options as JSON, plus
// `azureServiceEndpoints` ([project, name] pairs to add). It sends { endpoints, env, organizationUrl }
// once listening, then answers { op: "counts" | "reset" | "cpu" | "close", id?, seq } with { seq, value }.
import { startEmulators } from "@pipeglot/emulators";

const { azureServiceEndpoints = [], ...options } = JSON.parse(process.argv[2] ?? "{}");
const emu = await startEmulators(options);
for (const [project, name] of azureServiceEndpoints) emu.azure.addServiceEndpoint(project, name);
const organizationUrl = emu.providers.includes("azure") ? emu.azure.organizationUrl : undefined;
process.send({ ready: true, endpoints: emu.endpoints, env: emu.env, organizationUrl });

const OPS = {
  counts: () => emu.counts(),
  reset: (m) => emu[m.id].counters.reset(),
  cpu: () => process.cpuUsage(),
  close: async () => {
    await emu.close();
    process.disconnect();
  },
};
process.on("message", async (m) => {
  try {
    const value = await OPS[m.op](m);
    if (process.connected) process.send({ seq: m.seq, value: value ?? null });
  } catch (e) {
    if (process.connected) process.send({ seq: m.seq, error: String(e?.stack ?? e) });
  }
});
