import * as path from "path";
import { fsInputError } from "../lib/errors";
import * as pulumi from "@pulumi/pulumi";
import { readProjectName, readStackConfig } from "../pulumi/projectFiles";
import { awsProviderVersion } from "./providerVersion";
import { interceptMonitor, waitForRPCs } from "../pulumi/pulumiInternals";
import type { StackResource, StackToCheck } from "../pulumi/policyRun";
import { simulatedMocks } from "./simulatedCloud";
import { CheckResult, checkResource } from "./check";
import { checkProviderConfig } from "./providerConfig";
import { fileSha256, mapWire, toEngineWire } from "../pulumi/wire";

/**
 * One resource as the engine would know it after the program registered (or read) it: what a policy run
 * needs (URN as the engine forms it, wire-form inputs and outputs...), plus whether it is a custom resource
 * and its id.
 */
export interface CapturedResource extends StackResource {
    readonly custom: boolean;
    readonly id?: string;
}

/** The result of running the program offline for one stack. */
export interface Evaluation {
    readonly project: string;
    readonly stack: string;
    readonly organization: string;
    readonly root: string;
    readonly resources: CapturedResource[];
    /** Stack outputs in the wire form. */
    readonly outputs: Record<string, unknown>;
    /** The config the program ran with. */
    readonly config: Record<string, string>;
}

export interface EvaluateOptions {
    /** The project folder: Pulumi.yaml and the stacks' config files. */
    readonly root: string;
    readonly stack: string;
    /**
     * The Pulumi program, as the CLI would run the project's entry (program.ts's, with the options the caller
     * gives it); the offline run takes any program and never imports this project's.
     */
    readonly program: () => Promise<unknown>;
    /** Whether this is a preview (isDryRun) or a deploy. */
    readonly preview: boolean;
    /** Outputs a StackReference resolves to. */
    readonly stackOutputs?: (name: string) => Record<string, unknown>;
    /** Resources come out as if created (see SimulatedCloudOptions.asDeployed). */
    readonly asDeployed?: boolean;
}

const ORGANIZATION = "organization";

interface Registration {
    readonly type: string;
    readonly name: string;
    readonly parentMockUrn: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
    readonly protect: boolean;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    /** Read (a StackReference) rather than registered. */
    readonly read: boolean;
    mockUrn?: string;
    id?: string;
    outputs?: Record<string, unknown>;
}

/** The dependencies of a request, per property. */
function propertyDependencies(map: { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void }): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    map.forEach((v, k) => (out[k] = v.getUrnsList()));
    return out;
}

/**
 * The provider's Check of a registration, made from its request (the engine's form: unknown values as the
 * sentinel, assets with the sha256 of their content).
 */
function checkRegistration(type: string, name: string, inputs: Record<string, unknown>): CheckResult {
    const hashed = mapWire(inputs, {
        asset: (asset) =>
            typeof asset.path === "string" && asset.hash === undefined ? { ...asset, hash: fileSha256(path.resolve(asset.path)) } : asset,
    }) as Record<string, unknown>;
    return checkResource(type, name, hashed);
}

/** Records every registration and read of the program under mocks, as the engine would receive them. */
function recordRegistrations(checks: Map<string, CheckResult>): {
    registrations: Registration[];
    stackOutputs: () => Record<string, unknown>;
    outputsOf: (r: Registration) => Record<string, unknown>;
    settled: () => Promise<void>;
} {
    const registrations: Registration[] = [];
    const pending = new Set<Promise<unknown>>();
    let rootOutputs: Record<string, unknown> = {};
    const componentOutputs = new Map<string, Record<string, unknown>>();
    const track = (done: Promise<unknown>) => {
        const settled = done.catch(() => undefined).finally(() => pending.delete(settled));
        pending.add(settled);
    };
    interceptMonitor({
        registerResource: (req, answer) => {
            const requested = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
            // The engine hands the pack (and the provider's Create) the inputs after the provider's Check.
            const check = req.getCustom() ? checkRegistration(req.getType(), req.getName(), requested) : undefined;
            if (check) {
                checks.set(`${req.getType()}\0${req.getName()}`, check);
            }
            const entry: Registration = {
                type: req.getType(),
                name: req.getName(),
                parentMockUrn: req.getParent(),
                custom: req.getCustom(),
                inputs: check?.failures.length === 0 ? check.inputs : requested,
                protect: req.getProtect() === true,
                dependencies: req.getDependenciesList(),
                propertyDependencies: propertyDependencies(req.getPropertydependenciesMap()),
                read: false,
            };
            registrations.push(entry);
            track(
                answer.then((a) => {
                    entry.mockUrn = a.urn;
                    entry.id = a.id;
                    entry.outputs = (a.object?.toJavaScript() ?? {}) as Record<string, unknown>;
                }),
            );
        },
        // A StackReference is read, not registered: it becomes a resource too, marked as a read.
        readResource: (req, answer) => {
            const entry: Registration = {
                type: req.getType(),
                name: req.getName(),
                parentMockUrn: req.getParent(),
                custom: true,
                inputs: (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                protect: false,
                dependencies: req.getDependenciesList(),
                propertyDependencies: {},
                read: true,
            };
            registrations.push(entry);
            track(
                answer.then((a) => {
                    entry.mockUrn = a.urn;
                    entry.id = req.getId();
                    entry.outputs = (a.properties?.toJavaScript() ?? {}) as Record<string, unknown>;
                }),
            );
        },
        // A component's outputs are what it registers (registerOutputs), as the engine records them.
        registerResourceOutputs: (req) => {
            const outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
            if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
                rootOutputs = outputs;
            }
            componentOutputs.set(req.getUrn(), outputs);
        },
    });
    const settled = async (): Promise<void> => {
        await waitForRPCs();
        while (pending.size > 0) {
            await Promise.all([...pending]);
            await new Promise((resolve) => setImmediate(resolve));
        }
    };
    const outputsOf = (r: Registration) => (r.custom ? r.outputs : r.mockUrn ? componentOutputs.get(r.mockUrn) : undefined) ?? {};
    return { registrations, stackOutputs: () => rootOutputs, outputsOf, settled };
}

/** Engine URNs: the type part chains the parents' types, leaving out the root stack. */
function engineResources(
    stack: string,
    project: string,
    registrations: readonly Registration[],
    outputsOf: (r: Registration) => Record<string, unknown>,
    providerRef: string,
): CapturedResource[] {
    const byMockUrn = new Map<string, { urn: string; qualifiedType: string }>();
    for (const r of registrations) {
        const parent = r.parentMockUrn ? byMockUrn.get(r.parentMockUrn) : undefined;
        const isRootChild = parent?.qualifiedType === "pulumi:pulumi:Stack";
        const qualifiedType = parent && !isRootChild ? `${parent.qualifiedType}$${r.type}` : r.type;
        if (r.mockUrn) {
            byMockUrn.set(r.mockUrn, { urn: `urn:pulumi:${stack}::${project}::${qualifiedType}::${r.name}`, qualifiedType });
        }
    }
    // Dependencies are recorded as mock URNs; translate them once every URN is known.
    const translate = (urns: readonly string[]) => urns.map((u) => byMockUrn.get(u)?.urn).filter((u): u is string => u !== undefined);
    return registrations.map((r) => ({
        urn: (r.mockUrn && byMockUrn.get(r.mockUrn)?.urn) || `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
        type: r.type,
        name: r.name,
        parent: r.parentMockUrn ? byMockUrn.get(r.parentMockUrn)?.urn : undefined,
        custom: r.custom,
        registered: !r.read,
        inputs: r.inputs,
        outputs: outputsOf(r),
        id: r.id || undefined,
        protect: r.protect,
        dependencies: translate(r.dependencies),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, translate(v)])),
        provider: r.custom && r.type.startsWith("aws:") ? providerRef : undefined,
    }));
}

/** A run of the program: its evaluation, or what it threw and what it had registered by then. */
export interface StackRun {
    readonly evaluation?: Evaluation;
    readonly error?: unknown;
    /** Types of the resources registered, in order (on an error: before it was thrown). */
    readonly registeredTypes: readonly string[];
}

/**
 * Runs the Pulumi program for one stack in this process, under mocks that simulate AWS: no CLI, no
 * credentials. Returns every resource and the stack outputs as the engine would see them, or the
 * error with what had been registered before it (a bad input must leave nothing declared).
 */
export async function runStack(options: EvaluateOptions): Promise<StackRun> {
    const root = path.resolve(options.root);
    let project: string;
    let config: Record<string, string>;
    try {
        project = readProjectName(root);
        config = readStackConfig(root, options.stack, project);
    } catch (error) {
        return { error: fsInputError(error, root) ?? error, registeredTypes: [] };
    }
    const region = config["aws:region"] ?? "eu-west-3";
    const checks = new Map<string, CheckResult>();
    await pulumi.runtime.setMocks(
        simulatedMocks({
            region,
            preview: options.preview,
            asDeployed: options.asDeployed,
            stackOutputs: options.stackOutputs ?? (() => ({})),
            checked: (type, name) => checks.get(`${type}\0${name}`),
        }),
        project,
        options.stack,
        options.preview,
        ORGANIZATION,
    );
    pulumi.runtime.setAllConfig(config);
    const recorder = recordRegistrations(checks);
    // When the program throws, the SDK rejects more than the promise we await with the same error (the
    // stack resource's outputs); the CLI's language host swallows those, and so must this run.
    const strays: unknown[] = [];
    const stray = (reason: unknown) => void strays.push(reason);
    process.on("unhandledRejection", stray);
    // The SDK records a stack trace for every promise it creates and every resource it registers (debug
    // aids for the real engine); under mocks they cost more than half the run on large stacks, and nothing
    // reads them. VECTORA_DEBUG=1 keeps them.
    const traceLimit = Error.stackTraceLimit;
    if (!process.env.VECTORA_DEBUG) {
        Error.stackTraceLimit = 0;
    }
    let error: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(options.program);
    } catch (e) {
        error = e;
    }
    await recorder.settled();
    await new Promise((resolve) => setImmediate(resolve));
    Error.stackTraceLimit = traceLimit;
    process.off("unhandledRejection", stray);
    const unexpected = strays.find((reason) => reason !== error);
    if (error === undefined && unexpected !== undefined) {
        error = unexpected;
    }
    const registeredTypes = recorder.registrations.map((r) => r.type);
    if (error !== undefined) {
        return { error, registeredTypes };
    }
    const providerVersion = awsProviderVersion();
    const providerName = `default_${providerVersion.replace(/\./g, "_")}`;
    const providerUrn = `urn:pulumi:${options.stack}::${project}::pulumi:providers:aws::${providerName}`;
    const providerId = "00000000-0000-4000-8000-000000000000";
    const resources = engineResources(options.stack, project, recorder.registrations, recorder.outputsOf, `${providerUrn}::${providerId}`);
    // The engine creates the default provider itself; the SDK never registers it. Its inputs are the stack's aws:*
    // config, each value as text (pulumi/pulumi pkg/resource/deploy/target.go, GetPackageConfig), and the version.
    const awsConfig = Object.entries(config).filter(([key]) => key.startsWith("aws:"));
    // Then CheckConfig adds its defaults, as the sandbox's provider answers it.
    const providerInputs = checkProviderConfig(
        { ...Object.fromEntries(awsConfig.map(([key, value]) => [key.slice("aws:".length), value])), region, version: providerVersion },
        {},
    ).inputs;
    const provider: CapturedResource = {
        urn: providerUrn,
        type: "pulumi:providers:aws",
        name: providerName,
        custom: true,
        registered: true,
        inputs: providerInputs,
        outputs: providerInputs,
        id: providerId,
        protect: false,
        dependencies: [],
        propertyDependencies: {},
    };
    const firstAws = resources.findIndex((r) => r.type.startsWith("aws:"));
    if (firstAws >= 0) {
        resources.splice(firstAws, 0, provider);
    }
    return {
        evaluation: {
            project,
            stack: options.stack,
            organization: ORGANIZATION,
            root,
            resources,
            outputs: recorder.stackOutputs(),
            config,
        },
        registeredTypes,
    };
}

/** runStack, throwing the program's error. */
export async function evaluateStack(options: EvaluateOptions): Promise<Evaluation> {
    const run = await runStack(options);
    if (run.error !== undefined || !run.evaluation) {
        throw run.error;
    }
    return run.evaluation;
}

/** An offline evaluation as a policy run takes it: what the engine would hand the pack. */
export function evaluationToCheck(ev: Evaluation, dryRun: boolean): StackToCheck {
    return {
        project: ev.project,
        stack: ev.stack,
        organization: ev.organization,
        dryRun,
        config: ev.config,
        cwd: process.cwd(),
        resources: ev.resources,
    };
}

/** Dates AWS stamps on a write: a simulated deploy has none (it happened nowhere), so that it says nothing of a soak. */
const WRITE_DATES = ["lastModified", "createdDate", "createDate"];

function undated(outputs: unknown): Record<string, unknown> {
    const record = (outputs ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(record).filter(([k]) => !WRITE_DATES.includes(k)));
}

/**
 * The state a deploy of an evaluation would leave, as `pulumi stack export` prints it (deployment format
 * version 3): each custom resource with its outputs, assets carrying the sha256 the engine records for them.
 * The promotion gate reads such an export of the source stack; offline, this stands in for it.
 */
export function exportOfEvaluation(ev: Evaluation): Record<string, unknown> {
    const resources = ev.resources
        .filter((r) => r.registered && r.custom && !r.type.startsWith("pulumi:"))
        .map((r) => ({ urn: r.urn, custom: true, id: r.id ?? "", type: r.type, outputs: undated(toEngineWire(r.outputs, process.cwd())) }));
    return { version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: "offline" }, resources } };
}
