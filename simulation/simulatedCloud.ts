import * as pulumi from "@pulumi/pulumi";
import type { CheckResult } from "./check";
import { planCreate } from "./plan";
import { callerIdentity, freshAccountClock, simulateCreate } from "./simulatedAws";

export { SIMULATED_ACCOUNT } from "./simulatedAws";

export interface SimulatedCloudOptions {
    readonly region: string;
    /** Whether this is a preview: then, as in the engine, nothing is created and computed values stay unknown. */
    readonly preview: boolean;
    /**
     * Compute what AWS would answer even in a preview: the program runs as a preview (no deploy-only refusals)
     * while its resources come out as if created, which is what a stack deployed from this commit would hold.
     */
    readonly asDeployed?: boolean;
    /** Outputs that a StackReference resolves to, by referenced stack name. */
    readonly stackOutputs: (name: string) => Record<string, unknown>;
    /**
     * The provider's Check of a registration (type and name), made from the request the engine would receive
     * (the mocks themselves see deserialized inputs, where a value unknown in a preview is lost).
     */
    readonly checked: (type: string, name: string) => CheckResult | undefined;
}

/**
 * Pulumi mocks that behave as the engine does with the sandbox's simulated AWS provider: a resource whose
 * inputs the provider's Check refuses fails its registration with the engine's sentence; a preview of a new
 * stack answers the provider's plan (checked inputs, AWS's values unknown), a deploy what the simulated account
 * computes. Reads of a StackReference resolve to the given outputs in both, as reads run during previews.
 * Invokes other than the caller identity are refused.
 */
export function simulatedMocks(options: SimulatedCloudOptions): pulumi.runtime.Mocks {
    const clock = freshAccountClock();
    return {
        newResource: async (args) => {
            if (args.type === "pulumi:pulumi:StackReference") {
                const name = String(args.inputs.name ?? "");
                return { id: name, state: { name, outputs: options.stackOutputs(name), secretOutputNames: [] } };
            }
            if (args.custom === false) {
                return { id: "", state: {} };
            }
            const check = options.checked(args.type, args.name);
            if (check && check.failures.length > 0) {
                // As the engine reports a Check failure (pulumi/pulumi pkg/resource/deploy/step_generator.go issueCheckFailures).
                throw new Error(check.failures.map((f) => `${args.type} resource '${args.name}' has a problem: ${f}`).join("\n"));
            }
            const inputs = check?.inputs ?? args.inputs;
            if (options.preview && !options.asDeployed) {
                return { id: "", state: planCreate(args.type, inputs, options.region) };
            }
            const created = simulateCreate(args.type, inputs, options.region, clock);
            return { id: created.id, state: created.outputs };
        },
        call: (args) => {
            if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
                return callerIdentity("offline-preview");
            }
            throw new Error(`the offline preview does not simulate ${args.token}`);
        },
    };
}
