import { InputError } from "../lib/errors";
import type { AccountResource, AccountState } from "./account";
import { objectContentSha256 } from "../simulation/objectStore";
import { AccountClock, consoleName } from "../simulation/simulatedAws";

/** One change made by hand: a property path and its new JSON value. */
export interface HandChange {
    readonly path: readonly string[];
    readonly value: unknown;
}

/** Parses `--set a.b.c=<json>`; the value must be JSON (`"DEBUG"`, `7`, `{"k":"v"}`). */
export function parseSet(text: string): HandChange {
    const eq = text.indexOf("=");
    const key = eq > 0 ? text.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/.test(key)) {
        throw new InputError(`--set ${text}: expected <property path>=<JSON value>, for example environment.variables.LOG_LEVEL='"DEBUG"'`);
    }
    try {
        return { path: key.split("."), value: JSON.parse(text.slice(eq + 1)) as unknown };
    } catch {
        throw new InputError(`--set ${text}: the value is not JSON; quote strings, for example ${key}='"${text.slice(eq + 1)}"'`);
    }
}

/** The one resource of a stack a person means by its console name (a layer: its newest version). */
export function findByConsoleName(state: AccountState, stack: string, name: string, type?: string): AccountResource {
    const matches = Object.values(state.resources).filter(
        (r) => r.stack === stack && consoleName(r.type, r.outputs) === name && (type === undefined || r.type === type),
    );
    if (matches.length === 0) {
        const known = [
            ...new Set(
                Object.values(state.resources)
                    .filter((r) => r.stack === stack)
                    .map((r) => consoleName(r.type, r.outputs)),
            ),
        ].sort();
        throw new InputError(
            `no resource named ${name} in stack ${stack} of the simulated account; it ` +
                `holds ${known.length ? known.join(", ") : "nothing (run npm run sandbox -- up --stack " + stack + " first)"}`,
        );
    }
    const types = new Set(matches.map((r) => r.type));
    if (types.size > 1) {
        throw new InputError(
            `${name} names several resources in stack ${stack} (${[...types].sort().join(", ")}); add --type <one of them>`,
        );
    }
    // Several versions of one layer: a person changes the newest.
    return matches.sort((a, b) => Number(b.outputs.version ?? 0) - Number(a.outputs.version ?? 0))[0];
}

/** Applies changes to a resource's properties, as the console would; returns what each path held before. */
export function applyChanges(resource: AccountResource, changes: readonly HandChange[]): unknown[] {
    return changes.map(({ path, value }) => {
        let node = resource.outputs as Record<string, unknown>;
        for (const part of path.slice(0, -1)) {
            const next = node[part];
            if (next === null || typeof next !== "object" || Array.isArray(next)) {
                node[part] = {};
            }
            node = node[part] as Record<string, unknown>;
        }
        const last = path[path.length - 1];
        const before = node[last];
        node[last] = value;
        return before;
    });
}

/** The properties of an S3 object that hold its bytes: changing one by hand uploads a new version. */
const CONTENT_PROPERTIES = new Set(["source", "content", "contentBase64"]);

/**
 * After a hand change of an S3 object's content, what S3 would hold: a new version of the key with those bytes
 * (its new version id in the object's outputs). Functions and layers keep the code they were given until the
 * provider updates them; only a new read of the object sees the new bytes.
 */
export function uploadByHand(resource: AccountResource, changes: readonly HandChange[], clock: AccountClock): void {
    const uploaded = changes.filter((c) => CONTENT_PROPERTIES.has(c.path[0])).pop();
    if (resource.type !== OBJECT_TYPE || !uploaded) {
        return;
    }
    const outputs = resource.outputs;
    // The bytes uploaded replace the object's: the other ways of giving them no longer describe it.
    for (const property of CONTENT_PROPERTIES) {
        if (property !== uploaded.path[0]) {
            delete outputs[property];
        }
    }
    outputs.versionId = clock.putObject(String(outputs.bucket ?? ""), String(outputs.key ?? ""), objectContentSha256(outputs) ?? "");
}

const OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";
