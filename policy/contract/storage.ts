import { Env, environmentNames } from "./naming";

/**
 * What every bucket keeps and for how long, and where prod's access logs go. The program builds the
 * lifecycle rules and the logging from these values; the pack checks the stacks against them.
 */

/**
 * Days an overwritten or deleted object version stays restorable. Rolling back a canonical file or an
 * artifact means restoring an older version, so this is the rollback window.
 */
export const NONCURRENT_VERSION_DAYS: Readonly<Record<Env, number>> = { dev: 30, stage: 30, prod: 90 };

/** The pack's default minimum for noncurrent versions: the shortest rollback window the team accepts. */
export const DEFAULT_ROLLBACK_WINDOW_DAYS = 30;

/** Incomplete multipart uploads are aborted after this many days at most (they are billed until then). */
export const MAX_ABORT_MULTIPART_DAYS = 7;

/** The bucket that receives the S3 server access logs of one environment. */
export function accessLogBucketName(env: Env): string {
    return environmentNames(env).accessLogs;
}

/** Where in the log bucket each source bucket's logs go. */
export function accessLogPrefix(sourceBucket: string): string {
    return `${sourceBucket}/`;
}

/** Days the access logs themselves are kept (current objects of the log bucket expire). */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** The roles of the buckets whose access is logged, and the environments where it is required. */
export const LOGGED_BUCKET_ROLES = ["config", "data", "newsletters"] as const;
export const ACCESS_LOGGING_ENVS: readonly Env[] = ["prod"];

/** The service principal S3 server access logging writes as (it needs a bucket policy grant). */
export const S3_LOGGING_PRINCIPAL = "logging.s3.amazonaws.com";

/** AWS Backup of prod's data buckets: a daily backup kept 35 days (cron in UTC, AWS Backup's schedule syntax). */
export const BACKUP_SCHEDULE = "cron(0 3 * * ? *)";
export const BACKUP_RETENTION_DAYS = 35;
/**
 * AWS's own policies for backing up and restoring S3 with AWS Backup (AWS Backup developer guide, "Managed
 * policies for AWS Backup"): the backup role is AWS Backup's, not a function's, and the S3 permissions it needs
 * follow the service.
 */
export const BACKUP_MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
] as const;
