/**
 * pipeglot's ownership markers, defined once for every provider. Clouds spell tags differently,
 * so each marker comes in the forms they accept; a provider picks its form and never spells a
 * marker itself:
 *   keyed     key=value tags whose keys may hold ':' (AWS tags)
 *   dashed    key=value tags whose keys may not (OCI freeform tags)
 *   label     single-string tags (Cloud Build trigger tags, Azure definition tags)
 *   property  named properties (Azure definition properties)
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
  /** Said in free text where a cloud has no tags (Azure environment descriptions). */
  phrase: "managed by pipeglot",
} as const;
