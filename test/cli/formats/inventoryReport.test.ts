import * as assert from "assert";
import { inventoryJunit } from "../../../cli/formats/inventoryReport";
import { inventory } from "../../../cli/inventory";
import { runIn } from "../../helpers/io";
import { junitSchemaErrors, readJunit } from "../../helpers/reportSchemas";

const LEGACY = "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-yaml-fix-dev:2";
const UNUSED = "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-dependencies:1";
const DEVS = "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-dev:4";

describe("the inventory's JUnit report", () => {
    it("has one case per legacy layer version and per incident's layer, failed when a function of the environment runs it", async () => {
        const xml = inventoryJunit(
            {
                env: "stage",
                items: [
                    { kind: "layer version", class: "legacy", id: LEGACY },
                    { kind: "layer version", class: "legacy", id: UNUSED },
                    { kind: "layer version", class: "current", id: "arn:...:vectora-inbox-vectora-core-stage:3" },
                    { kind: "object version", class: "legacy", id: "s3://vectora-inbox-lambda-code-stage/layers/vectora-core-v42.zip#v1" },
                ],
                incidents: [
                    { item: LEGACY, function: "vectora-inbox-ingest-v2-stage", kind: "legacy in use" },
                    { item: DEVS, function: "vectora-inbox-newsletter-v2-stage", kind: "cross-environment layer" },
                ],
            },
            "vectora-inbox",
        );
        assert.deepStrictEqual(await junitSchemaErrors(xml), []);
        const read = readJunit(xml);
        assert.deepStrictEqual(
            read.suites.map((s) => s.cases.map((c) => [c.name, c.failure?.split("\n")[0] ?? "passed"])),
            [
                [
                    [LEGACY, `legacy in use: vectora-inbox-ingest-v2-stage runs ${LEGACY}`],
                    [UNUSED, "passed"],
                    [DEVS, `cross-environment layer: vectora-inbox-newsletter-v2-stage runs ${DEVS}`],
                ],
            ],
        );
        assert.strictEqual(read.name, "inventory of vectora-inbox/stage (vectora-inbox 1.0.0)");
    });

    it("refuses --format sarif in one line: its findings are in the account, not in a repository file", async () => {
        const run = await runIn(inventory, "--env", "stage", "--format", "sarif");
        assert.deepStrictEqual(
            [run.code, run.err],
            [
                2,
                "error: --format sarif: expected one of text, json, junit (the inventory's findings are in the AWS account, " +
                    "not in a repository file)\n",
            ],
        );
    });
});
