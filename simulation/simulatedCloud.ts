import * as pulumi from "@pulumi/pulumi";
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
}

/**
 * Pulumi mocks that behave as the engine does with the sandbox's simulated AWS provider: a preview of a new
 * stack returns each resource's inputs as its outputs (ids, ARNs, dates unknown), a deploy returns what the
 * simulated account computes. Reads of a StackReference resolve to the given outputs in both, as reads run
 * during previews. Invokes other than the caller identity are refused.
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
            if (options.preview && !options.asDeployed) {
                return { id: "", state: args.inputs };
            }
            const created = simulateCreate(args.type, args.inputs, options.region, clock);
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
