import { EXIT, Io, parseFlags, runMain } from "../lib/command";

const USAGE =
    "npm run inventory -- --env <dev|stage|prod> [--state FILE] [--snapshot-dir DIR] [--rollback-snapshots N] [--delete-rollbacks] " +
    "[--json] [--cwd DIR]";

/** Flags inventory and cleanup share: what the classes depend on. */
export const ACCOUNT_FLAGS = {
    env: { type: "string" },
    state: { type: "string" },
    "snapshot-dir": { type: "string" },
    "rollback-snapshots": { type: "string" },
    "delete-rollbacks": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    cwd: { type: "string" },
} as const;

/**
 * `npm run inventory`: what the AWS account really holds for one environment (every layer version, every version
 * of every function and the layers it runs, in every region the stacks use, and every object version under
 * layers/ and lambdas/ of the code bucket), classified as in use, current, rollback, stale, legacy, another
 * environment's or unknown. Exit 1 when a function of the environment runs a legacy layer or another
 * environment's layer (the incident), 0 otherwise, 2 on bad input or AWS settings that do not work.
 */
export async function inventory(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, ACCOUNT_FLAGS, USAGE);
    const { openAccount, renderItems, classCounts, incidentLines } = await import("../inventory/inventoryRun");
    const { env, clients, rollback, take } = openAccount(flags, USAGE);
    const found = await take();
    if (flags.json) {
        const doc = {
            source: clients.where,
            regions: clients.regions,
            rollbackSnapshots: rollback.snapshots,
            counts: classCounts(found.items),
            ...found,
        };
        io.out(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
        const counts = Object.entries(classCounts(found.items))
            .map(([c, n]) => `${n} ${c}`)
            .join(", ");
        io.out(`Inventory of ${env} in ${clients.where}: ${found.items.length} items (${counts})\n\n${renderItems(found.items)}`);
    }
    io.err(incidentLines(found, "error: "));
    return found.incidents.length > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(inventory);
}
