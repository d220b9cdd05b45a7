import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { conditionValues, principalsOf, statementsOf } from "../support/iamDocument";
import { fsbp } from "../support/metadata";

/** Knobs of the bucket policy check. */
export interface VectoraS3PolicyNotPublicConfig {
    /** Other AWS accounts a bucket policy may grant to (none by default). */
    readonly allowedAccounts?: string[];
}

/** The account of an AWS principal (`123456789012`, `arn:aws:iam::123456789012:root`, a role ARN...). */
export function principalAccount(principal: string): string | undefined {
    return /^(\d{12})$/.exec(principal)?.[1] ?? /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** Why each Allow statement of a bucket policy opens the bucket to someone it should not, as sentences. */
export function publicGrants(document: unknown, allowedAccounts: ReadonlySet<string>): string[] {
    const parsed = statementsOf(document);
    if (!("statements" in parsed)) {
        return [`the bucket policy ${parsed.problem}`];
    }
    const problems: string[] = [];
    for (const { label, body } of parsed.statements) {
        if (body.Effect !== "Allow") {
            continue;
        }
        if (body.NotPrincipal !== undefined) {
            problems.push(`${label} allows with NotPrincipal, which grants everyone not listed`);
        }
        const who = principalsOf(body.Principal);
        if (who.anyone) {
            problems.push(`${label} allows any principal ("*")`);
        }
        for (const principal of who.aws) {
            const account = principalAccount(principal);
            if (account === undefined || !allowedAccounts.has(account)) {
                problems.push(`${label} allows the AWS principal ${principal}`);
            }
        }
        for (const principal of who.federated) {
            problems.push(`${label} allows the federated or canonical-user principal ${principal}`);
        }
        // A service writes on behalf of whoever configures it: without a source condition, any account's
        // logging or notification could write here (the confused deputy).
        if (
            who.services.length > 0 &&
            conditionValues(body, "aws:SourceAccount").length === 0 &&
            conditionValues(body, "aws:SourceArn").length === 0
        ) {
            problems.push(`${label} allows ${who.services.join(", ")} without an aws:SourceAccount or aws:SourceArn condition`);
        }
    }
    return problems;
}

/** A bucket policy grants nothing to the public or to another account. */
export const vectoraS3PolicyNotPublic: ResourceValidationPolicy = {
    name: "vectora-s3-policy-not-public",
    description:
        "No S3 bucket policy has an Allow statement for any principal ('*'), NotPrincipal, a federated principal or an AWS account " +
        "outside allowedAccounts, and an Allow for an AWS service has an aws:SourceAccount or aws:SourceArn condition.",
    enforcementLevel: "mandatory",
    severity: "critical",
    framework: fsbp("S3.2", "S3 general purpose buckets should block public read access"),
    tags: [
        "s3",
        "security",
        "external/aws-fsbp/S3.3",
        "external/aws-fsbp/S3.6",
        "external/cdk-nag/HIPAA.Security-S3BucketPublicReadProhibited",
        "external/cdk-nag/NIST.800.53.R5-S3BucketPublicReadProhibited",
        "external/cdk-nag/HIPAA.Security-S3BucketPublicWriteProhibited",
        "external/cdk-nag/NIST.800.53.R5-S3BucketPublicWriteProhibited",
    ],
    remediationSteps:
        'Remove the Allow for "*", the NotPrincipal, the federated principal or the foreign account from the bucket policy; give a ' +
        "service principal an aws:SourceAccount or aws:SourceArn condition; add an account to allowedAccounts in " +
        "policy/policy-config.json only in a reviewed change.",
    url: "RULES.md#vectora-s3-policy-not-public",
    rationale: {
        why:
            "A bucket policy is the other way to make a bucket public or hand it to another account; the public access block alone can " +
            "be switched off by the same change.",
        severityReason: "A public or foreign-account Allow hands client data to anyone (Security Hub rates S3.2 and S3.3 critical).",
    },
    configSchema: {
        properties: {
            allowedAccounts: {
                type: "array",
                items: { type: "string", pattern: "^\\d{12}$" },
                default: [],
                description: "AWS accounts a bucket policy may grant to.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        let document: unknown;
        if (args.type === TYPES.bucketPolicy) {
            document = args.props.policy;
        } else if ((args.type === TYPES.bucket || args.type === TYPES.bucketV2) && args.props.policy !== undefined) {
            document = args.props.policy;
        } else {
            return args.notApplicable("only bucket policies");
        }
        const allowed = new Set(args.getConfig<VectoraS3PolicyNotPublicConfig>().allowedAccounts ?? []);
        for (const problem of publicGrants(document, allowed)) {
            reportViolation(
                `${args.type} "${args.name}": ${problem}; a Vectora bucket is read and written only by this ` +
                    `environment's roles (IAM policies), never opened through its bucket policy.`,
            );
        }
    },
};
