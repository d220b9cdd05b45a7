/**
 * Enumerations of the AWS APIs, which terraform-provider-aws validates with `enum.Validate[awstypes.X]()` (the Go
 * SDK's values of the same Smithy models). Written out from the installed AWS SDK for JavaScript v3
 * (@aws-sdk/client-lambda 3.1164.0, @aws-sdk/client-s3 3.1173.0; test/sandbox/schema.test.ts checks they still
 * agree), in the order those models list them.
 */

/** Lambda Runtime. */
export const LAMBDA_RUNTIMES = [
    "dotnet10",
    "dotnet6",
    "dotnet8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1.x",
    "java11",
    "java11.al2023",
    "java17",
    "java17.al2023",
    "java21",
    "java25",
    "java8",
    "java8.al2",
    "java8.al2023",
    "nodejs",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "nodejs24.x",
    "nodejs26.x",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "provided",
    "provided.al2",
    "provided.al2023",
    "python2.7",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "python3.15",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "ruby4.0",
] as const;

export const LAMBDA_ARCHITECTURES = ["arm64", "x86_64"] as const;
export const LAMBDA_PACKAGE_TYPES = ["Image", "Zip"] as const;
export const LAMBDA_TRACING_MODES = ["Active", "PassThrough"] as const;
export const LAMBDA_LOG_FORMATS = ["JSON", "Text"] as const;
export const LAMBDA_APPLICATION_LOG_LEVELS = ["DEBUG", "ERROR", "FATAL", "INFO", "TRACE", "WARN"] as const;
export const LAMBDA_SYSTEM_LOG_LEVELS = ["DEBUG", "INFO", "WARN"] as const;
export const LAMBDA_FUNCTION_URL_AUTH_TYPES = ["AWS_IAM", "NONE"] as const;
export const LAMBDA_INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;

/** S3 ObjectOwnership. */
export const S3_OBJECT_OWNERSHIP = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"] as const;
/** S3 ServerSideEncryption. */
export const S3_SERVER_SIDE_ENCRYPTION = ["AES256", "aws:backup", "aws:fsx", "aws:kms", "aws:kms:dsse"] as const;
/** S3 ObjectCannedACL. */
export const S3_OBJECT_CANNED_ACLS = [
    "authenticated-read",
    "aws-exec-read",
    "bucket-owner-full-control",
    "bucket-owner-read",
    "private",
    "public-read",
    "public-read-write",
] as const;
/** S3 ExpirationStatus (a lifecycle rule's status). */
export const S3_EXPIRATION_STATUS = ["Disabled", "Enabled"] as const;
/** S3 MFADelete. */
export const S3_MFA_DELETE = ["Disabled", "Enabled"] as const;
