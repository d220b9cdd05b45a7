import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import type { TestResource } from "../helpers/pack";
import { bucket } from "../helpers/resources";

const POLICY = "vectora-s3-prod-backup";

const plan: TestResource = {
    type: "aws:backup/plan:Plan",
    name: "backup-plan",
    props: { name: "vectora-inbox-backup-plan-prod", id: "plan-0123" },
};

function selection(buckets: string[]): TestResource {
    return {
        type: "aws:backup/selection:Selection",
        name: "backup-selection",
        props: { name: "vectora-inbox-backup-selection-prod", planId: "plan-0123", resources: buckets.map((b) => `arn:aws:s3:::${b}`) },
        propertyDependencies: { planId: [plan] },
    };
}

const DATA = ["vectora-inbox-data-prod", "vectora-inbox-newsletters-prod"];

describe(POLICY, () => {
    describe("compliant", () => {
        it("accepts an enabled replication instead", async () => {
            const pack = await policiesFor("prod");
            const replication = (name: string): TestResource => ({
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: `${name}-replication`,
                props: { bucket: name, rules: [{ id: "all", status: "Enabled", destination: { bucket: `arn:aws:s3:::${name}-replica` } }] },
            });
            const stack = [bucket("prod", "data"), bucket("prod", "newsletters"), ...DATA.map(replication)];
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(stack)), []);
        });
    });

    describe("non-compliant", () => {
        it("advises backing up prod's data buckets, and is satisfied by an AWS Backup selection of both", async () => {
            const pack = await policiesFor("prod");
            const buckets = [bucket("prod", "data"), bucket("prod", "newsletters")];
            const bad = of(POLICY, await pack.analyzeStack(buckets));
            assert.deepStrictEqual(
                bad.map((v) => [v.level, /bucket "([^"]+)"/.exec(v.message)?.[1]]),
                [
                    ["advisory", "vectora-inbox-data-prod"],
                    ["advisory", "vectora-inbox-newsletters-prod"],
                ],
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...buckets, plan, selection(DATA)])), []);
            assert.strictEqual(of(POLICY, await pack.analyzeStack([...buckets, plan, selection(DATA.slice(0, 1))])).length, 1);
        });
    });

    describe("not applicable", () => {
        it("applies to prod only", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyzeStack([bucket("stage", "data")])));
        });
    });

    describe("unknown during preview", () => {
        it("finds the bucket through property dependencies when the selection's ARNs are unknown during preview", async () => {
            const pack = await packFor("prod");
            const buckets = [bucket("prod", "data"), bucket("prod", "newsletters")];
            const pending = {
                ...selection([]),
                props: { ...selection([]).props, resources: [UNKNOWN, UNKNOWN] },
                propertyDependencies: { planId: [plan], resources: buckets },
            };
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...buckets, plan, pending])), []);
        });
    });
});
