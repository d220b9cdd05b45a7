import { Policies } from "@pulumi/policy";
import { vectoraAwsAllowedAccounts } from "./vectora-aws-allowed-accounts";
import { vectoraAwsLimits } from "./vectora-aws-limits";
import { vectoraBedrockAllowlist } from "./vectora-bedrock-allowlist";
import { vectoraIamFunctionRoles } from "./vectora-iam-function-roles";
import { vectoraIamLeastPrivilege } from "./vectora-iam-least-privilege";
import { vectoraIamNoUsers } from "./vectora-iam-no-users";
import { vectoraIamRoleManagedOneWay } from "./vectora-iam-role-managed-one-way";
import { vectoraIsolationNoCrossEnv } from "./vectora-isolation-no-cross-env";
import { vectoraLambdaAsyncFailureHandling } from "./vectora-lambda-async-failure-handling";
import { vectoraLambdaConcurrency } from "./vectora-lambda-concurrency";
import { vectoraLambdaConcurrencyProd } from "./vectora-lambda-concurrency-prod";
import { vectoraLambdaEnvContract } from "./vectora-lambda-env-contract";
import { vectoraLambdaLayerRuntimeMatch } from "./vectora-lambda-layer-runtime-match";
import { vectoraLambdaNoLegacyLayers } from "./vectora-lambda-no-legacy-layers";
import { vectoraLambdaNoPublicAccess } from "./vectora-lambda-no-public-access";
import { vectoraLambdaRuntimeEnding } from "./vectora-lambda-runtime-ending";
import { vectoraLambdaRuntimeSupported } from "./vectora-lambda-runtime-supported";
import { vectoraLayerVersionedDescription } from "./vectora-layer-versioned-description";
import { vectoraLogsRetentionSet } from "./vectora-logs-retention-set";
import { vectoraNamingEnvSuffix } from "./vectora-naming-env-suffix";
import { vectoraPromotionDeployedAsStaged } from "./vectora-promotion-deployed-as-staged";
import { vectoraPromotionProdReleasesOnly } from "./vectora-promotion-prod-releases-only";
import { vectoraPromotionDevFirst } from "./vectora-promotion-dev-first";
import { vectoraPromotionStageFirst } from "./vectora-promotion-stage-first";
import { vectoraPromotionStageSoak } from "./vectora-promotion-stage-soak";
import { vectoraPromotionTested } from "./vectora-promotion-tested";
import { vectoraS3AccessLogging } from "./vectora-s3-access-logging";
import { vectoraS3AclsDisabled } from "./vectora-s3-acls-disabled";
import { vectoraS3Lifecycle } from "./vectora-s3-lifecycle";
import { vectoraS3PolicyNotPublic } from "./vectora-s3-policy-not-public";
import { vectoraS3PrivateEncryptedVersioned } from "./vectora-s3-private-encrypted-versioned";
import { vectoraS3ProdBackup } from "./vectora-s3-prod-backup";
import { vectoraS3ProdDataProtected } from "./vectora-s3-prod-data-protected";
import { vectoraS3ProdNoForceDestroy } from "./vectora-s3-prod-no-force-destroy";
import { vectoraS3TlsOnly } from "./vectora-s3-tls-only";
import { vectoraTagsRequired } from "./vectora-tags-required";

/** Every policy of the pack, mandatory ones first. policy/RULES.md documents each (kept in sync by a test). */
export const vectoraPolicies: Policies = [
    // Governance: names, versions, promotion, isolation.
    vectoraNamingEnvSuffix,
    vectoraLayerVersionedDescription,
    vectoraPromotionDevFirst,
    vectoraPromotionStageFirst,
    vectoraPromotionTested,
    vectoraPromotionStageSoak,
    vectoraPromotionDeployedAsStaged,
    vectoraPromotionProdReleasesOnly,
    vectoraIsolationNoCrossEnv,
    vectoraLambdaNoLegacyLayers,
    vectoraLambdaEnvContract,
    vectoraTagsRequired,
    // Storage.
    vectoraS3PrivateEncryptedVersioned,
    vectoraS3TlsOnly,
    vectoraS3PolicyNotPublic,
    vectoraS3AclsDisabled,
    vectoraS3Lifecycle,
    vectoraS3AccessLogging,
    vectoraS3ProdNoForceDestroy,
    // Identity and invocation.
    vectoraIamLeastPrivilege,
    vectoraIamFunctionRoles,
    vectoraIamRoleManagedOneWay,
    vectoraIamNoUsers,
    vectoraAwsAllowedAccounts,
    vectoraLambdaNoPublicAccess,
    vectoraBedrockAllowlist,
    // Runtime and operations.
    vectoraLambdaRuntimeSupported,
    vectoraLambdaLayerRuntimeMatch,
    vectoraLambdaConcurrencyProd,
    vectoraLambdaAsyncFailureHandling,
    vectoraLogsRetentionSet,
    // Advisory.
    vectoraS3ProdDataProtected,
    vectoraS3ProdBackup,
    vectoraLambdaConcurrency,
    vectoraLambdaRuntimeEnding,
    vectoraAwsLimits,
];
