import * as fs from "fs";
import { Env } from "./naming";
import { isRecord } from "./records";

/**
 * Which stack each gated environment takes its artifacts from, pinned in the pack's own `policy-config.json`
 * (shipped inside the pack folder, and published with it): stage reads dev, prod reads stage. The pack reads
 * the pin from there, the program checks its config against the same file, and a `--policy-pack-config` that
 * names another stack, or weakens the gate, is refused.
 */

/** The gate policy of each gated environment, and the knob that pins the stack it reads. */
export const GATES = {
    stage: { policy: "vectora-promotion-dev-first", knob: "devStack", source: "dev" },
    prod: { policy: "vectora-promotion-stage-first", knob: "stageStack", source: "stage" },
} as const satisfies Partial<Record<Env, { policy: string; knob: string; source: Env }>>;

export type GatedEnv = keyof typeof GATES;

/** The policies that enforce promotion: a config that makes one of them less than mandatory weakens the gate. */
export const GATE_POLICIES: readonly string[] = [
    GATES.stage.policy,
    GATES.prod.policy,
    "vectora-promotion-deployed-as-staged",
    "vectora-promotion-tested",
    "vectora-promotion-stage-soak",
];

/** The name of the pack's shipped config file, inside the pack folder. */
export const PACK_CONFIG_FILE = "policy-config.json";

/** A fully qualified stack name: `<organization>/<project>/<stack>`. */
export const QUALIFIED_STACK = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The fully qualified name of `env`'s own stack, beside its pinned source (same organization and project). */
export function ownStack(env: GatedEnv, source: string): string {
    return `${source.slice(0, source.lastIndexOf("/"))}/${env}`;
}

/** True for an environment that has a promotion gate (stage and prod). */
export function isGated(env: string): env is GatedEnv {
    return env === "stage" || env === "prod";
}

/** A policy config document (`--policy-pack-config` form), or why it is not one. */
export function readPolicyConfig(file: string): Record<string, unknown> | string {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        return `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
    try {
        const doc = JSON.parse(text) as unknown;
        return isRecord(doc) ? doc : `${file}: holds no JSON object`;
    } catch {
        return `${file}: is not JSON`;
    }
}

/** The stack a config pins for a gated environment, or why it pins none. */
export function pinIn(doc: Record<string, unknown>, env: GatedEnv, file: string): string | { readonly problem: string } {
    const gate = GATES[env];
    const entry = doc[gate.policy];
    const value = isRecord(entry) ? entry[gate.knob] : undefined;
    if (typeof value !== "string" || !QUALIFIED_STACK.test(value)) {
        return {
            problem:
                `${file}: ${gate.policy}.${gate.knob} is ${value === undefined ? "missing" : JSON.stringify(value)}; expected the fully ` +
                `qualified name of the ${gate.source} stack ${env} takes its artifacts from (<organization>/vectora-inbox/${gate.source})`,
        };
    }
    return value;
}

/** The enforcement level a config gives a policy (`"all"` first, the policy's own entry over it); undefined: the default. */
export function levelIn(doc: Record<string, unknown>, policy: string): string | undefined {
    const own = doc[policy];
    const level =
        typeof own === "string" ? own : isRecord(own) && typeof own.enforcementLevel === "string" ? own.enforcementLevel : undefined;
    return (
        level ?? (typeof doc.all === "string" ? doc.all : isRecord(doc.all) ? (doc.all.enforcementLevel as string | undefined) : undefined)
    );
}

/**
 * How a config weakens the gate compared with the pack's shipped one: a gate policy set below mandatory, or a pin
 * to another stack. Empty when it does not.
 */
export function gateWeakenings(doc: Record<string, unknown>, shipped: Record<string, unknown>, file: string): string[] {
    const out: string[] = [];
    for (const policy of GATE_POLICIES) {
        const level = levelIn(doc, policy);
        if (level !== undefined && level !== "mandatory") {
            out.push(`${file} sets ${policy} to ${level}; the promotion gate is mandatory`);
        }
    }
    const minDays = (d: Record<string, unknown>) => {
        const entry = d["vectora-promotion-stage-soak"];
        return isRecord(entry) && typeof entry.minDays === "number" ? entry.minDays : undefined;
    };
    const shippedDays = minDays(shipped);
    const givenDays = minDays(doc);
    if (givenDays !== undefined && shippedDays !== undefined && givenDays < shippedDays) {
        out.push(
            `${file} shortens vectora-promotion-stage-soak.minDays to ${givenDays} (the pack's is ${shippedDays}); ` +
                `an urgent fix records its exception instead`,
        );
    }
    for (const env of Object.keys(GATES) as GatedEnv[]) {
        const gate = GATES[env];
        const entry = doc[gate.policy];
        const given = isRecord(entry) ? entry[gate.knob] : undefined;
        const pinned = pinIn(shipped, env, PACK_CONFIG_FILE);
        if (given !== undefined && given !== pinned) {
            out.push(
                `${file} pins ${gate.policy}.${gate.knob} to ${JSON.stringify(given)} but the pack pins ` +
                    `${typeof pinned === "string" ? pinned : "nothing"}; ${env} takes its artifacts from the pinned ` +
                    `${gate.source} stack only`,
            );
        }
    }
    return out;
}
