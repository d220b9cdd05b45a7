import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor } from "../helpers/pack";
import type { TestResource } from "../helpers/pack";
import { bucket } from "../helpers/resources";

const POLICY = "vectora-aws-allowed-accounts";

/** The engine's default AWS provider with the inputs it takes from the stack's aws:* config (as text, before Check). */
function provider(inputs: Record<string, unknown>): TestResource {
    return { type: "pulumi:providers:aws", name: "default_7_48_0", props: { region: "eu-west-3", version: "7.48.0", ...inputs } };
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a provider pinned to an account, as config text or as a list", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(provider({ allowedAccountIds: '["123456789012"]' }))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(provider({ allowedAccountIds: ["123456789012", "210987654321"] }))), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks a provider that is not pinned (mandatory), and passes it once allowedAccountIds is set", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(provider({})));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /^AWS provider default_7_48_0 is not pinned to an account \(allowedAccountIds is not set\); set aws:allowedAccountIds: \["<12-digit account id>"\]/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(provider({ allowedAccountIds: '["123456789012"]' }))), []);
        });

        it("blocks an empty list, an id that is not 12 digits, and an unquoted id that lost its leading zero", async () => {
            const pack = await policiesFor("stage");
            for (const value of ["[]", '["12345"]', "[12345678901]", "not json", ""]) {
                assert.strictEqual(of(POLICY, await pack.analyze(provider({ allowedAccountIds: value }))).length, 1, value);
            }
        });

        it("with the environments' accounts configured, blocks prod pinned to dev's account", async () => {
            const pack = await packFor("prod");
            try {
                await pack.configure({ [POLICY]: { accounts: { dev: ["111111111111"], prod: ["222222222222"] } } });
                const bad = of(POLICY, await pack.analyze(provider({ allowedAccountIds: '["111111111111"]' })));
                assert.match(bad[0]?.message ?? "", /allows account 111111111111, which is not one of prod's accounts \(222222222222\)/);
                assert.deepStrictEqual(of(POLICY, await pack.analyze(provider({ allowedAccountIds: '["222222222222"]' }))), []);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to resources that are not AWS providers", async () => {
            const pack = await policiesFor("prod");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("prod"))));
            assert.ok(notApplicable(POLICY, await pack.analyze({ type: "pulumi:providers:random", name: "r", props: {} })));
        });
    });
});
