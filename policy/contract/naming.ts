import { VERSION_PATTERN } from "./versions";

/**
 * Names of everything Vectora Inbox deploys: `{project}-{base}-{env}`.
 *
 * Shared by the program (which builds names) and the policy pack (which checks them), so the two can
 * never disagree on what a compliant name is.
 */

export const PROJECT = "vectora-inbox";

export const ENVIRONMENTS = ["dev", "stage", "prod"] as const;
export type Env = (typeof ENVIRONMENTS)[number];

/** The order of promotion: an artifact reaches an environment only from the one before it. */
export const PROMOTION_SOURCE: Readonly<Record<Env, Env | undefined>> = { dev: undefined, stage: "dev", prod: "stage" };

export function isEnv(value: unknown): value is Env {
    return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value);
}

/** `vectora-inbox-<base>-<env>`, the physical name of a bucket, layer, function, role... */
export function physicalName(base: string, env: Env): string {
    return `${PROJECT}-${base}-${env}`;
}

/** The layers of the product, by component name. */
export const LAYER_COMPONENTS = ["vectora-core", "common-deps"] as const;
export type LayerComponent = (typeof LAYER_COMPONENTS)[number];

/** The Lambdas of the product, by component name. */
export const FUNCTION_COMPONENTS = ["ingest-v2", "normalize-score-v2", "newsletter-v2"] as const;
export type FunctionComponent = (typeof FUNCTION_COMPONENTS)[number];

export type ArtifactName = LayerComponent | FunctionComponent;
export const ARTIFACT_NAMES: readonly ArtifactName[] = [...LAYER_COMPONENTS, ...FUNCTION_COMPONENTS];

/** The buckets of each environment, by role. */
export const BUCKET_ROLES = ["config", "data", "newsletters", "lambda-code"] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

/**
 * Layers left behind by hand-made deploys before this repository was the source of truth (the
 * "legacy layer in stage" incident). No function may reference them, in any environment.
 */
export const LEGACY_LAYER_NAMES: readonly string[] = [
    "vectora-inbox-vectora-core-approche-b-dev",
    "vectora-inbox-yaml-fix-dev",
    "vectora-inbox-yaml-minimal-dev",
    "vectora-inbox-dependencies",
];

/** S3 key of an artifact in the lambda-code bucket: versioned file names, no version folders. */
export function artifactKey(name: ArtifactName, version: string): string {
    const folder = (LAYER_COMPONENTS as readonly string[]).includes(name) ? "layers" : "lambdas";
    return `${folder}/${name}-${version}.zip`;
}

const ARTIFACT_KEY = new RegExp(`^(layers|lambdas)/([a-z0-9]+(?:-[a-z0-9]+)*?)-(${VERSION_PATTERN})\\.zip$`);

/** Parses `layers/<component>-<version>.zip` or `lambdas/<name>-<version>.zip`. */
export function parseArtifactKey(key: string): { folder: string; name: string; version: string } | undefined {
    const match = ARTIFACT_KEY.exec(key);
    return match ? { folder: match[1], name: match[2], version: match[3] } : undefined;
}

/** Physical names of one environment, derived from its name alone. */
export function environmentNames(env: Env) {
    const bucket = (role: BucketRole) => physicalName(role, env);
    return {
        buckets: Object.fromEntries(BUCKET_ROLES.map((role) => [role, bucket(role)])) as Record<BucketRole, string>,
        layer: (component: LayerComponent) => physicalName(component, env),
        function: (component: FunctionComponent) => physicalName(component, env),
        role: (component: FunctionComponent) => physicalName(`${component}-role`, env),
        rolePolicy: (component: FunctionComponent) => physicalName(`${component}-access`, env),
        accessLogs: physicalName("access-logs", env),
        backup: {
            vault: physicalName("backup", env),
            plan: physicalName("daily-backup", env),
            role: physicalName("backup-role", env),
            selection: physicalName("data-buckets", env),
        },
    };
}
