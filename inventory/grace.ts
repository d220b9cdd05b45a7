import type { InventoryItem } from "./classify";

/**
 * The clean-up's grace period, after `cdk gc` (aws/aws-cdk packages/aws-cdk/lib/api/garbage-collection/
 * garbage-collector.ts): an item is first marked (cdk gc tags an isolated asset with the time), and deleted only
 * on a later run once it has stayed marked, and still unused, for the grace period; an item used again loses its
 * mark. Lambda layer versions cannot carry tags (TagResource takes a function, an event source mapping, a code
 * signing config or a capacity provider: https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html), so
 * the marks of layers and zips alike are one record in the environment's code bucket (inventory/awsAccount.ts).
 * Pure: the plan, the marks and the time in, the steps out.
 */

/** Default grace period, in days. */
export const DEFAULT_GRACE_DAYS = 7;
/** Longest grace period accepted, in days. */
export const MAX_GRACE_DAYS = 3650;

/** Item id -> when it was first marked for deletion (ISO time). */
export type Marks = Readonly<Record<string, string>>;

/** What a run does with one planned item. */
export interface GraceStep {
    readonly action: "mark" | "wait" | "delete";
    /** When it was first marked (now, for a new mark). */
    readonly since: string;
    /** When a later run may delete it. */
    readonly deletableFrom: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The step for each planned item: a new item is marked now; a marked one is deleted once its mark is at least
 * `graceDays` old and from an earlier run (a mark is never deleted by the run that made it, even with 0 days).
 */
export function graceSteps(plan: readonly InventoryItem[], marks: Marks, now: Date, graceDays: number): Map<string, GraceStep> {
    const steps = new Map<string, GraceStep>();
    for (const item of plan) {
        const marked = marks[item.id];
        const since = marked !== undefined && !Number.isNaN(Date.parse(marked)) ? new Date(marked) : undefined;
        if (since === undefined || since.getTime() >= now.getTime()) {
            steps.set(item.id, {
                action: "mark",
                since: now.toISOString(),
                deletableFrom: new Date(now.getTime() + graceDays * DAY_MS).toISOString(),
            });
            continue;
        }
        const from = new Date(since.getTime() + graceDays * DAY_MS);
        steps.set(item.id, {
            action: from.getTime() <= now.getTime() ? "delete" : "wait",
            since: since.toISOString(),
            deletableFrom: from.toISOString(),
        });
    }
    return steps;
}

/** The marks to keep after a run: one per planned item (its first mark, or now); items no longer planned lose theirs. */
export function nextMarks(steps: ReadonlyMap<string, GraceStep>): Record<string, string> {
    return Object.fromEntries([...steps].map(([id, step]) => [id, step.since]));
}
