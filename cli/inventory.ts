import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { inventoryJunit } from "./formats/inventoryReport";

const USAGE =
    "npm run inventory -- --env <dev|stage|prod> [--state FILE] [--snapshot-dir DIR] [--rollback-snapshots N] [--delete-rollbacks] " +
    "[--format text|json|junit] [--output FILE] [--json] [--cwd DIR]";

/** Flags inventory and cleanup share: what the classes depend on. */
export const ACCOUNT_FLAGS = {
    env: { type: "string" },
    state: { type: "string" },
    "snapshot-dir": { type: "string" },
    "rollback-snapshots": { type: "string" },
    "delete-rollbacks": { type: "boolean", default: false },
    ...REPORT_FLAGS,
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
    const format = reportFormat(
        flags,
        ["text", "json", "junit"],
        "the inventory's findings are in the AWS account, not in a repository file",
    );
    const output = outputFile(flags.output);
    const { openAccount, renderItems, classCounts, incidentLines } = await import("../inventory/inventoryRun");
    const { env, clients, rollback, take } = openAccount(flags, USAGE);
    const found = await take();
    const counts = Object.entries(classCounts(found.items))
        .map(([c, n]) => `${n} ${c}`)
        .join(", ");
    const document = {
        formatVersion: JSON_FORMAT_VERSION,
        source: clients.where,
        regions: clients.regions,
        rollbackSnapshots: rollback.snapshots,
        counts: classCounts(found.items),
        ...found,
    };
    const text =
        format === "junit"
            ? inventoryJunit(found, "vectora-inbox")
            : format === "json"
              ? `${JSON.stringify(document, null, 2)}\n`
              : `Inventory of ${env} in ${clients.where}: ${found.items.length} items (${counts})\n\n${renderItems(found.items)}`;
    emitReport(io, text, output, `Inventory of ${env}: ${found.items.length} items, ${found.incidents.length} incident(s)`);
    io.err(incidentLines(found, "error: "));
    return found.incidents.length > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(inventory);
}
