import * as assert from "assert";
import { pinClock } from "../helpers/clock";
import { notApplicable, of, policiesFor, startPack } from "../helpers/pack";
import { deployedExport, deploysOf, digestOf, gateOf, passedTags, recordOf, release, useOfflineExports } from "../helpers/stackExports";

const POLICY = "vectora-promotion-stage-soak";
const STAGE = "organization/vectora-inbox/stage";
const PROD = "organization/vectora-inbox/prod";
/** The day of the prod deploy, pinned: stage's dates below are written relative to it. */
const TODAY = "2027-03-01T00:00:00Z";

const base = release();
/** Prod's gate over a stage whose layers and functions AWS last wrote `since` (Lambda's date format). */
function gateWithStageSince(since: string | undefined, prodTags: Record<string, string> = {}) {
    const doc = deployedExport("stage", base, { core: 1, deps: 1 }, since);
    if (since === undefined) {
        for (const r of (doc.deployment as { resources: Array<{ outputs?: Record<string, unknown> }> }).resources) {
            delete r.outputs?.lastModified;
            delete r.outputs?.createdDate;
        }
    }
    useOfflineExports({ [STAGE]: doc }, { [PROD]: prodTags });
    return gateOf(STAGE, recordOf(base), deploysOf(base));
}

describe(POLICY, () => {
    let restore: () => void;
    before(() => (restore = pinClock(TODAY)));
    after(() => restore());

    describe("compliant", () => {
        it("passes when stage's own resources say it has run every version for longer than the minimum", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gateWithStageSince("2027-02-09T00:00:00.000+0000"))), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks each artifact stage has run for under 14 days (mandatory by default), in Lambda's dates, and passes after", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gateWithStageSince("2027-02-26T00:00:00.000+0000")));
            assert.strictEqual(bad.length, 5);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.strictEqual(
                bad[0].message,
                "Stage soak: stage has run common-deps only since 2027-02-26T00:00:00.000Z (3.0 days); prod waits until it has run 14 " +
                    `days; for an urgent fix, record the exception (vectora:urgent:${digestOf(base).slice(0, 24)} on prod: ` +
                    "npm run promote " +
                    "-- --to prod --urgent --reason ... --reference ...).",
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gateWithStageSince("2027-02-14T00:00:00.000+0000"))), []);
        });

        it("reports when stage's resources do not say since when they run a version", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gateWithStageSince(undefined)));
            assert.match(
                bad[0]?.message ?? "",
                /does not say since when it runs common-deps, ingest-v2, newsletter-v2, normalize-score-v2, vectora-core/,
            );
        });

        it("is waived by prod's urgent exception for exactly stage's release, and by nothing else", async () => {
            const pack = await policiesFor("prod");
            const digest = digestOf(base);
            const exception = (d: string, reason = "INC fix for the newsletter crash") => ({
                [`vectora:urgent:${d.slice(0, 24)}`]: `v1 2027-02-28T12:00:00.000Z ${d} INC-4711 ${reason}`,
            });
            const analyze = (prodTags: Record<string, string>) =>
                pack.analyze(gateWithStageSince("2027-02-26T00:00:00.000+0000", prodTags)).then((r) => of(POLICY, r).length);
            assert.strictEqual(await analyze(exception(digest)), 0);
            assert.strictEqual(await analyze(exception(digestOf(release("other")))), 5, "another release's exception");
            assert.strictEqual(await analyze(exception(digest, "soon")), 5, "a reason of one word is no exception");
            assert.strictEqual(await analyze({}), 5);
        });

        it("can be given another minimum through the policy config", async () => {
            gateWithStageSince("2027-02-09T00:00:00.000+0000");
            const pack = await startPack(
                "prod",
                { VECTORA_OFFLINE_STACK_EXPORTS: process.env.VECTORA_OFFLINE_STACK_EXPORTS as string },
                TODAY,
            );
            await pack.configure({ [POLICY]: { minDays: 30 } });
            const bad = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base))));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /\(20\.0 days\); prod waits until it has run 30 days/);
        });
    });

    describe("not applicable", () => {
        it("asks no soak of a rollback to a release prod itself ran and passed", async () => {
            const older = release("older", { "ingest-v2": "1.4.0" });
            useOfflineExports(
                { [STAGE]: deployedExport("stage", base, { core: 1, deps: 1 }, "2027-02-28T00:00:00.000+0000") },
                { [PROD]: passedTags(older, "2027-01-01T00:00:00.000Z") },
            );
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(older), deploysOf(older), "own-history"))), []);
        });

        it("does not apply outside prod", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(gateWithStageSince("2027-02-28T00:00:00.000+0000"))));
        });
    });
});
