import * as assert from "assert";
import { pinClock } from "../helpers/clock";
import { notApplicable, of, policiesFor, startPack } from "../helpers/pack";
import { deployedExport, deploysOf, gateOf, recordOf, release, useOfflineExports } from "../helpers/stackExports";

const POLICY = "vectora-promotion-stage-soak";
const STAGE = "organization/vectora-inbox/stage";
/** The day of the prod deploy, pinned: stage's dates below are written relative to it. */
const TODAY = "2027-03-01T00:00:00Z";

const base = release();
/** Prod's gate over a stage whose layers and functions AWS last wrote `since` (Lambda's date format). */
function gateWithStageSince(since: string | undefined) {
    const doc = deployedExport("stage", base, { core: 1, deps: 1 }, since);
    if (since === undefined) {
        for (const r of (doc.deployment as { resources: Array<{ outputs?: Record<string, unknown> }> }).resources) {
            delete r.outputs?.lastModified;
            delete r.outputs?.createdDate;
        }
    }
    useOfflineExports({ [STAGE]: doc });
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
        it("reports each artifact stage has run for under 14 days (advisory by default), in Lambda's dates, and passes after", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gateWithStageSince("2027-02-26T00:00:00.000+0000")));
            assert.strictEqual(bad.length, 5);
            assert.strictEqual(bad[0].level, "advisory");
            assert.strictEqual(
                bad[0].message,
                "Stage soak: stage has run common-deps only since 2027-02-26T00:00:00.000Z (3.0 days); wait until it has run 14 days " +
                    "before deploying it to prod.",
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

        it("can be made mandatory with another minimum through the policy config", async () => {
            gateWithStageSince("2027-02-09T00:00:00.000+0000");
            const pack = await startPack(
                "prod",
                { VECTORA_OFFLINE_STACK_EXPORTS: process.env.VECTORA_OFFLINE_STACK_EXPORTS as string },
                TODAY,
            );
            await pack.configure({ [POLICY]: { enforcementLevel: "mandatory", minDays: 30 } });
            const bad = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base))));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /\(20\.0 days\); wait until it has run 30 days/);
        });
    });

    describe("not applicable", () => {
        it("does not apply outside prod", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(gateWithStageSince("2027-02-28T00:00:00.000+0000"))));
        });
    });
});
