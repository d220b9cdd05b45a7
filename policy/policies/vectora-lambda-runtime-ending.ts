import { ResourceValidationPolicy } from "@pulumi/policy";
import { RUNTIME_WARNING_DAYS, runtimeStatus } from "../contract/runtimes";
import { declaredRuntimes } from "../support/declaredRuntimes";

/** Knobs of the runtime notice. */
export interface VectoraLambdaRuntimeEndingConfig {
    /** Days before a deprecation date from which a runtime is reported. */
    readonly warningDays?: number;
}

/** A runtime close to its deprecation date is reported while there is time to move. */
export const vectoraLambdaRuntimeEnding: ResourceValidationPolicy = {
    name: "vectora-lambda-runtime-ending",
    description:
        "Every Lambda function or layer whose runtime AWS deprecates within warningDays days (180 by default) is reported, " +
        "with the date, so that the move to a newer runtime is planned before deploys are blocked.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["lambda", "runtime", "external/aws-fsbp/Lambda.2", "external/cdk-nag/AwsSolutions-L1"],
    remediationSteps:
        "Plan the move before the date shown: change PYTHON_RUNTIME in functions/profiles.ts, rebuild the layers for the new runtime " +
        "and bump their versions in VERSION.",
    url: "RULES.md#vectora-lambda-runtime-ending",
    rationale: {
        why: "Gives the team the half year before a deprecation to move, instead of discovering it when deploys are blocked.",
        severityReason: "An early warning: nothing is wrong yet.",
    },
    configSchema: {
        properties: {
            warningDays: {
                type: "number",
                minimum: 0,
                default: RUNTIME_WARNING_DAYS,
                description: "Days of notice before a runtime's deprecation date.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const { what, runtimes } = declaredRuntimes(args);
        const warningDays = args.getConfig<VectoraLambdaRuntimeEndingConfig>().warningDays ?? RUNTIME_WARNING_DAYS;
        for (const runtime of runtimes) {
            const status = runtimeStatus(runtime, new Date(), warningDays);
            if (status.state === "ending") {
                reportViolation(
                    `${what} uses ${runtime}, which AWS deprecates on ${status.deprecation} (in ${status.daysLeft} days); ` +
                        `plan the move to a newer runtime.`,
                );
            }
        }
    },
};
