/**
 * pipeglot's ownership markers, defined once. Clouds spell tags differently, so each marker has a
 * key/value form (AWS tags, OCI freeform tags, Azure properties) and a single-string form (Cloud
 * Build and Azure definition tags, which are plain strings).
 */
export const OWNERSHIP = {
  /** key=value form: `pipeglot:managed-by=pipeglot`. */
  managedByKey: "pipeglot:managed-by",
  managedByValue: "pipeglot",
  /** key=value form: `pipeglot:pipeline=<pipeline name>`. */
  pipelineKey: "pipeglot:pipeline",
  /** key=value form: `pipeglot:hash=<sha256 of the resource's body>`. */
  hashKey: "pipeglot:hash",
  /** String form: `managed-by-pipeglot`. */
  managedByLabel: "managed-by-pipeglot",
  /** String form: `pipeglot-pipeline-<name>`. */
  pipelineLabelPrefix: "pipeglot-pipeline-",
  /** String form: `pipeglot-hash-<hash>`. */
  hashLabelPrefix: "pipeglot-hash-",
} as const;
