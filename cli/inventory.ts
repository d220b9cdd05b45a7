import { EXIT, Io, parseFlags, runMain } from "../lib/command";

const USAGE = "npm run inventory -- --env <dev|stage|prod> [--state FILE] [--json] [--cwd DIR]";

const FLAGS = {
    env: { type: "string" },
    state: { type: "string" },
    json: { type: "boolean", default: false },
    cwd: { type: "string" },
} as const;

/**
 * `npm run inventory`: what the AWS account really holds for one environment (every layer version, every function
 * and the layers it runs, every object version under layers/ and lambdas/ of the code bucket), classified as in
 * use, current, stale, legacy or another environment's. Exit 1 when a function of the environment runs a legacy
 * layer (the incident), 0 otherwise, 2 on bad input.
 */
export async function inventory(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    const { openAccount, renderItems, classCounts } = await import("../inventory/inventoryRun");
    const { env, clients, take } = openAccount(flags, USAGE);
    const found = await take();
    if (flags.json) {
        io.out(`${JSON.stringify({ source: clients.where, counts: classCounts(found.items), ...found }, null, 2)}\n`);
    } else {
        const counts = Object.entries(classCounts(found.items))
            .map(([c, n]) => `${n} ${c}`)
            .join(", ");
        io.out(`Inventory of ${env} in ${clients.where}: ${found.items.length} items (${counts})\n\n${renderItems(found.items)}`);
    }
    for (const hit of found.legacyInUse) {
        io.err(`error: legacy in use: ${hit.function} runs ${hit.item}; deploy ${env} from the repository to replace it\n`);
    }
    return found.legacyInUse.length > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(inventory);
}
