import * as assert from "assert";
import { PromotionGate } from "../../components/promotionGate";
import { registrations } from "../helpers/components";

describe("PromotionGate", () => {
    it("registers what its source runs and what the stack deploys as its inputs, where the engine sends them to the pack", async () => {
        const source = {
            digest: "d".repeat(64),
            artifacts: { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64), since: "2026-11-01T00:00:00.000+0000" } },
            problems: [],
        };
        const deploys = { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64), built: true } };
        const tested = { result: "pass" as const, at: "2026-11-02T00:00:00.000Z", digest: "d".repeat(64) };
        const all = await registrations(
            () =>
                void new PromotionGate("promotion-gate", {
                    sourceStack: "organization/vectora-inbox/stage",
                    source,
                    deploys,
                    basis: "promotion",
                    tested,
                }),
            "prod",
        );
        assert.deepStrictEqual(all, [
            {
                type: "vectora:promotion:PromotionGate",
                name: "promotion-gate",
                parent: undefined,
                inputs: { sourceStack: "organization/vectora-inbox/stage", source, deploys, basis: "promotion", tested },
                protect: false,
                dependencies: [],
            },
        ]);
    });
});
