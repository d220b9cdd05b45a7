import * as fs from "fs";
import * as path from "path";
import { atomicWrite, withLock } from "../lib/files";
import type { ObjectVersions } from "../simulation/objectStore";
import { AccountClock, Props, objectStoreClock } from "../simulation/simulatedAws";
import { sandboxNow } from "../simulation/clock";

/** One resource as the simulated account holds it. */
export interface AccountResource {
    readonly type: string;
    readonly id: string;
    /** The stack that created it (from its URN); AWS itself does not know, the tamper command asks. */
    readonly stack: string;
    outputs: Props;
}

/** The simulated account's file: what exists, and the counters AWS keeps (layer versions, object writes). */
export interface AccountState {
    readonly format: 1;
    /** Highest version number published per layer name (AWS never reuses one, even after a delete). */
    readonly layers: Record<string, number>;
    /** Writes per `bucket/key`, from which each write's version id follows. */
    readonly objects: Record<string, number>;
    /** Every version S3 holds of every object, with the sha256 of its bytes. */
    readonly objectVersions: ObjectVersions;
    /** By `<type> <id>`. */
    readonly resources: Record<string, AccountResource>;
}

const LOCK_WAIT_MS = 10_000;
const STALE_LOCK_MS = 30_000;

function emptyState(): AccountState {
    return { format: 1, layers: {}, objects: {}, objectVersions: {}, resources: {} };
}

/**
 * Where the account keeps a resource: its type and id, and for an S3 object its bucket too (an object's
 * id is its key, and dev and stage hold the same keys in their own buckets).
 */
export function resourceKey(type: string, id: string, props: Props = {}): string {
    return type === OBJECT_TYPE ? `${type} ${String(props.bucket ?? "")}/${id}` : `${type} ${id}`;
}

const OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";

/**
 * The sandbox's AWS account, persisted in one JSON file so that it outlives each `pulumi` run, as a real
 * account does, and can be changed behind Pulumi's back (`npm run sandbox:tamper`). Every change is one
 * transaction under a lock file: the engine calls the provider concurrently, and two sandbox commands may
 * share the account.
 */
export class SimulatedAccount {
    constructor(public readonly file: string) {}

    /** Reads the account without changing it. */
    read(): AccountState {
        try {
            const state = JSON.parse(fs.readFileSync(this.file, "utf8")) as AccountState;
            // An account file written before objects kept their bytes' hashes has none.
            return { ...state, objectVersions: state.objectVersions ?? {} };
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") {
                return emptyState();
            }
            throw new Error(
                `${this.file}: the simulated account is unreadable (${(e as Error).message}); delete it to start from an empty account`,
                { cause: e },
            );
        }
    }

    /** Runs `change` on the current state and saves what it leaves, holding the lock throughout. */
    transact<T>(change: (state: AccountState, clock: AccountClock) => T): T {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const locking = {
            staleMs: STALE_LOCK_MS,
            waitMs: LOCK_WAIT_MS,
            pollMs: 20,
            timedOut: (lock: string) =>
                new Error(`${lock}: the simulated account stayed locked for ${LOCK_WAIT_MS / 1000} s; is another sandbox command stuck?`),
        };
        return withLock(`${this.file}.lock`, locking, () => {
            const state = this.read();
            const clock: AccountClock = {
                nextLayerVersion: (name) => (state.layers[name] = (state.layers[name] ?? 0) + 1),
                ...objectStoreClock(state.objects, state.objectVersions),
                now: sandboxNow,
            };
            const result = change(state, clock);
            atomicWrite(this.file, `${JSON.stringify(state, null, 1)}\n`);
            return result;
        });
    }
}
