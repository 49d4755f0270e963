import { validateFile } from "@pipeglot/schema";
import { compile } from "@pipeglot/aws";
const r = await validateFile(process.argv[2]);
if (!r.ir) { console.log(r.diagnostics); process.exit(1); }
const out = compile(r.ir);
for (const f of out.files) { console.log("=====", f.path, f.kind); console.log(f.content); }
for (const d of out.diagnostics) console.log(d.severity, d.code, d.path, d.message);
