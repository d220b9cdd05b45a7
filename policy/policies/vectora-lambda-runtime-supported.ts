import { ResourceValidationPolicy } from "@pulumi/policy";
import { RUNTIME_DEPRECATION, runtimeStatus } from "../contract/runtimes";
import { declaredRuntimes } from "../support/declaredRuntimes";
import { fsbp } from "../support/metadata";

/** No function or layer runs on a runtime AWS has deprecated (or one the pack has no date for). */
export const vectoraLambdaRuntimeSupported: ResourceValidationPolicy = {
    name: "vectora-lambda-runtime-supported",
    description:
        "Every Lambda function's runtime and every layer's compatible runtimes are in the pack's dated table of Lambda runtimes " +
        "and not past their deprecation date, checked against today's date.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: fsbp("Lambda.2", "Lambda functions should use supported runtimes"),
    tags: ["lambda", "security", "runtime", "external/cdk-nag/AwsSolutions-L1", "external/cdk-nag/Serverless-LambdaLatestVersion"],
    remediationSteps:
        "Move the functions and layers to a supported runtime (PYTHON_RUNTIME in functions/profiles.ts), rebuild the layers for it and " +
        "bump their versions in VERSION; when AWS moves a date, change the runtime's row in policy/contract/runtimes.ts in review.",
    url: "RULES.md#vectora-lambda-runtime-supported",
    rationale: {
        why:
            "A deprecated runtime gets no security patches and AWS later refuses to update such a function, which would block an urgent " +
            "fix; a runtime the table does not know has no date to check.",
        severityReason:
            "A deprecated runtime gets no security patches, and AWS later refuses to update such a function, which would block an " +
            "urgent fix.",
    },
    validateResource: (args, reportViolation) => {
        const { what, runtimes } = declaredRuntimes(args);
        if (args.type === "aws:lambda/function:Function" && runtimes.length === 0) {
            reportViolation(`${what} declares no runtime; set one of ${supportedNow().join(", ")}.`);
        }
        for (const runtime of runtimes) {
            const status = runtimeStatus(runtime, new Date());
            if (status.state === "deprecated") {
                reportViolation(
                    `${what} uses ${runtime}, deprecated by AWS since ${status.deprecation} (no security patches, and soon no ` +
                        `deploys); move to one of ${supportedNow().join(", ")}.`,
                );
            } else if (status.state === "unknown") {
                reportViolation(
                    `${what} uses ${runtime}, which is not in the pack's runtime table (policy/contract/runtimes.ts); add it ` +
                        `with its AWS deprecation date, or use one of ${supportedNow().join(", ")}.`,
                );
            }
        }
    },
};

/** The runtimes not deprecated today, for messages. */
function supportedNow(): string[] {
    const now = new Date();
    return Object.keys(RUNTIME_DEPRECATION).filter((r) => runtimeStatus(r, now).state !== "deprecated");
}
