import type { ResourceValidationArgs } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";

/**
 * The runtimes a function or layer declares: a zip function's runtime, a layer version's compatible runtimes.
 * Container-image functions bring their own runtime and are not applicable.
 */
export function declaredRuntimes(args: ResourceValidationArgs): { what: string; runtimes: string[] } {
    if (args.type === TYPES.function) {
        if (args.props.packageType === "Image") {
            return args.notApplicable("a container image brings its own runtime");
        }
        const runtime: unknown = args.props.runtime;
        return { what: `function "${args.name}"`, runtimes: typeof runtime === "string" ? [runtime] : [] };
    }
    if (args.type === TYPES.layerVersion) {
        const runtimes: unknown = args.props.compatibleRuntimes;
        return {
            what: `layer "${args.name}"`,
            runtimes: Array.isArray(runtimes) ? runtimes.filter((r): r is string => typeof r === "string") : [],
        };
    }
    return args.notApplicable("only Lambda functions and layer versions");
}
