import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import { bucket, fn } from "../helpers/resources";

const POLICY = "vectora-s3-prod-no-force-destroy";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes prod's protected buckets without forceDestroy, or with it false", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "data", {}, true))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "newsletters", { forceDestroy: false }, true))), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks forceDestroy: true on prod's data bucket (mandatory), protected or not, and passes it once removed", async () => {
            const pack = await policiesFor("prod");
            for (const protect of [true, false]) {
                const bad = of(POLICY, await pack.analyze(bucket("prod", "data", { forceDestroy: true }, protect)));
                assert.strictEqual(bad.length, 1);
                assert.strictEqual(bad[0].level, "mandatory");
                assert.match(
                    bad[0].message,
                    /^bucket vectora-inbox-data-prod is one of prod's protected buckets but has forceDestroy: true, .*; set forceDestroy: false/,
                );
            }
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "data", {}, true))), []);
        });

        it("blocks forceDestroy on any bucket prod declares protected", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(bucket("prod", "access-logs", { forceDestroy: true }, true)));
            assert.match(bad[0]?.message ?? "", /^bucket vectora-inbox-access-logs-prod is one of prod's protected buckets/);
        });
    });

    describe("not applicable", () => {
        it("does not apply outside prod, to prod buckets that are neither data nor protected, or to other types", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyze(bucket("stage", "data", { forceDestroy: true }))));
            assert.ok(
                notApplicable(POLICY, await (await policiesFor("prod")).analyze(bucket("prod", "lambda-code", { forceDestroy: true }))),
            );
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyze(fn("prod"))));
        });
    });
});
