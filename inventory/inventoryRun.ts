import { InputError } from "../lib/errors";
import { Env, isEnv } from "../policy/contract/naming";
import { TYPES } from "../policy/contract/resourceTypes";
import { awsClients, listAccount } from "./awsAccount";
import { Inventory, InventoryItem, ManagedSet, classify } from "./classify";
import { readProjectName } from "../pulumi/projectFiles";
import { projectRoot } from "../config/projectRoot";
import { readStateExport } from "../pulumi/stateExport";

/** The environment flag of inventory and cleanup, checked. */
function envFlag(value: string | undefined, usage: string): Env {
    if (!isEnv(value)) {
        throw new InputError(`${value === undefined ? "missing --env" : `unknown environment "${value}"`}; usage: ${usage}`);
    }
    return value;
}

/** What a stack export says the stack manages: its layer versions and its code-bucket keys. */
function managedFrom(file: string, root: string, env: Env): ManagedSet {
    const state = readStateExport(file, readProjectName(root), env);
    const layerVersionArns = new Set<string>();
    const objectKeys = new Set<string>();
    for (const r of state.resources) {
        if (r.type === TYPES.layerVersion && typeof r.outputs.arn === "string") {
            layerVersionArns.add(r.outputs.arn);
        }
        if ((r.type === TYPES.object || r.type === TYPES.objectV1) && typeof r.inputs.key === "string") {
            objectKeys.add(r.inputs.key);
        }
    }
    return { layerVersionArns, objectKeys };
}

/** The flags inventory and cleanup share. */
export interface AccountFlags {
    readonly env?: string;
    readonly state?: string;
    readonly cwd?: string;
}

/**
 * What inventory and cleanup both start with: the checked environment, the project root, the AWS clients, and
 * `take()`, which lists the account and classifies it (with what the stack manages, given --state).
 */
export function openAccount(flags: AccountFlags, usage: string) {
    const env = envFlag(flags.env, usage);
    const root = projectRoot(flags.cwd);
    const managed = flags.state !== undefined ? managedFrom(flags.state, root, env) : undefined;
    const clients = awsClients();
    const take = async (): Promise<Inventory> => classify(env, await listAccount(clients, env), managed);
    return { env, root, clients, take };
}

const ORDER = ["legacy", "stale", "in use", "current", "other environment"];

/** One line per item, grouped by class. */
export function renderItems(items: readonly InventoryItem[]): string {
    return [...items]
        .sort((a, b) => ORDER.indexOf(a.class) - ORDER.indexOf(b.class) || a.id.localeCompare(b.id))
        .map((item) => {
            const managed = item.managed === undefined ? "" : item.managed ? "  [managed by the stack]" : "  [not in the stack]";
            return `    ${item.class.padEnd(17)} ${item.kind.padEnd(14)} ${item.name}  (${item.why})${managed}\n`;
        })
        .join("");
}

/** Counts by class, in a fixed order. */
export function classCounts(items: readonly InventoryItem[]): Record<string, number> {
    return Object.fromEntries(ORDER.map((c) => [c, items.filter((i) => i.class === c).length]));
}
