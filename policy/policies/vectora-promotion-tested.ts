import { ResourceValidationPolicy } from "@pulumi/policy";
import { GATES, isGated } from "../contract/pins";
import { TYPES } from "../contract/resourceTypes";
import { ownPassedRelease, untested } from "../contract/tested";
import { DEFAULT_READ_TIMEOUT_SECONDS } from "../contract/stackState";
import {
    PromotionGateConfig,
    gateDeploys,
    knownTags,
    ownStack,
    pinnedSource,
    sourceEvidence,
    stackTagsOf,
} from "../support/promotionGatePolicy";
import { raw } from "../support/props";
import { currentStack } from "../support/stackEnv";

/**
 * Stage deploys only what passed dev's smoke test, prod only what passed stage's: the source's release (what its
 * resources run, read by the pack from its state) must have a passing smoke attestation on the source stack, recorded
 * after the source last changed what it runs (the attestation's tag, read by the pack through the CLI). A release
 * the stack itself ran and passed before (a rollback) needs no new test from the source.
 */
export const vectoraPromotionTested: ResourceValidationPolicy = {
    name: "vectora-promotion-tested",
    description:
        "Stage and prod deploy a release only when their source (dev for stage, stage for prod) runs it and its smoke test passed " +
        "there after the source last changed (npm run smoke records it as a tag of the source stack, which the pack reads itself); " +
        "or when the stack itself ran and passed exactly that release before (a rollback).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "promotion", "testing"],
    remediationSteps:
        "Run npm run smoke -- --stack <source> after deploying the source (dev before stage, stage before prod), fix what fails, and " +
        "deploy again once it passes; to go back to a release this stack ran before, use npm run rollback.",
    url: "RULES.md#vectora-promotion-tested",
    rationale: {
        why:
            "The team's chain is deploy, test, then promote: bytes that never passed their smoke test in the environment before would " +
            "reach stage or prod untested. The attestation names the exact release (every artifact's version and Lambda's hash), so a " +
            "test of other bytes does not count.",
        severityReason: "An untested release in stage or prod is how a broken handler or a missing layer reaches users.",
    },
    configSchema: {
        properties: {
            readTimeoutSeconds: {
                type: "number",
                minimum: 1,
                maximum: 600,
                default: DEFAULT_READ_TIMEOUT_SECONDS,
                description: "Seconds the pack waits for its read of a stack's tags.",
            },
        },
    },
    validateResource: async (args, reportViolation) => {
        if (args.type !== TYPES.promotionGate) {
            return args.notApplicable(`only ${TYPES.promotionGate}`);
        }
        const env = currentStack(args.urn);
        if (!isGated(env)) {
            return args.notApplicable("applies to the stage and prod stacks only");
        }
        const config = args.getConfig<PromotionGateConfig>();
        const stack = pinnedSource(env, {});
        if (typeof stack !== "string") {
            reportViolation(`Tested: ${stack.problem}; the check fails closed.`);
            return;
        }
        const deploys = gateDeploys(raw(args.props));
        if (typeof deploys !== "string" && ownPassedRelease(deploys, await knownTags(ownStack(env, stack), config))) {
            return;
        }
        const source = GATES[env].source;
        const [evidence, tags] = await Promise.all([sourceEvidence(stack, config), stackTagsOf(stack, config)]);
        if (evidence.problems.length > 0) {
            reportViolation(
                `Tested: ${source} stack ${stack} cannot be trusted as evidence (${evidence.problems[0]}); the check fails closed.`,
            );
            return;
        }
        if (!tags.ok) {
            reportViolation(`Tested: the smoke tests of ${stack} cannot be read (${tags.why}); the check fails closed.`);
            return;
        }
        for (const problem of untested(evidence, tags.tags, source)) {
            reportViolation(`Tested: ${problem}.`);
        }
    },
};
