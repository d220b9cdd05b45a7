/**
 * AWS service limits that a deploy would otherwise only discover half-way through `pulumi up`.
 * Checked by the program before anything is declared, and again by the policy pack (advisory).
 */

/** Lambda: function code plus all its layers, unzipped. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;
/** Lambda: layers per function. */
export const MAX_LAYERS_PER_FUNCTION = 5;
/** Lambda: all environment variable names and values together. */
export const MAX_ENVIRONMENT_BYTES = 4 * 1024;
/** Name lengths, by what carries the name. */
export const MAX_NAME_LENGTH = {
    bucket: 63,
    function: 64,
    layer: 140,
    role: 64,
    rolePolicy: 128,
    logGroup: 512,
} as const;
/** Lambda: the description of a function or a layer version, in characters. */
export const MAX_DESCRIPTION_LENGTH = 256;
/** S3: object keys, in UTF-8 bytes. */
export const MAX_S3_KEY_BYTES = 1024;
/** Retention when the stack does not set one: short in dev, long in prod (the pack's minimum in prod). */
export const DEFAULT_LOG_RETENTION_DAYS = { dev: 14, stage: 30, prod: 90 } as const;
/** CloudWatch Logs accepts only these retention periods, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Why a bucket name is invalid, or undefined when it is valid (general purpose bucket rules). */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > MAX_NAME_LENGTH.bucket) {
        return `is ${name.length} characters long; S3 allows 3 to ${MAX_NAME_LENGTH.bucket}`;
    }
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
        return "must use only lowercase letters, digits, dots and hyphens, and start and end with a letter or digit";
    }
    if (name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
        return "must not contain '..' or look like an IP address";
    }
    return undefined;
}

/** Size of a Lambda environment as AWS counts it: names and values in UTF-8. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
    return Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/** Human-readable megabytes for messages. */
export function megabytes(bytes: number): string {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
