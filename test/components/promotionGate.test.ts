import * as assert from "assert";
import { PromotionGate } from "../../components/promotionGate";
import { registrations } from "../helpers/components";

describe("PromotionGate", () => {
    it("registers stage's evidence and what prod deploys as its inputs, where the engine sends them to the pack", async () => {
        const stage = {
            artifacts: { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64) } },
            deployedAt: { "ingest-v2": "2026-11-01T00:00:00.000+0000" },
        };
        const deploys = { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64), built: true } };
        const all = await registrations(
            () => void new PromotionGate("promotion-gate", { stageStack: "organization/vectora-inbox/stage", stage, deploys }),
            "prod",
        );
        assert.deepStrictEqual(all, [
            {
                type: "vectora:promotion:PromotionGate",
                name: "promotion-gate",
                parent: undefined,
                inputs: { stageStack: "organization/vectora-inbox/stage", stage, deploys },
                protect: false,
                dependencies: [],
            },
        ]);
    });
});
