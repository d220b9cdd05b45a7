import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { coversAction, conditionValues, matchesPattern, principalsOf, resourcesOf, statementsOf } from "../support/iamDocument";
import { forBucket, knownString, labelOf, ofTypes } from "../support/references";
import { fsbp } from "../support/metadata";

/** True when a bucket policy denies every request to the bucket and its objects made without TLS. */
export function deniesInsecureTransport(document: unknown, bucketName: string): boolean {
    const parsed = statementsOf(document);
    if (!("statements" in parsed)) {
        return false;
    }
    const targets = [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`];
    return parsed.statements.some(({ body }) => {
        const resources = resourcesOf(body);
        return (
            body.Effect === "Deny" &&
            principalsOf(body.Principal).anyone &&
            coversAction(body, "s3:*") &&
            targets.every((t) => resources.some((r) => matchesPattern(r, t))) &&
            conditionValues(body, "aws:SecureTransport").includes("false")
        );
    });
}

function bucketPolicies(resources: readonly PolicyResource[], bucket: PolicyResource): PolicyResource[] {
    return ofTypes(resources, TYPES.bucketPolicy).filter((p) => forBucket(p, bucket));
}

/** Every bucket refuses plain HTTP: a Deny for anyone on s3:* without aws:SecureTransport, bucket and objects. */
export const vectoraS3TlsOnly: StackValidationPolicy = {
    name: "vectora-s3-tls-only",
    description:
        "Every S3 bucket has a bucket policy that denies any principal every s3:* action on the bucket and its objects " +
        "when aws:SecureTransport is false, so that nothing reaches the data without TLS.",
    enforcementLevel: "mandatory",
    severity: "medium",
    framework: fsbp("S3.5", "S3 general purpose buckets should require requests to use SSL"),
    tags: [
        "s3",
        "security",
        "external/cis-aws-v3.0.0/2.1.1",
        "external/cdk-nag/AwsSolutions-S10",
        "external/cdk-nag/HIPAA.Security-S3BucketSSLRequestsOnly",
        "external/cdk-nag/NIST.800.53.R5-S3BucketSSLRequestsOnly",
    ],
    remediationSteps:
        'Attach an aws.s3.BucketPolicy whose statement denies Principal "*" every "s3:*" action on the bucket and bucket/* when the ' +
        'Bool condition aws:SecureTransport is "false"; the PrivateBucket component (components/privateBucket.ts) writes it.',
    url: "RULES.md#vectora-s3-tls-only",
    rationale: {
        why: "Without an explicit Deny, S3 accepts plain HTTP requests; client data, prompts and artifacts travel only encrypted.",
        severityReason: "Clients already use HTTPS; the Deny closes plain HTTP for any that would not (Security Hub rates S3.5 medium).",
    },
    validateStack: (args, reportViolation) => {
        const buckets = ofTypes(args.resources, TYPES.bucket, TYPES.bucketV2);
        if (buckets.length === 0) {
            return args.notApplicable("no S3 bucket in the stack");
        }
        for (const bucket of buckets) {
            const name = knownString(bucket, "bucket");
            const label = `bucket ${labelOf(bucket, "bucket")}`;
            const policies = bucketPolicies(args.resources, bucket);
            // A bucket's own (deprecated) policy argument counts too: AWS holds one policy per bucket either way. It is
            // read without the proxy: the real provider computes it, unknown in a preview of a new bucket.
            const inline = knownString(bucket, "policy");
            const documents = [...policies.map((p) => p.props.policy as unknown), ...(inline ? [inline] : [])];
            if (documents.length === 0) {
                reportViolation(
                    `${label} has no bucket policy; add an aws.s3.BucketPolicy that denies "s3:*" to "*" on the bucket ` +
                        `and its objects when aws:SecureTransport is "false" (the PrivateBucket component does).`,
                    bucket.urn,
                );
                continue;
            }
            if (name !== undefined && !documents.some((d) => deniesInsecureTransport(d, name))) {
                reportViolation(
                    `${label}: its bucket policy does not deny requests without TLS; add a Deny statement for ` +
                        `Principal "*", Action "s3:*", Resource the bucket and bucket/*, Condition Bool aws:SecureTransport "false".`,
                    (policies[0] ?? bucket).urn,
                );
            }
        }
    },
};
