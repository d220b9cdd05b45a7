import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { snapshotStamp } from "../pulumi/snapshots";

const USAGE = "npm run cleanup -- --env <dev|stage|prod> [--execute] [--yes-prod] [--state FILE] [--snapshot-dir DIR] [--json] [--cwd DIR]";

const FLAGS = {
    env: { type: "string" },
    execute: { type: "boolean", default: false },
    "yes-prod": { type: "boolean", default: false },
    state: { type: "string" },
    "snapshot-dir": { type: "string" },
    json: { type: "boolean", default: false },
    cwd: { type: "string" },
} as const;

/**
 * `npm run cleanup`: the plan (what would be deleted and why) for one environment, deleting nothing; with
 * `--execute`, writes the inventory to snapshots/, lists the account again, and deletes exactly what that fresh
 * plan holds: stale and unused legacy items of this environment (or of none), never a layer version a function
 * runs, never a zip a kept layer or a function came from, never another environment's. Prod also needs
 * `--yes-prod`. A failure stops the run at once; running it again finishes the job.
 */
export async function cleanup(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    // Checked before anything else, AWS settings included: a prod deletion is never one missing flag away.
    if (flags.execute && flags.env === "prod" && !flags["yes-prod"]) {
        throw new InputError("--execute --env prod deletes in prod; add --yes-prod to confirm (run without --execute to see the plan)");
    }
    if (flags["yes-prod"] && (!flags.execute || flags.env !== "prod")) {
        throw new InputError(`--yes-prod only confirms --execute --env prod; usage: ${USAGE}`);
    }
    const { openAccount, renderItems } = await import("../inventory/inventoryRun");
    const { cleanupPlan } = await import("../inventory/classify");
    const { deleteItem } = await import("../inventory/awsAccount");
    const { env, root, clients, take } = openAccount(flags, USAGE);
    const before = await take();
    const plan = cleanupPlan(before);
    const legacy = before.legacyInUse.map((hit) => `warning: legacy in use, kept: ${hit.function} runs ${hit.item}\n`).join("");

    if (!flags.execute) {
        if (flags.json) {
            io.out(`${JSON.stringify({ env, source: clients.where, execute: false, plan }, null, 2)}\n`);
        } else {
            io.out(`Clean-up plan for ${env} in ${clients.where}: ${plan.length} item(s) to delete, nothing deleted (dry run)\n\n`);
            io.out(renderItems(plan));
            io.out(
                plan.length > 0
                    ? `\nDelete them with: npm run cleanup -- --env ${env} --execute${env === "prod" ? " --yes-prod" : ""}\n`
                    : "",
            );
        }
        io.err(legacy);
        return EXIT.ok;
    }

    const dir = path.resolve(flags["snapshot-dir"] ?? path.join(root, "snapshots"));
    fs.mkdirSync(dir, { recursive: true });
    const snapshot = path.join(dir, `inventory-${env}-${snapshotStamp(new Date())}.json`);
    fs.writeFileSync(snapshot, `${JSON.stringify({ source: clients.where, ...before }, null, 2)}\n`);
    io.out(`Inventory of ${env} before the clean-up: ${snapshot}\n`);
    // Listed again right before deleting: what changed since the plan was printed (a deploy, a hand-made
    // change) counts, and what a function started using in between is no longer in the plan.
    const fresh = cleanupPlan(await take());
    io.out(`Deleting ${fresh.length} item(s) in ${clients.where}:\n`);
    let done = 0;
    for (const item of fresh) {
        try {
            await deleteItem(clients, item);
        } catch (e) {
            const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
            io.err(
                `error: clean-up stopped after ${done} of ${fresh.length} deletion(s): deleting ${item.kind} ${item.name} failed ` +
                    `(${reason}); nothing else was deleted. Run the same command again to finish.\n`,
            );
            return EXIT.blocked;
        }
        done++;
        io.out(`    deleted ${item.kind} ${item.name}  (${item.class}: ${item.why})\n`);
    }
    io.out(`Deleted ${done} item(s).\n`);
    io.err(legacy);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(cleanup);
}
