/** Type tokens of the resources the policies look at (no @pulumi/aws import: the pack must start fast). */
export const T = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    layerVersion: "aws:lambda/layerVersion:LayerVersion",
    function: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    stackReference: "pulumi:pulumi:StackReference",
    /** The component that carries stage's evidence to the pack (components/promotionGate.ts). */
    promotionGate: "vectora:promotion:PromotionGate",
} as const;

/**
 * The property that holds the physical name of each named AWS resource type, and the property that
 * would make AWS or Pulumi generate one instead (an auto-name is never a governed name).
 */
export const NAMED_TYPES: Readonly<Record<string, { readonly name: string; readonly prefix?: string }>> = {
    [T.bucket]: { name: "bucket", prefix: "bucketPrefix" },
    [T.bucketV2]: { name: "bucket", prefix: "bucketPrefix" },
    [T.function]: { name: "name" },
    [T.layerVersion]: { name: "layerName" },
    [T.role]: { name: "name", prefix: "namePrefix" },
    [T.rolePolicy]: { name: "name", prefix: "namePrefix" },
    [T.policy]: { name: "name", prefix: "namePrefix" },
    [T.logGroup]: { name: "name", prefix: "namePrefix" },
    "aws:sqs/queue:Queue": { name: "name", prefix: "namePrefix" },
    "aws:sns/topic:Topic": { name: "name", prefix: "namePrefix" },
    "aws:dynamodb/table:Table": { name: "name" },
    "aws:cloudwatch/eventRule:EventRule": { name: "name", prefix: "namePrefix" },
    "aws:scheduler/schedule:Schedule": { name: "name", prefix: "namePrefix" },
    "aws:sfn/stateMachine:StateMachine": { name: "name", prefix: "namePrefix" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { name: "name" },
};

/** Pulumi's own resources (the stack, providers, references) are never checked as AWS resources. */
export function isPulumiInternal(type: string): boolean {
    return type.startsWith("pulumi:");
}
