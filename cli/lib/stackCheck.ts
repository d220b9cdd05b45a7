import type { Evaluation } from "./evaluate";
import type { StackToCheck } from "./policyRun";

/** The resources of an offline evaluation, as the engine would hand them to a policy pack. */
export function evaluationToCheck(ev: Evaluation, dryRun: boolean): StackToCheck {
    return {
        project: ev.project,
        stack: ev.stack,
        organization: ev.organization,
        dryRun,
        config: ev.config,
        cwd: process.cwd(),
        resources: ev.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            inputs: r.inputs,
            outputs: r.outputs,
            protect: r.protect,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            provider: r.provider,
            registered: !r.read,
        })),
    };
}
