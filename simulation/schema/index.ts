import { BACKUP_SCHEMAS } from "./backupSchema";
import { IAM_SCHEMAS } from "./iamSchema";
import { FUNCTION, FUNCTION_URL, LAYER_VERSION, LAYER_VERSION_PERMISSION, PERMISSION } from "./lambdaSchema";
import { LOG_GROUP } from "./logsSchema";
import type { ResourceSchema } from "./model";
import { S3_SCHEMAS } from "./s3Schema";

/** Every resource type the simulated provider answers like pulumi-aws for, by type token. */
const SCHEMAS: ReadonlyMap<string, ResourceSchema> = new Map(
    [
        ...S3_SCHEMAS,
        FUNCTION,
        LAYER_VERSION,
        FUNCTION_URL,
        PERMISSION,
        LAYER_VERSION_PERMISSION,
        ...IAM_SCHEMAS,
        LOG_GROUP,
        ...BACKUP_SCHEMAS,
    ].map((s) => [s.token, s]),
);

/** The schema of a type, when the simulated provider knows it. */
export function schemaOf(type: string): ResourceSchema | undefined {
    return SCHEMAS.get(type);
}

/** The types the simulated provider knows. */
export function knownTypes(): string[] {
    return [...SCHEMAS.keys()].sort();
}
