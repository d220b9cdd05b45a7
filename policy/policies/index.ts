import { Policies } from "@pulumi/policy";
import { awsLimits } from "./vectora-aws-limits";
import { lambdaEnvironmentContract } from "./vectora-lambda-env-contract";
import { lambdaNoLegacyLayers } from "./vectora-lambda-no-legacy-layers";
import { layerDescriptionVersion } from "./vectora-layer-versioned-description";
import { leastPrivilegeIam } from "./vectora-iam-least-privilege";
import { logRetentionSet } from "./vectora-logs-retention-set";
import { namesEndInEnv } from "./vectora-naming-env-suffix";
import { noCrossEnvReference } from "./vectora-isolation-no-cross-env";
import { privateEncryptedBuckets } from "./vectora-s3-private-encrypted-versioned";
import { prodDataProtected } from "./vectora-s3-prod-data-protected";
import { prodDeployedAsStaged } from "./vectora-promotion-deployed-as-staged";
import { prodOnlyAfterStage } from "./vectora-promotion-stage-first";
import { prodStageSoak } from "./vectora-promotion-stage-soak";

/** Every policy of the pack, mandatory ones first. policy/RULES.md documents each (kept in sync by a test). */
export const vectoraPolicies: Policies = [
    namesEndInEnv,
    layerDescriptionVersion,
    prodOnlyAfterStage,
    prodDeployedAsStaged,
    noCrossEnvReference,
    lambdaNoLegacyLayers,
    lambdaEnvironmentContract,
    privateEncryptedBuckets,
    leastPrivilegeIam,
    prodStageSoak,
    prodDataProtected,
    logRetentionSet,
    awsLimits,
];
