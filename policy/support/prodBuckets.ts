import type { ResourceValidationArgs } from "@pulumi/policy";
import { physicalName } from "../contract/naming";
import { TYPES } from "../contract/resourceTypes";
import { currentEnv } from "./stackEnv";

/** Buckets whose content cannot be rebuilt from the repository. */
const DATA_ROLES = ["data", "newsletters"] as const;

/** The names of prod's data buckets, for descriptions and messages. */
export const PROD_DATA_BUCKETS = DATA_ROLES.map((role) => physicalName(role, "prod"));

/**
 * A bucket of the prod stack, for the policies that guard prod's data: its name, and whether it is one of the
 * data buckets; any other resource, or any other stack, makes the policy not applicable.
 */
export function prodBucket(args: ResourceValidationArgs): { name: unknown; data: boolean } {
    if (args.type !== TYPES.bucket && args.type !== TYPES.bucketV2) {
        return args.notApplicable("only S3 buckets");
    }
    if (currentEnv(args.urn) !== "prod") {
        return args.notApplicable("applies to the prod stack only");
    }
    const name: unknown = args.props.bucket;
    return { name, data: PROD_DATA_BUCKETS.some((bucket) => bucket === name) };
}
