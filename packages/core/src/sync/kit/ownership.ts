/**
 * pipeglot's ownership markers, defined once for every provider. Clouds spell tags differently,
 * so each marker comes in the forms they accept; a provider picks its form and never spells a
 * marker itself:
 *   keyed     key=value tags whose keys may hold ':'
 *   dashed    key=value tags whose keys may not
 *   label     single-string tags (a tag list with no values)
 *   property  named properties of a resource (where it has properties, not tags)
 * Every form says the same three things: managed by pipeglot, which pipeline, the source hash.
 */
export const OWNERSHIP = {
  /** The managed-by value (keyed, dashed and property forms). */
  value: "pipeglot",
  keyed: { managedBy: "pipeglot:managed-by", pipeline: "pipeglot:pipeline", hash: "pipeglot:hash" },
  dashed: { managedBy: "managed-by", pipeline: "pipeglot-pipeline", hash: "pipeglot-hash" },
  /** `managed-by-pipeglot`, `pipeglot-pipeline-<name>`, `pipeglot-hash-<hash>`. */
  label: { managedBy: "managed-by-pipeglot", pipelinePrefix: "pipeglot-pipeline-", hashPrefix: "pipeglot-hash-" },
  property: { prefix: "pipeglot.", managedBy: "pipeglot.managedBy", pipeline: "pipeglot.pipeline", hash: "pipeglot.sourceHash" },
  /** Said in free text where a resource has no tags (a description). */
  phrase: "managed by pipeglot",
} as const;
