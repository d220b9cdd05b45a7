import { Policies } from "@pulumi/policy";
import { accessLogging } from "./vectora-s3-access-logging";
import { aclsDisabled } from "./vectora-s3-acls-disabled";
import { asyncFailureHandling } from "./vectora-lambda-async-failure-handling";
import { awsLimits } from "./vectora-aws-limits";
import { bedrockAllowlist } from "./vectora-bedrock-allowlist";
import { bucketLifecycle } from "./vectora-s3-lifecycle";
import { bucketPolicyNotPublic } from "./vectora-s3-policy-not-public";
import { concurrencyAdvice } from "./vectora-lambda-concurrency";
import { concurrencyProd } from "./vectora-lambda-concurrency-prod";
import { functionRoles } from "./vectora-iam-function-roles";
import { lambdaEnvironmentContract } from "./vectora-lambda-env-contract";
import { lambdaNoLegacyLayers } from "./vectora-lambda-no-legacy-layers";
import { lambdaNoPublicAccess } from "./vectora-lambda-no-public-access";
import { layerDescriptionVersion } from "./vectora-layer-versioned-description";
import { layerRuntimeMatch } from "./vectora-lambda-layer-runtime-match";
import { leastPrivilegeIam } from "./vectora-iam-least-privilege";
import { logRetentionSet } from "./vectora-logs-retention-set";
import { namesEndInEnv } from "./vectora-naming-env-suffix";
import { noCrossEnvReference } from "./vectora-isolation-no-cross-env";
import { privateEncryptedBuckets } from "./vectora-s3-private-encrypted-versioned";
import { prodBackup } from "./vectora-s3-prod-backup";
import { prodDataProtected } from "./vectora-s3-prod-data-protected";
import { prodDeployedAsStaged } from "./vectora-promotion-deployed-as-staged";
import { prodOnlyAfterStage } from "./vectora-promotion-stage-first";
import { stageOnlyAfterDev } from "./vectora-promotion-dev-first";
import { prodReleasesOnly } from "./vectora-promotion-prod-releases-only";
import { prodStageSoak } from "./vectora-promotion-stage-soak";
import { roleManagedOneWay } from "./vectora-iam-role-managed-one-way";
import { runtimeEnding } from "./vectora-lambda-runtime-ending";
import { runtimeSupported } from "./vectora-lambda-runtime-supported";
import { tagsRequired } from "./vectora-tags-required";
import { tlsOnlyBuckets } from "./vectora-s3-tls-only";

/** Every policy of the pack, mandatory ones first. policy/RULES.md documents each (kept in sync by a test). */
export const vectoraPolicies: Policies = [
    // Governance: names, versions, promotion, isolation.
    namesEndInEnv,
    layerDescriptionVersion,
    stageOnlyAfterDev,
    prodOnlyAfterStage,
    prodDeployedAsStaged,
    prodReleasesOnly,
    noCrossEnvReference,
    lambdaNoLegacyLayers,
    lambdaEnvironmentContract,
    tagsRequired,
    // Storage.
    privateEncryptedBuckets,
    tlsOnlyBuckets,
    bucketPolicyNotPublic,
    aclsDisabled,
    bucketLifecycle,
    accessLogging,
    // Identity and invocation.
    leastPrivilegeIam,
    functionRoles,
    roleManagedOneWay,
    lambdaNoPublicAccess,
    bedrockAllowlist,
    // Runtime and operations.
    runtimeSupported,
    layerRuntimeMatch,
    concurrencyProd,
    asyncFailureHandling,
    logRetentionSet,
    // Advisory.
    prodStageSoak,
    prodDataProtected,
    prodBackup,
    concurrencyAdvice,
    runtimeEnding,
    awsLimits,
];
