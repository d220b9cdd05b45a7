import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { inventoryJunit } from "./formats/inventoryReport";

const USAGE = "npm run inventory -- --env <dev|stage|prod> [--state FILE] [--format text|json|junit] [--output FILE] [--json] [--cwd DIR]";

const FLAGS = {
    env: { type: "string" },
    state: { type: "string" },
    ...REPORT_FLAGS,
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
    const format = reportFormat(
        flags,
        ["text", "json", "junit"],
        "the inventory's findings are in the AWS account, not in a repository file",
    );
    const output = outputFile(flags.output);
    const { openAccount, renderItems, classCounts } = await import("../inventory/inventoryRun");
    const { env, clients, take } = openAccount(flags, USAGE);
    const found = await take();
    const counts = Object.entries(classCounts(found.items))
        .map(([c, n]) => `${n} ${c}`)
        .join(", ");
    const document = { formatVersion: JSON_FORMAT_VERSION, source: clients.where, counts: classCounts(found.items), ...found };
    const text =
        format === "junit"
            ? inventoryJunit(found, "vectora-inbox")
            : format === "json"
              ? `${JSON.stringify(document, null, 2)}\n`
              : `Inventory of ${env} in ${clients.where}: ${found.items.length} items (${counts})\n\n${renderItems(found.items)}`;
    emitReport(io, text, output, `Inventory of ${env}: ${found.items.length} items, ${found.legacyInUse.length} legacy layer(s) in use`);
    for (const hit of found.legacyInUse) {
        io.err(`error: legacy in use: ${hit.function} runs ${hit.item}; deploy ${env} from the repository to replace it\n`);
    }
    return found.legacyInUse.length > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(inventory);
}
