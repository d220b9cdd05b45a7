import { AnalysisResult, AnalyzedResource, PolicyInfo, PolicyPackClient, Violation } from "./analyzerClient";
import { policySettings, readPolicyConfigFile } from "./policyConfig";
import { toEngineWire } from "./wire";
import { forEachLimited } from "../lib/parallel";

/** A resource as a policy run needs it: inputs for Analyze, outputs for AnalyzeStack. */
export interface StackResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly protect: boolean;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** `<provider urn>::<id>`. */
    readonly provider?: string;
    /**
     * False for resources the engine reads rather than registers (a StackReference, a `.get`): the engine
     * sends them to neither Analyze nor AnalyzeStack (pulumi/pulumi step_generator.go builds AnalyzeStack
     * from `deployment.news`, where reads never go).
     */
    readonly registered: boolean;
}

/** A stack to check: what the engine knows when it calls the pack. */
export interface StackToCheck {
    readonly project: string;
    readonly stack: string;
    readonly organization: string;
    readonly dryRun: boolean;
    readonly config: Readonly<Record<string, string>>;
    /** Where relative asset paths are resolved from. */
    readonly cwd: string;
    readonly resources: readonly StackResource[];
}

export interface PolicyRunOptions {
    /** The pack folder (`policy/`). */
    readonly packDir: string;
    /** A `--policy-pack-config` file. */
    readonly configFile?: string;
    readonly startTimeoutMs?: number;
    readonly callTimeoutMs?: number;
    /** Analyze calls in flight at once. */
    readonly concurrency?: number;
    /** Variables added to the pack's environment (the stack exports its promotion gate reads offline). */
    readonly env?: Readonly<Record<string, string>>;
}

/**
 * Whether one policy passed on one resource, as the engine sums a policy run up (pulumi/pulumi
 * pkg/resource/analyzer `newPolicySummary`: "Passed = All (of a given type) minus Disabled minus Not Applicable
 * minus Failed"). A stack policy runs once on the whole stack: its check has no URN.
 */
export interface PolicyCheck {
    readonly policy: string;
    readonly urn?: string;
    readonly outcome: "passed" | "failed" | "notApplicable";
}

export interface PolicyRunResult {
    readonly pack: { readonly name: string; readonly version: string };
    /** The pack's policies with their metadata, each at the level in force (its default, or the config's). */
    readonly policies: readonly PolicyInfo[];
    readonly violations: Violation[];
    /** Each enabled policy's outcome on each resource it was sent (resource policies) or on the stack (stack policies). */
    readonly checks: readonly PolicyCheck[];
    /** Milliseconds from starting the pack to its port. */
    readonly startMs: number;
    readonly analyzeCalls: number;
    /** Milliseconds spent in Analyze calls, all resources. */
    readonly analyzeMs: number;
}

/**
 * Runs the policy pack over a stack the way `pulumi preview --policy-pack` does: Configure, one Analyze
 * per registered resource (its inputs), then AnalyzeStack (every registered resource with its outputs).
 */
export async function runPolicyPack(stack: StackToCheck, options: PolicyRunOptions): Promise<PolicyRunResult> {
    // A bad config file is the user's input: report it before starting anything.
    const document = options.configFile ? readPolicyConfigFile(options.configFile) : undefined;
    const client = await PolicyPackClient.start({
        packDir: options.packDir,
        stack: stack.stack,
        project: stack.project,
        organization: stack.organization,
        dryRun: stack.dryRun,
        config: stack.config,
        startTimeoutMs: options.startTimeoutMs,
        callTimeoutMs: options.callTimeoutMs,
        env: options.env,
    });
    try {
        await client.pluginVersion();
        const info = await client.info();
        const settings = policySettings(info, document, options.configFile);
        await client.configure(settings);
        const policies = info.policies.map((p) => ({ ...p, level: settings[p.name]?.level ?? p.level }));
        const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
        const wire = (r: StackResource, props: Record<string, unknown>): AnalyzedResource => {
            const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
            const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                properties: toEngineWire(props, stack.cwd) as Record<string, unknown>,
                parent: r.parent,
                protect: r.protect,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
                provider: provider
                    ? { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.outputs }
                    : undefined,
            };
        };
        const analyzed = stack.resources.filter((r) => r.registered);
        const perResource = new Array<AnalysisResult>(analyzed.length);
        const started = Date.now();
        await forEachLimited(analyzed, options.concurrency ?? 8, async (resource, index) => {
            const result = await client.analyzeDetailed(wire(resource, resource.inputs));
            // The CLI knows which resource an Analyze call was about; the pack does not repeat it.
            perResource[index] = { ...result, violations: result.violations.map((v) => ({ ...v, urn: v.urn ?? resource.urn })) };
        });
        const analyzeMs = Date.now() - started;
        const stackResult = await client.analyzeStackDetailed(analyzed.map((r) => wire(r, r.outputs)));
        const checks = [
            ...perResource.flatMap((result, index) => summarize(policies, "resource", result, analyzed[index].urn)),
            ...summarize(policies, "stack", stackResult),
        ];
        return {
            pack: { name: info.name, version: info.version },
            policies,
            violations: [...perResource.flatMap((r) => r.violations), ...stackResult.violations],
            checks,
            startMs: client.startMs,
            analyzeCalls: analyzed.length,
            analyzeMs,
        };
    } finally {
        client.close();
    }
}

/**
 * A pack's policies with their metadata, each at the level in force under a config file: what a report needs
 * to describe its rules when the verdicts came from elsewhere (`pulumi policy analyze`, which prints none of it).
 */
export async function packPolicies(packDir: string, configFile: string | undefined): Promise<readonly PolicyInfo[]> {
    const document = configFile ? readPolicyConfigFile(configFile) : undefined;
    const client = await PolicyPackClient.start({
        packDir,
        stack: "audit",
        project: "audit",
        organization: "organization",
        dryRun: false,
        config: {},
    });
    try {
        const info = await client.info();
        const settings = policySettings(info, document, configFile);
        return info.policies.map((p) => ({ ...p, level: settings[p.name]?.level ?? p.level }));
    } finally {
        client.close();
    }
}

/** One Analyze (a resource's URN) or AnalyzeStack (no URN) answer summed up per enabled policy of that type. */
function summarize(policies: readonly PolicyInfo[], type: "resource" | "stack", result: AnalysisResult, urn?: string): PolicyCheck[] {
    const failed = new Set(result.violations.map((v) => v.policy));
    const notApplicable = new Set(result.notApplicable.map((n) => n.policy));
    // A pack whose SDK does not say a policy's type has it counted in both, as the engine does.
    return policies
        .filter((p) => (p.type === undefined || p.type === type) && p.level !== "disabled")
        .map((p) => ({
            policy: p.name,
            ...(urn ? { urn } : {}),
            outcome: failed.has(p.name) ? "failed" : notApplicable.has(p.name) ? "notApplicable" : "passed",
        }));
}
