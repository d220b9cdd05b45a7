import { InputError } from "../lib/errors";
import { ENVIRONMENTS, isEnv } from "../policy/contract/naming";
import { readJsonObject } from "../config/jsonFile";
import type { StackResource, StackToCheck } from "./policyRun";
import { RESOURCE_SIG, SECRET_SIG, SIG, UNKNOWN } from "./wire";
import { isRecord } from "../policy/contract/records";

export const EXPORT_FORM = "the JSON printed by `pulumi stack export --stack <env>` (deployment format version 3)";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** A stack export, read and turned into what a policy run needs. */
export interface StateExport {
    readonly project: string;
    readonly stack: string;
    readonly resources: StackResource[];
    /** Stack outputs (the root stack resource's outputs), in the wire form. */
    readonly outputs: Record<string, unknown>;
    /** When the export was taken, from its manifest. */
    readonly exportedAt?: string;
    /** Things the auditor should know: interrupted operations, resources being deleted, damaged entries. */
    readonly notes: string[];
    /** Secret values the export holds encrypted (policies cannot read them offline). */
    readonly encryptedSecrets: number;
    /** Resources the export knows only from an interrupted operation (pending_operations). */
    readonly pendingOnly: readonly string[];
}

interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    readonly qualifiedType: string;
    readonly name: string;
}

function parseUrn(urn: unknown): ParsedUrn | undefined {
    if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) {
        return undefined;
    }
    return { stack: parts[0], project: parts[1], qualifiedType: parts[2], name: parts.slice(3).join("::") };
}

/**
 * State values in the wire form a policy pack accepts: secrets exported with --show-secrets are revealed
 * (still marked secret); encrypted ones cannot be read offline and become unknown (counted);
 * resource references become their URN.
 */
function fromState(value: unknown, counters: { encrypted: number }): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => fromState(v, counters));
    }
    if (!isRecord(value)) {
        return value;
    }
    const sig = value[SIG];
    if (sig === SECRET_SIG) {
        if (typeof value.plaintext === "string") {
            let plain: unknown;
            try {
                plain = JSON.parse(value.plaintext);
            } catch {
                plain = value.plaintext;
            }
            return { [SIG]: SECRET_SIG, value: fromState(plain, counters) };
        }
        counters.encrypted++;
        // Still a secret, with a value nobody can read here: policies treat it as unknown.
        return { [SIG]: SECRET_SIG, value: UNKNOWN };
    }
    if (sig === RESOURCE_SIG) {
        return typeof value.urn === "string" ? value.urn : UNKNOWN;
    }
    if (sig === OUTPUT_VALUE_SIG) {
        return "value" in value ? fromState(value.value, counters) : UNKNOWN;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromState(v, counters)]));
}

function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Reads `pulumi stack export` output. The stack comes from the URNs (or must match `stack` when given);
 * the project must be this one. Every malformed input is one InputError naming the file.
 */
export function readStateExport(file: string, project: string, stack?: string): StateExport {
    const doc = readJsonObject(file, EXPORT_FORM);
    if (doc.version === undefined && isRecord(doc.artifacts)) {
        throw new InputError(`${file}: holds stack outputs (pulumi stack output), not a stack export; expected ${EXPORT_FORM}`);
    }
    if (doc.version !== 3) {
        throw new InputError(
            `${file}: deployment format version ${JSON.stringify(doc.version ?? null)}; expected version 3, ${EXPORT_FORM}`,
        );
    }
    const deployment = doc.deployment;
    if (!isRecord(deployment) || !Array.isArray(deployment.resources)) {
        throw new InputError(`${file}: has no deployment.resources list; expected ${EXPORT_FORM}`);
    }
    const raw = deployment.resources.filter(isRecord);
    // Counted here, reported below: an entry that is not an object cannot be checked, and must not vanish silently.
    const malformed = deployment.resources.length - raw.length;
    const pending = Array.isArray(deployment.pending_operations) ? deployment.pending_operations.filter(isRecord) : [];
    const urns = [...raw, ...pending.map((p) => p.resource).filter(isRecord)].map((r) => ({ urn: r.urn, parsed: parseUrn(r.urn) }));
    const bad = urns.find((u) => !u.parsed);
    if (bad) {
        throw new InputError(
            `${file}: resource URN ${JSON.stringify(bad.urn)} is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`,
        );
    }
    if (urns.length === 0) {
        throw new InputError(`${file}: the export holds no resources; export a stack that has been deployed`);
    }
    const stacks = [...new Set(urns.map((u) => u.parsed?.stack))];
    const projects = [...new Set(urns.map((u) => u.parsed?.project))];
    if (projects.length !== 1 || projects[0] !== project) {
        throw new InputError(`${file}: is a stack export of project ${projects.join(", ")}; expected a ${project} stack`);
    }
    if (stacks.length !== 1) {
        throw new InputError(`${file}: mixes resources of stacks ${stacks.join(", ")}; export one stack`);
    }
    const found = stacks[0] as string;
    if (stack !== undefined && stack !== found) {
        throw new InputError(`${file}: is the export of stack ${found}, not ${stack}; drop --stack or export ${stack}`);
    }
    if (!isEnv(found)) {
        throw new InputError(`${file}: unknown stack "${found}"; expected one of ${ENVIRONMENTS.join(", ")}`);
    }

    const counters = { encrypted: 0 };
    const notes: string[] = [];
    if (malformed > 0) {
        notes.push(
            `${malformed} entr${malformed > 1 ? "ies" : "y"} of deployment.resources ${malformed > 1 ? "are" : "is"} not a resource ` +
                `object and ${malformed > 1 ? "were" : "was"} left out; the export may be damaged`,
        );
    }
    const toResource = (r: Record<string, unknown>, registered: boolean): StackResource => {
        const parsed = parseUrn(r.urn) as ParsedUrn;
        const deps: Record<string, string[]> = {};
        if (isRecord(r.propertyDependencies)) {
            for (const [k, v] of Object.entries(r.propertyDependencies)) {
                deps[k] = stringList(v);
            }
        }
        return {
            urn: r.urn as string,
            type: typeof r.type === "string" ? r.type : (parsed.qualifiedType.split("$").pop() ?? ""),
            name: parsed.name,
            parent: typeof r.parent === "string" ? r.parent : undefined,
            inputs: fromState(isRecord(r.inputs) ? r.inputs : {}, counters) as Record<string, unknown>,
            outputs: fromState(isRecord(r.outputs) ? r.outputs : {}, counters) as Record<string, unknown>,
            protect: r.protect === true,
            dependencies: stringList(r.dependencies),
            propertyDependencies: deps,
            provider: typeof r.provider === "string" ? r.provider : undefined,
            registered,
        };
    };
    const deleting = raw.filter((r) => r.delete === true);
    if (deleting.length > 0) {
        notes.push(`${deleting.length} resource(s) are old copies waiting to be deleted (replaced); they were left out`);
    }
    // A read resource (a StackReference, a `get`) is external: the engine sends it to no policy.
    const resources = raw.filter((r) => r.delete !== true).map((r) => toResource(r, r.external !== true));
    const known = new Set(resources.map((r) => r.urn));
    const pendingOnly: string[] = [];
    for (const op of pending) {
        const r = op.resource as Record<string, unknown>;
        notes.push(
            `pending ${String(op.type ?? "operation")} of ${String(r.urn)}: an update was interrupted; run pulumi refresh, then pulumi up`,
        );
        if (!known.has(r.urn as string) && isRecord(r)) {
            resources.push(toResource(r, true));
            pendingOnly.push(r.urn as string);
        }
    }
    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const manifest = isRecord(deployment.manifest) ? deployment.manifest : {};
    return {
        project,
        stack: found,
        resources,
        outputs: root?.outputs ?? {},
        exportedAt: typeof manifest.time === "string" ? manifest.time : undefined,
        notes,
        encryptedSecrets: counters.encrypted,
        pendingOnly,
    };
}

/**
 * An export as a policy run takes it, the way `pulumi policy analyze --file` analyses it (pulumi/pulumi v3.276.0
 * pkg/resource/deploy/analyze_snapshot.go, AnalyzeSnapshot): every resource of the state, reads included, none
 * known only from a pending operation, as a preview sees it (dry run), with no project config for the pack.
 */
export function auditedStack(state: StateExport): StackToCheck {
    const pending = new Set(state.pendingOnly);
    return {
        project: state.project,
        stack: state.stack,
        organization: "organization",
        dryRun: true,
        config: {},
        cwd: process.cwd(),
        resources: state.resources.filter((r) => !pending.has(r.urn)).map((r) => ({ ...r, registered: true })),
    };
}

/**
 * Where `pulumi policy analyze` reports a stack policy's violation that names no resource: on the root stack
 * (analyze_snapshot.go, resolveStackPolicyViolationURN).
 */
export function attributedToStack<T extends { urn?: string }>(state: StateExport, violations: readonly T[]): T[] {
    const root = state.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    return violations.map((v) => (v.urn || !root ? v : { ...v, urn: root }));
}
