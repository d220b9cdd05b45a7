import { Env, PROJECT } from "./naming";

/**
 * Tags: what a resource found in the console or on the bill says about where it came from. The program tags
 * everything it can; the pack requires it on every taggable type.
 */

/** Tags every taggable resource carries, with the value each must have in an environment. */
export function requiredTags(env: Env): Record<string, string> {
    return { Project: PROJECT, Env: env, ManagedBy: "pulumi" };
}

/** Tags a function carries on top: which artifact, which version and which bytes it runs. */
export const FUNCTION_TAGS = ["Component", "Version", "ArtifactSha256"] as const;

/** The standard tags of an environment, with extra ones (a function's component, version and sha256). */
export function standardTags(env: Env, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...requiredTags(env), ...extra };
}

/** AWS limits on tags (IAM, S3, Lambda and CloudWatch Logs share them): keys, values, and tags per S3 object. */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const MAX_OBJECT_TAGS = 10;
