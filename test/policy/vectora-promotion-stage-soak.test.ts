import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor } from "../helpers/pack";
import { promotionGate } from "../helpers/resources";
import { pinClock } from "../helpers/clock";

const POLICY = "vectora-promotion-stage-soak";
const SHA = "c0".repeat(32);
/** The day of the prod deploy, pinned: stage's dates below are written relative to it. */
const TODAY = "2027-03-01T00:00:00Z";
const daysAgo = (days: number) => new Date(Date.parse(TODAY) - days * 24 * 3600 * 1000).toISOString();

function gate(deployedAt?: Record<string, string>) {
    const artifacts = { "vectora-core": { version: "1.2.3", sha256: SHA }, canonical: { version: "1.1", sha256: SHA } };
    return promotionGate(
        { artifacts, ...(deployedAt ? { deployedAt } : {}) },
        { "vectora-core": { version: "1.2.3", sha256: SHA }, canonical: { version: "1.1", sha256: SHA } },
    );
}

describe(POLICY, () => {
    let restore: () => void;
    before(() => (restore = pinClock(TODAY)));
    after(() => restore());

    describe("compliant", () => {
        it("passes when stage has run the version for longer than the minimum", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gate({ "vectora-core": "2027-02-09T00:00:00.000Z" }))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a version stage has run for less than 14 days (advisory by default), and passes after", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gate({ "vectora-core": daysAgo(3) })));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "advisory");
            assert.match(
                bad[0].message,
                /stage has run vectora-core only since 2027-02-26T00:00:00\.000Z \(3\.0 days\); wait until it has run 14 days/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gate({ "vectora-core": daysAgo(15) }))), []);
        });

        it("reads Lambda's own date format (+0000)", async () => {
            const pack = await policiesFor("prod");
            const lambdaDate = "2027-02-27T00:00:00.000+0000";
            assert.match(of(POLICY, await pack.analyze(gate({ "vectora-core": lambdaDate })))[0]?.message ?? "", /\(2\.0 days\)/);
        });

        it("reports when stage does not say since when it runs a version", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gate()));
            assert.match(bad[0]?.message ?? "", /does not say since when it runs vectora-core \(no deployedAt output\)/);
        });

        it("can be made mandatory with another minimum through the policy config", async () => {
            const pack = await packFor("prod", { now: TODAY });
            await pack.configure({ [POLICY]: { enforcementLevel: "mandatory", minDays: 30 } });
            try {
                const bad = of(POLICY, await pack.analyze(gate({ "vectora-core": daysAgo(20) })));
                assert.strictEqual(bad[0]?.level, "mandatory");
                assert.match(bad[0].message, /wait until it has run 30 days/);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply outside prod", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(gate())));
        });
    });
});
