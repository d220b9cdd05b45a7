import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { functionLabel, functionsOf } from "../support/functionRoles";
import { isUnknown, nested } from "../support/props";
import { ofTypes, refersToFunction, valueOf } from "../support/references";

/** Knobs of the failure-handling check. */
export interface VectoraLambdaAsyncFailureHandlingConfig {
    /** Longest time, in seconds, an event may wait for a retry before Lambda drops it to the failure destination. */
    readonly maxEventAgeSeconds?: number;
}

export const DEFAULT_MAX_EVENT_AGE_SECONDS = 3600;

/** The resources that make AWS invoke a function asynchronously, and the property that names the function. */
const TRIGGERS: ReadonlyArray<readonly [string, string]> = [
    [TYPES.permission, "function"],
    [TYPES.eventTarget, "arn"],
    [TYPES.schedule, "target"],
    [TYPES.notification, "lambdaFunctions"],
    ["aws:sns/topicSubscription:TopicSubscription", "endpoint"],
];

/** What triggers a function: `<type> "<name>"` of each resource that lets a service invoke it. */
function triggersOf(fn: PolicyResource, resources: readonly PolicyResource[]): string[] {
    return TRIGGERS.flatMap(([type, property]) =>
        ofTypes(resources, type)
            .filter((r) => refersToFunction(r, property, fn))
            .map((r) => `${type.split(":").pop()} "${r.name}"`),
    );
}

/** An event that fails is kept, retried at most once, and not retried forever once a trigger exists. */
export const vectoraLambdaAsyncFailureHandling: StackValidationPolicy = {
    name: "vectora-lambda-async-failure-handling",
    description:
        "Every Lambda function that a trigger invokes asynchronously (a permission, an EventBridge target, a schedule, an S3 or SNS " +
        "notification) has an on-failure destination or a dead-letter queue, a maximum retry count of 0 or 1 and a maximum event " +
        "age of at most maxEventAgeSeconds (3600 by default), set in its aws.lambda.FunctionEventInvokeConfig.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: [
        "lambda",
        "reliability",
        "external/cdk-nag/Serverless-LambdaAsyncFailureDestination",
        "external/cdk-nag/Serverless-LambdaDLQ",
        "external/cdk-nag/HIPAA.Security-LambdaDLQ",
        "external/cdk-nag/NIST.800.53.R5-LambdaDLQ",
    ],
    remediationSteps:
        "Add an aws.lambda.FunctionEventInvokeConfig for the function with an onFailure destination (or give the function a dead-letter " +
        "queue), maximumRetryAttempts 0 or 1 and maximumEventAgeInSeconds at most maxEventAgeSeconds.",
    url: "RULES.md#vectora-lambda-async-failure-handling",
    rationale: {
        why:
            "Lambda retries a failed asynchronous event twice over up to six hours and then drops it; a newsletter run that fails must " +
            "be kept, retried at most once and seen.",
        severityReason: "A failed asynchronous event is retried and then dropped silently: a lost newsletter run, not exposed data.",
    },
    configSchema: {
        properties: {
            maxEventAgeSeconds: {
                type: "number",
                minimum: 60,
                maximum: 21600,
                default: DEFAULT_MAX_EVENT_AGE_SECONDS,
                description: "Longest time an event may wait for a retry, in seconds.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const triggered = functionsOf(args.resources)
            .map((fn) => ({ fn, triggers: triggersOf(fn, args.resources) }))
            .filter((t) => t.triggers.length > 0);
        if (triggered.length === 0) {
            return args.notApplicable("no function has an asynchronous trigger");
        }
        const maxAge = args.getConfig<VectoraLambdaAsyncFailureHandlingConfig>().maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS;
        for (const { fn, triggers } of triggered) {
            const label = `${functionLabel(fn)} (invoked by ${triggers.join(", ")})`;
            const configs = ofTypes(args.resources, TYPES.eventInvokeConfig).filter((c) => refersToFunction(c, "functionName", fn));
            const config = configs[0];
            const destination = config && nested(valueOf(config, "destinationConfig"), "onFailure", "destination");
            const deadLetter = nested(valueOf(fn, "deadLetterConfig"), "targetArn");
            const pending = config && isUnknown(valueOf(config, "destinationConfig"));
            if (destination === undefined && deadLetter === undefined && !pending) {
                reportViolation(
                    `${label} has no on-failure destination or dead-letter queue; a failed event would be lost. Add an ` +
                        `aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure ` +
                        `(an SQS queue or SNS topic of this environment).`,
                    fn.urn,
                );
            }
            if (!config) {
                reportViolation(
                    `${label} keeps Lambda's defaults (2 retries, events kept 6 hours); set maximumRetryAttempts 0 or 1 and ` +
                        `maximumEventAgeInSeconds at most ${maxAge} in an aws.lambda.FunctionEventInvokeConfig.`,
                    fn.urn,
                );
                continue;
            }
            const retries = valueOf(config, "maximumRetryAttempts");
            if (!isUnknown(retries) && retries !== 0 && retries !== 1) {
                reportViolation(`${label}: maximumRetryAttempts is ${String(retries ?? "unset (2)")}; set 0 or 1.`, config.urn);
            }
            const age = valueOf(config, "maximumEventAgeInSeconds");
            if (!isUnknown(age) && (typeof age !== "number" || age > maxAge)) {
                reportViolation(
                    `${label}: maximumEventAgeInSeconds is ${String(age ?? "unset (21600)")}; set at most ${maxAge}.`,
                    config.urn,
                );
            }
        }
    },
};
