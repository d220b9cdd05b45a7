import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { ENVIRONMENTS, Env, isEnv } from "../policy/contract/naming";
import { TYPES } from "../policy/contract/resourceTypes";
import { isRecord } from "../policy/contract/records";
import { AwsClients, awsClients, listAccount, withLayerContents, withObjectHashes } from "./awsAccount";
import { Inventory, InventoryItem, ManagedSet, Protections, RollbackSet, classify, hashCandidates, keptLayerVersions } from "./classify";
import { readProjectName, readStackConfig } from "../pulumi/projectFiles";
import { REGION, stackConfigFile } from "../config/stackConfig";
import { projectRoot } from "../config/projectRoot";
import { readStateExport } from "../pulumi/stateExport";

/** How many deploy snapshots the rollback buffer reads by default, and at most. */
export const DEFAULT_ROLLBACK_SNAPSHOTS = 3;
const MAX_ROLLBACK_SNAPSHOTS = 100;

/** The environment flag of inventory and cleanup, checked. */
function envFlag(value: string | undefined, usage: string): Env {
    if (!isEnv(value)) {
        throw new InputError(`${value === undefined ? "missing --env" : `unknown environment "${value}"`}; usage: ${usage}`);
    }
    return value;
}

/** A whole number of a flag within bounds, or one InputError naming the flag. */
export function countFlag(flag: string, value: string | undefined, fallback: number, max: number): number {
    if (value === undefined) {
        return fallback;
    }
    if (!/^[0-9]+$/.test(value) || Number(value) > max) {
        throw new InputError(`${flag} ${JSON.stringify(value)}: expected a whole number from 0 to ${max}`);
    }
    return Number(value);
}

/** What a stack export says the stack manages: its layer versions and its code-bucket keys. */
function managedFrom(file: string, project: string, env: Env): ManagedSet {
    const state = readStateExport(file, project, env);
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

/** The string values of a few properties of a resource, inputs and outputs alike. */
function strings(r: { inputs: Record<string, unknown>; outputs: Record<string, unknown> }, ...keys: string[]): string[] {
    return keys.flatMap((k) => [r.inputs[k], r.outputs[k]]).filter((v): v is string => typeof v === "string" && v !== "");
}

/**
 * The rollback buffer: what the newest `count` deploy snapshots of the environment (`<env>-<time>.export.json`,
 * written by `npm run promote` and `npm run snapshot` before each deploy) reference: layer versions, the object
 * versions layers and functions were published from, and the bytes they held. None of it is ever deleted.
 */
export function rollbackFrom(dir: string, project: string, env: Env, count: number): RollbackSet {
    const pattern = new RegExp(`^${env}-.+\\.export\\.json$`);
    let names: string[] = [];
    if (count > 0 && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
        names = fs
            .readdirSync(dir)
            .filter((n) => pattern.test(n))
            .sort()
            .reverse()
            .slice(0, count);
    }
    const layerVersionArns = new Map<string, string>();
    const objectVersions = new Map<string, string>();
    const sha256s = new Map<string, string>();
    const sizes = new Set<number>();
    for (const name of names) {
        const state = readStateExport(path.join(dir, name), project, env);
        for (const r of state.resources) {
            if (r.type === TYPES.layerVersion || r.type === TYPES.function) {
                strings(r, "arn")
                    .filter(() => r.type === TYPES.layerVersion)
                    .forEach((arn) => layerVersionArns.set(arn, name));
                for (const layers of [r.inputs.layers, r.outputs.layers]) {
                    (Array.isArray(layers) ? layers : [])
                        .filter((l): l is string => typeof l === "string")
                        .forEach((arn) => layerVersionArns.set(arn, name));
                }
                strings(r, "sourceCodeHash", "codeSha256").forEach((sha) => sha256s.set(sha, name));
                const [key] = strings(r, "s3Key");
                const [version] = strings(r, "s3ObjectVersion");
                if (key && version) {
                    objectVersions.set(`${key}#${version}`, name);
                }
                for (const size of [r.outputs.sourceCodeSize, r.outputs.codeSize]) {
                    if (typeof size === "number") {
                        sizes.add(size);
                    }
                }
            }
            if ((r.type === TYPES.object || r.type === TYPES.objectV1) && isRecord(r.outputs)) {
                const [key] = strings(r, "key");
                const [version] = strings(r, "versionId");
                if (key && version) {
                    objectVersions.set(`${key}#${version}`, name);
                }
            }
        }
    }
    return { snapshots: names, layerVersionArns, objectVersions, sha256s, sizes };
}

/** A region as AWS names them, from AWS_REGION or a stack file, or one InputError saying what to set. */
function checkedRegion(value: string, where: string): string {
    if (!REGION.test(value)) {
        throw new InputError(`${where} is "${value}", which is not an AWS region; expected a region such as eu-west-3`);
    }
    return value;
}

/** The regions the stacks use (aws:region of each Pulumi.<stack>.yaml), AWS_REGION's first; the environment's own. */
function stackRegions(root: string, project: string, env: Env): { region: string; regions: string[] } {
    const fromEnv = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    const regions: string[] = fromEnv ? [checkedRegion(fromEnv, process.env.AWS_REGION ? "AWS_REGION" : "AWS_DEFAULT_REGION")] : [];
    let own: string | undefined;
    for (const stack of ENVIRONMENTS) {
        if (!fs.existsSync(path.join(root, stackConfigFile(stack)))) {
            continue;
        }
        const value = readStackConfig(root, stack, project)["aws:region"];
        if (value !== undefined) {
            regions.push(checkedRegion(value, `${stackConfigFile(stack)}: aws:region`));
            own = stack === env ? value : own;
        }
    }
    const region = own ?? regions[0];
    if (region === undefined) {
        throw new InputError(
            `no region: ${stackConfigFile(env)} has no aws:region and AWS_REGION is not set; set AWS_REGION, e.g. AWS_REGION=eu-west-3`,
        );
    }
    return { region, regions: [...new Set(regions)] };
}

/** The flags inventory and cleanup share. */
export interface AccountFlags {
    /** `--env`: dev, stage or prod. */
    readonly env?: string;
    /** `--state`: a `pulumi stack export` of the environment's stack (what it manages is never planned). */
    readonly state?: string;
    /** `--cwd`: the project folder. */
    readonly cwd?: string;
    /** `--snapshot-dir`: where the deploy snapshots are read (and the clean-up writes its inventory). */
    readonly "snapshot-dir"?: string;
    /** `--rollback-snapshots`: how many of the newest deploy snapshots the rollback buffer reads. */
    readonly "rollback-snapshots"?: string;
    /** `--delete-rollbacks`: plan the versions kept only as another team's rollback too. */
    readonly "delete-rollbacks"?: boolean;
}

/** An account opened for one environment: the checked inputs, the clients, and `take()`, which lists and classifies. */
export interface OpenAccount {
    readonly env: Env;
    readonly root: string;
    readonly clients: AwsClients;
    readonly snapshotDir: string;
    readonly rollback: RollbackSet;
    readonly take: () => Promise<Inventory>;
}

/**
 * What inventory and cleanup both start with, every input checked before the first AWS call: the environment,
 * the project root, the stack's managed set (--state), the rollback buffer (the last deploy snapshots), the regions
 * and the AWS clients. `take()` lists the account, reads what Lambda recorded of the kept layers' bytes and the
 * bytes of the zips that could match, and classifies.
 */
export function openAccount(flags: AccountFlags, usage: string): OpenAccount {
    const env = envFlag(flags.env, usage);
    const root = projectRoot(flags.cwd);
    const project = readProjectName(root);
    const managed = flags.state !== undefined ? managedFrom(flags.state, project, env) : undefined;
    const count = countFlag("--rollback-snapshots", flags["rollback-snapshots"], DEFAULT_ROLLBACK_SNAPSHOTS, MAX_ROLLBACK_SNAPSHOTS);
    const snapshotDir = path.resolve(flags["snapshot-dir"] ?? path.join(root, "snapshots"));
    if (fs.existsSync(snapshotDir) && !fs.statSync(snapshotDir).isDirectory()) {
        throw new InputError(`--snapshot-dir ${snapshotDir}: is a file, not a folder; expected the folder of the deploy snapshots`);
    }
    const rollback = rollbackFrom(snapshotDir, project, env, count);
    const protections: Protections = { managed, rollback, deleteTeamRollbacks: flags["delete-rollbacks"] === true };
    const { region, regions } = stackRegions(root, project, env);
    const clients = awsClients(region, regions);
    const take = async (): Promise<Inventory> => {
        const listing = await listAccount(clients, env);
        const withLayers = await withLayerContents(clients, listing, keptLayerVersions(env, listing, protections));
        return classify(env, await withObjectHashes(clients, withLayers, hashCandidates(env, withLayers, protections)), protections);
    };
    return { env, root, clients, snapshotDir, rollback, take };
}

const ORDER = ["legacy", "stale", "in use", "current", "rollback", "other environment", "unknown, not ours"];

/** One line per item, grouped by class; `extra` adds a word per item (the clean-up's grace step). */
export function renderItems(items: readonly InventoryItem[], extra: (item: InventoryItem) => string = () => ""): string {
    return [...items]
        .sort((a, b) => ORDER.indexOf(a.class) - ORDER.indexOf(b.class) || a.id.localeCompare(b.id))
        .map((item) => {
            const managed = item.managed === undefined ? "" : item.managed ? "  [managed by the stack]" : "  [not in the stack]";
            const name = item.object ? `${item.name}#${item.object.versionId}` : item.name;
            return `    ${item.class.padEnd(18)} ${item.kind.padEnd(14)} ${name}  (${item.why})${managed}${extra(item)}\n`;
        })
        .join("");
}

/** Counts by class, in a fixed order. */
export function classCounts(items: readonly InventoryItem[]): Record<string, number> {
    return Object.fromEntries(ORDER.map((c) => [c, items.filter((i) => i.class === c).length]));
}

/** The incident lines: a function of the environment on a legacy layer or another environment's layer. */
export function incidentLines(found: Inventory, prefix: string): string {
    return found.incidents
        .map((hit) =>
            hit.kind === "legacy in use"
                ? `${prefix}legacy in use: ${hit.function} runs ${hit.item}; deploy ${found.env} from the repository to replace it\n`
                : `${prefix}cross-environment layer: ${hit.function} (${found.env}) runs ${hit.item}, a layer of ${hit.layerEnv}; ` +
                  `deploy ${found.env} from the repository to replace it\n`,
        )
        .join("");
}
