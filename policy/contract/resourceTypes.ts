/** Type tokens of the resources the policies look at (no @pulumi/aws import: the pack must start fast). */
export const TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    ownershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketAcl: "aws:s3/bucketAcl:BucketAcl",
    bucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    lifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    logging: "aws:s3/bucketLogging:BucketLogging",
    loggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    notification: "aws:s3/bucketNotification:BucketNotification",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    objectV1: "aws:s3/bucketObject:BucketObject",
    objectCopy: "aws:s3/objectCopy:ObjectCopy",
    layerVersion: "aws:lambda/layerVersion:LayerVersion",
    function: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    layerPermission: "aws:lambda/layerVersionPermission:LayerVersionPermission",
    eventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    schedule: "aws:scheduler/schedule:Schedule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    rolePoliciesExclusive: "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    backupVault: "aws:backup/vault:Vault",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    stackReference: "pulumi:pulumi:StackReference",
    /** The component that carries stage's evidence to the pack (components/promotionGate.ts). */
    promotionGate: "vectora:promotion:PromotionGate",
} as const;

/**
 * The property that holds the physical name of each named AWS resource type, and the property that
 * would make AWS or Pulumi generate one instead (an auto-name is never a governed name).
 */
export const NAMED_TYPES: Readonly<Record<string, { readonly name: string; readonly prefix?: string }>> = {
    [TYPES.bucket]: { name: "bucket", prefix: "bucketPrefix" },
    [TYPES.bucketV2]: { name: "bucket", prefix: "bucketPrefix" },
    [TYPES.function]: { name: "name" },
    [TYPES.layerVersion]: { name: "layerName" },
    [TYPES.role]: { name: "name", prefix: "namePrefix" },
    [TYPES.rolePolicy]: { name: "name", prefix: "namePrefix" },
    [TYPES.policy]: { name: "name", prefix: "namePrefix" },
    [TYPES.logGroup]: { name: "name", prefix: "namePrefix" },
    "aws:sqs/queue:Queue": { name: "name", prefix: "namePrefix" },
    "aws:sns/topic:Topic": { name: "name", prefix: "namePrefix" },
    "aws:dynamodb/table:Table": { name: "name" },
    "aws:cloudwatch/eventRule:EventRule": { name: "name", prefix: "namePrefix" },
    "aws:scheduler/schedule:Schedule": { name: "name", prefix: "namePrefix" },
    "aws:sfn/stateMachine:StateMachine": { name: "name", prefix: "namePrefix" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { name: "name" },
    [TYPES.backupVault]: { name: "name" },
    [TYPES.backupPlan]: { name: "name" },
    [TYPES.backupSelection]: { name: "name" },
};

/**
 * Types whose arguments take `tags` (checked against @pulumi/aws 7.48): each must carry the required tags.
 * Bucket sub-resources, layer versions, role policies and permissions have none in AWS.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
    TYPES.bucket,
    TYPES.bucketV2,
    TYPES.object,
    TYPES.objectV1,
    TYPES.function,
    TYPES.role,
    TYPES.policy,
    TYPES.logGroup,
    TYPES.backupVault,
    TYPES.backupPlan,
    "aws:sqs/queue:Queue",
    "aws:sns/topic:Topic",
    "aws:dynamodb/table:Table",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:sfn/stateMachine:StateMachine",
    "aws:kms/key:Key",
    "aws:ssm/parameter:Parameter",
    "aws:secretsmanager/secret:Secret",
]);

/** Pulumi's own resources (the stack, providers, references) are never checked as AWS resources. */
export function isPulumiInternal(type: string): boolean {
    return type.startsWith("pulumi:");
}
