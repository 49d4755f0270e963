/**
 * Azure reads task input names case-insensitively, and some input values too: the service schema
 * says so with `ignoreCase: "key" | "value" | "all"` and `aliases` on each input, keywords Ajv
 * only carries as annotations. Before a YAML is checked, inputs are written with the schema's own
 * spelling where Azure would match them (`inline` → `Inline`, `ConnectedServiceNameARM` →
 * `azureSubscription`, `inlinescript` → `InlineScript`), so that the oracle is as strict as Azure
 * and no stricter. Nothing else is touched.
 */
type Json = Record<string, unknown>;
interface InputRule {
  name: string;
  values?: string[];
}
type TaskRules = Map<string, Map<string, InputRule>>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** task name ("AzurePowerShell@5") → lower-cased input name or alias → the schema's spelling (and case-free enum). */
export function taskRules(schema: unknown): TaskRules {
  const rules: TaskRules = new Map();
  const visit = (o: unknown): void => {
    if (Array.isArray(o)) return o.forEach(visit);
    if (!isObj(o)) return;
    const props = isObj(o.properties) ? o.properties : undefined;
    const task = props && isObj(props.task) && typeof props.task.pattern === "string" ? /^\^(.+)\$$/.exec(props.task.pattern)?.[1] : undefined;
    const inputs = props && isObj(props.inputs) && isObj(props.inputs.properties) ? props.inputs.properties : undefined;
    if (task && inputs) {
      const m = new Map<string, InputRule>();
      for (const [name, p] of Object.entries(inputs)) {
        if (!isObj(p)) continue;
        const ic = p.ignoreCase;
        const rule: InputRule = { name, ...(Array.isArray(p.enum) && (ic === "value" || ic === "all") ? { values: p.enum.map(String) } : {}) };
        if (ic === "key" || ic === "all") m.set(name.toLowerCase(), rule);
        for (const a of Array.isArray(p.aliases) ? p.aliases : []) m.set(String(a).toLowerCase(), rule);
        if (!m.has(name.toLowerCase())) m.set(name, rule);
      }
      rules.set(task.replace(/\\/g, ""), m);
    }
    Object.values(o).forEach(visit);
  };
  visit(schema);
  return rules;
}

/** The document with every task's inputs spelled as the schema spells them (a copy). */
export function canonicalInputs(doc: unknown, rules: TaskRules): unknown {
  if (Array.isArray(doc)) return doc.map((d) => canonicalInputs(d, rules));
  if (!isObj(doc)) return doc;
  const out: Json = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, canonicalInputs(v, rules)]));
  const m = typeof out.task === "string" ? rules.get(out.task) : undefined;
  if (m && isObj(out.inputs))
    out.inputs = Object.fromEntries(
      Object.entries(out.inputs).map(([k, v]) => {
        const r = m.get(k) ?? m.get(k.toLowerCase());
        const value = r?.values && typeof v === "string" ? (r.values.find((e) => e.toLowerCase() === v.toLowerCase()) ?? v) : v;
        return [r?.name ?? k, value];
      }),
    );
  return out;
}
