/** Key, in the config bucket, of the manifest that describes the synced canonical set. */
export const CANONICAL_MANIFEST_KEY = "manifests/canonical.json";

/** Metadata of the manifest object: the set's CANONICAL_VERSION and sha256, which prod's gate compares. */
export const CANONICAL_METADATA = { version: "canonical-version", sha256: "canonical-sha256" } as const;
