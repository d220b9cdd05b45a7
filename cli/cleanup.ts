import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { ensureOutputDir } from "../lib/files";
import { EXIT, ExitError, Io, parseFlags, runMain } from "../lib/command";
import { environmentNames } from "../policy/contract/naming";
import type { Inventory } from "../inventory/classify";
import type { Marks } from "../inventory/grace";
import { snapshotStamp } from "../pulumi/snapshots";
import { ACCOUNT_FLAGS } from "./inventory";

const USAGE =
    "npm run cleanup -- --env <dev|stage|prod> [--execute] [--yes-prod] [--grace-days N] [--state FILE] [--snapshot-dir DIR] " +
    "[--rollback-snapshots N] [--delete-rollbacks] [--json] [--cwd DIR]";

const FLAGS = {
    ...ACCOUNT_FLAGS,
    execute: { type: "boolean", default: false },
    "yes-prod": { type: "boolean", default: false },
    "grace-days": { type: "string" },
} as const;

/**
 * `npm run cleanup`: the plan (what would be deleted, why, and where each item stands in the grace period) for
 * one environment, changing nothing; with `--execute`, writes the inventory to the snapshot folder, lists the
 * account again, marks what that fresh plan holds and deletes only what an earlier run marked at least
 * `--grace-days` ago (7 by default): stale and unused legacy items of this environment (or of none), never a
 * layer version any function version runs, never the versions another team may roll back to, never what the
 * last deploy snapshots reference, never a zip whose bytes a kept layer or function holds, never another
 * environment's item or a name that is not ours. Prod also needs `--yes-prod`. A failure stops the run at once;
 * running it again finishes the job. `--json` prints one JSON document, with or without `--execute`.
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
    const { openAccount, renderItems, incidentLines, countFlag } = await import("../inventory/inventoryRun");
    const { cleanupPlan } = await import("../inventory/classify");
    const { deleteItem, readMarks, writeMarks, MARKS_KEY } = await import("../inventory/awsAccount");
    const { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS, graceSteps, nextMarks } = await import("../inventory/grace");
    const graceDays = countFlag("--grace-days", flags["grace-days"], DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS);
    const { env, clients, snapshotDir, take } = openAccount(flags, USAGE);
    if (flags.execute) {
        ensureOutputDir(snapshotDir, "--snapshot-dir");
    }
    const now = new Date();
    const describe = (step: { action: string; since: string; deletableFrom: string } | undefined): string =>
        !step
            ? ""
            : step.action === "mark"
              ? `  [${flags.execute ? "marked now" : "would be marked now"}; deletable from ${step.deletableFrom}]`
              : step.action === "wait"
                ? `  [marked ${step.since}; deletable from ${step.deletableFrom}]`
                : `  [marked ${step.since}; ${flags.execute ? "deleted now" : "would be deleted now"}]`;

    const before = await take();
    const marksAt = `s3://${environmentNames(env).buckets["lambda-code"]}/${MARKS_KEY}`;
    /** The marks of the last run: none when nothing is planned, or when the bucket that keeps them does not exist. */
    const marksOf = (found: Inventory, planned: number): Promise<Marks> =>
        found.bucket !== undefined && planned > 0 ? readMarks(clients, found.bucket) : Promise.resolve({});
    if (!flags.execute) {
        const plan = cleanupPlan(before);
        const steps = graceSteps(plan, await marksOf(before, plan.length), now, graceDays);
        if (flags.json) {
            const doc = {
                env,
                source: clients.where,
                execute: false,
                graceDays,
                marks: marksAt,
                plan: plan.map((i) => ({ ...i, grace: steps.get(i.id) })),
                incidents: before.incidents,
            };
            io.out(`${JSON.stringify(doc, null, 2)}\n`);
        } else {
            io.out(`Clean-up plan for ${env} in ${clients.where}: ${plan.length} item(s) planned, nothing changed (dry run)\n\n`);
            io.out(renderItems(plan, (item) => describe(steps.get(item.id))));
            io.out(
                plan.length > 0
                    ? `\nA run with --execute marks new items and deletes those marked at least ${graceDays} day(s) before ` +
                          `(--grace-days): ` +
                          `npm run cleanup -- --env ${env} --execute${env === "prod" ? " --yes-prod" : ""}\n`
                    : "",
            );
        }
        io.err(incidentLines(before, "warning: kept: "));
        return EXIT.ok;
    }

    const snapshot = path.join(snapshotDir, `inventory-${env}-${snapshotStamp(now)}.json`);
    fs.writeFileSync(snapshot, `${JSON.stringify({ source: clients.where, ...before }, null, 2)}\n`);
    // Listed again right before marking and deleting: what changed since the plan was printed (a deploy, a hand-made
    // change) counts, and what a function started using in between is no longer in the plan (and loses its mark).
    const fresh = await take();
    const plan = cleanupPlan(fresh);
    if (plan.length > 0 && fresh.bucket === undefined) {
        throw new ExitError(
            `${plan.length} item(s) are planned, but the grace period's marks are kept in ${marksAt} and that bucket does not exist; ` +
                `deploy ${env} first (nothing was deleted)`,
            EXIT.blocked,
        );
    }
    const bucket = fresh.bucket as string;
    // Read whenever the bucket exists: an item used again since it was marked must lose its mark (written below).
    const marks = fresh.bucket !== undefined ? await readMarks(clients, fresh.bucket) : {};
    const steps = graceSteps(plan, marks, now, graceDays);
    const stepOf = (action: string) => plan.filter((i) => steps.get(i.id)?.action === action);
    const [marked, waiting, due] = [stepOf("mark"), stepOf("wait"), stepOf("delete")];
    const report = {
        env,
        source: clients.where,
        execute: true,
        graceDays,
        snapshot,
        marks: marksAt,
        marked: marked.map((i) => ({ ...i, grace: steps.get(i.id) })),
        waiting: waiting.map((i) => ({ ...i, grace: steps.get(i.id) })),
        deleted: [] as object[],
        incidents: fresh.incidents,
    };
    const text = (line: string) => (flags.json ? undefined : io.out(line));
    text(`Inventory of ${env} before the clean-up: ${snapshot}\n`);
    // The marks are written before anything is deleted: a run stopped half-way keeps them, and the next one finishes.
    if (plan.length > 0 || Object.keys(marks).length > 0) {
        await writeMarks(clients, bucket, env, nextMarks(steps));
    }
    text(
        `Marked ${marked.length} new item(s) in ${marksAt} (deletable after ${graceDays} day(s)); ${waiting.length} waiting for their ` +
            `grace period; deleting ${due.length} item(s) in ${clients.where}:\n`,
    );
    text(renderItems([...marked, ...waiting], (item) => describe(steps.get(item.id))));
    const remaining = new Map(steps);
    let done = 0;
    for (const item of due) {
        try {
            await deleteItem(clients, item);
        } catch (e) {
            const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
            if (flags.json) {
                io.out(`${JSON.stringify({ ...report, failed: { item, reason } }, null, 2)}\n`);
            }
            io.err(
                `error: clean-up stopped after ${done} of ${due.length} deletion(s): deleting ${item.kind} ${item.name} failed ` +
                    `(${reason}); nothing else was deleted. Run the same command again to finish.\n`,
            );
            return EXIT.blocked;
        }
        done++;
        remaining.delete(item.id);
        report.deleted.push({ ...item, grace: steps.get(item.id) });
        text(`    deleted ${item.kind} ${item.name}  (${item.class}: ${item.why})\n`);
    }
    if (done > 0) {
        await writeMarks(clients, bucket, env, nextMarks(remaining));
    }
    text(`Deleted ${done} item(s).\n`);
    if (flags.json) {
        io.out(`${JSON.stringify(report, null, 2)}\n`);
    }
    io.err(incidentLines(fresh, "warning: kept: "));
    return EXIT.ok;
}

if (require.main === module) {
    runMain(cleanup);
}
