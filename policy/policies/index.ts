import { Policies } from "@pulumi/policy";
import { awsLimits } from "./awsLimits";
import { lambdaEnvironmentContract } from "./lambdaEnvironmentContract";
import { lambdaNoLegacyLayers } from "./lambdaNoLegacyLayers";
import { layerDescriptionVersion } from "./layerDescriptionVersion";
import { leastPrivilegeIam } from "./leastPrivilegeIam";
import { logRetentionSet } from "./logRetentionSet";
import { namesEndInEnv } from "./namesEndInEnv";
import { noCrossEnvReference } from "./noCrossEnvReference";
import { privateEncryptedBuckets } from "./privateEncryptedBuckets";
import { prodDataProtected } from "./prodDataProtected";
import { prodDeployedAsStaged } from "./prodDeployedAsStaged";
import { prodOnlyAfterStage } from "./prodOnlyAfterStage";
import { prodStageSoak } from "./prodStageSoak";

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
