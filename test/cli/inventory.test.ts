import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { cleanup } from "../../cli/cleanup";
import { inventory } from "../../cli/inventory";
import { tempDir } from "../helpers/fixtures";
import { CommandRun, Json, runIn } from "../helpers/io";
import { Moto, flakyProxy, startMoto } from "../helpers/moto";

const LAYER = "arn:aws:lambda:eu-west-3:123456789012:layer:";
const LAYER_TYPE = "vectora:lambda:VersionedLayer$aws:lambda/layerVersion:LayerVersion";

/** Runs a command with the AWS settings pointing at the emulator (the SDK reads AWS_ENDPOINT_URL itself). */
async function against(endpoint: string, main: typeof inventory, ...argv: string[]): Promise<CommandRun> {
    const saved = { ...process.env };
    Object.assign(process.env, {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: "eu-west-3",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
    });
    try {
        return await runIn(main, ...argv);
    } finally {
        for (const key of ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
            if (saved[key] === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = saved[key];
            }
        }
    }
}

/** name -> class, from `--json`. */
function classes(run: CommandRun): Record<string, string> {
    const doc: Json = JSON.parse(run.out);
    return Object.fromEntries(
        doc.items.map((i: Json) => [i.kind === "object version" ? `${i.name}#${i.id.split("#")[1]}` : i.name, i.class]),
    );
}

/** The plan's item names, sorted, object versions without their id. */
function planNames(run: CommandRun): string[] {
    return (JSON.parse(run.out).plan as Json[]).map((i) => i.name).sort();
}

/** What stage's clean-up must delete in the incident, written out by hand from test/emulator/seed.py. */
const STAGE_PLAN = [
    "lambdas/ingest-v2-1.5.0.zip", // the overwritten version
    "lambdas/newsletter-v2-1.7.0.zip",
    "layers/vectora-core-1.2.0.zip",
    "layers/vectora-core-1.2.2.zip",
    "layers/vectora-core-1.2.3.zip",
    "layers/vectora-core-1.2.4.zip",
    "layers/vectora-core-v42.zip",
    "vectora-inbox-dependencies:1",
    "vectora-inbox-dependencies:2",
    "vectora-inbox-vectora-core-stage:1",
    "vectora-inbox-vectora-core-stage:3",
    "vectora-inbox-vectora-core-stage:4",
    "vectora-inbox-vectora-core-stage:5",
];

describe("npm run inventory and npm run cleanup, against moto (a real AWS API emulator)", function () {
    // Installing moto into .build/moto the first time takes about 30 s; each server starts in about a second.
    this.timeout(600_000);
    let moto: Moto | undefined;
    afterEach(async () => {
        await moto?.stop();
        moto = undefined;
    });

    async function incident(): Promise<Moto> {
        moto = await startMoto();
        moto.seed("incident");
        return moto;
    }

    it("classifies the incident for stage, and exits 1 naming the stage function that runs a legacy layer", async () => {
        const { endpoint } = await incident();
        const run = await against(endpoint, inventory, "--env", "stage", "--json");
        assert.strictEqual(run.code, 1, run.err);
        assert.strictEqual(
            run.err,
            `error: legacy in use: vectora-inbox-ingest-v2-stage runs ${LAYER}vectora-inbox-vectora-core-approche-b-dev:9; ` +
                "deploy stage from the repository to replace it\n",
        );
        const found = classes(run);
        const layerClass = (name: string, versions: number[]) => versions.map((v) => found[`${name}:${v}`]);
        assert.deepStrictEqual(layerClass("vectora-inbox-vectora-core-stage", [1, 2, 3, 4, 5, 6, 7, 8]), [
            "stale",
            "in use",
            "stale",
            "stale",
            "stale",
            "current",
            "current",
            "current",
        ]);
        assert.strictEqual(found["vectora-inbox-common-deps-stage:1"], "in use");
        assert.deepStrictEqual(layerClass("vectora-inbox-vectora-core-dev", [1, 2]), ["other environment", "other environment"]);
        assert.deepStrictEqual(
            layerClass("vectora-inbox-vectora-core-approche-b-dev", [1, 2, 3, 4, 5, 6, 7, 8, 9]),
            Array(9).fill("legacy"),
        );
        for (const name of ["vectora-inbox-yaml-fix-dev:1", "vectora-inbox-yaml-minimal-dev:1", "vectora-inbox-dependencies:2"]) {
            assert.strictEqual(found[name], "legacy", name);
        }
        const objects = Object.entries(found).filter(([name]) => name.includes("#"));
        const objectClass = (key: string) => objects.filter(([name]) => name.startsWith(`${key}#`)).map(([, c]) => c);
        assert.deepStrictEqual(objectClass("layers/vectora-core-1.2.7.zip"), ["current"]);
        assert.deepStrictEqual(objectClass("layers/vectora-core-1.2.1.zip"), ["current"]); // what the in-use version 2 came from
        assert.deepStrictEqual(objectClass("layers/vectora-core-1.2.0.zip"), ["stale"]);
        assert.deepStrictEqual(objectClass("layers/vectora-core-v42.zip"), ["legacy"]);
        assert.deepStrictEqual(objectClass("lambdas/ingest-v2-1.5.0.zip").sort(), ["in use", "stale"]);
        assert.strictEqual(objects.length, 13, "canonical/ objects are not listed");
    });

    it("plans the clean-up deleting nothing, then --execute deletes exactly the plan, and a second run has nothing to do", async () => {
        const { endpoint } = await incident();
        const dry = await against(endpoint, cleanup, "--env", "stage", "--json");
        assert.strictEqual(dry.code, 0, dry.err);
        assert.deepStrictEqual(planNames(dry), STAGE_PLAN);
        assert.match(dry.err, /^warning: legacy in use, kept: vectora-inbox-ingest-v2-stage runs .*approche-b-dev:9$/m);
        const before = classes(await against(endpoint, inventory, "--env", "stage", "--json"));
        assert.strictEqual(Object.keys(before).length, 37, "the dry run deleted something");

        const snapshots = tempDir();
        const run = await against(endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", snapshots);
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Deleted 13 item\(s\)\.$/m);
        const [snapshot] = fs.readdirSync(snapshots);
        assert.match(snapshot, /^inventory-stage-.*\.json$/);
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(snapshots, snapshot), "utf8")).items.length, 37);

        const after = classes(await against(endpoint, inventory, "--env", "stage", "--json"));
        const gone = Object.keys(before).filter((name) => !(name in after));
        assert.strictEqual(gone.length, 13);
        for (const kept of [2, 6, 7, 8]) {
            assert.ok(`vectora-inbox-vectora-core-stage:${kept}` in after, `version ${kept} must stay`);
        }
        for (const kept of [
            "vectora-inbox-vectora-core-approche-b-dev:9",
            "vectora-inbox-yaml-fix-dev:1",
            "vectora-inbox-vectora-core-dev:1",
        ]) {
            assert.ok(kept in after, `${kept} (in use, or another environment's) must stay`);
        }
        const again = await against(endpoint, cleanup, "--env", "stage", "--json");
        assert.deepStrictEqual(planNames(again), []);
    });

    it("with --state, says which items the stack manages, and the clean-up never plans a managed one", async () => {
        const { endpoint } = await incident();
        const stack = "urn:pulumi:stage::vectora-inbox::pulumi:pulumi:Stack::vectora-inbox-stage";
        const state = {
            version: 3,
            deployment: {
                manifest: {},
                resources: [
                    { urn: stack, type: "pulumi:pulumi:Stack", outputs: {} },
                    {
                        urn: `urn:pulumi:stage::vectora-inbox::${LAYER_TYPE}::vectora-core`,
                        type: "aws:lambda/layerVersion:LayerVersion",
                        parent: stack,
                        inputs: {},
                        outputs: { arn: `${LAYER}vectora-inbox-vectora-core-stage:1` },
                    },
                ],
            },
        };
        const file = path.join(tempDir(), "stage.export.json");
        fs.writeFileSync(file, JSON.stringify(state));
        const run = await against(endpoint, inventory, "--env", "stage", "--state", file, "--json");
        const items: Json[] = JSON.parse(run.out).items;
        const managed = items.filter((i) => i.managed === true).map((i) => i.name);
        assert.deepStrictEqual(managed, ["vectora-inbox-vectora-core-stage:1"]);
        assert.ok(items.every((i) => typeof i.managed === "boolean"));
        const plan = planNames(await against(endpoint, cleanup, "--env", "stage", "--state", file, "--json"));
        assert.deepStrictEqual(
            plan,
            STAGE_PLAN.filter((name) => name !== "vectora-inbox-vectora-core-stage:1"),
        );
    });

    it("never plans a layer version any function runs, in any environment, nor another environment's items", async () => {
        const { endpoint } = await incident();
        const dev = planNames(await against(endpoint, cleanup, "--env", "dev", "--json"));
        assert.deepStrictEqual(dev, [
            "vectora-inbox-dependencies:1",
            "vectora-inbox-dependencies:2",
            ...[1, 2, 3, 4, 5, 6, 7, 8].map((v) => `vectora-inbox-vectora-core-approche-b-dev:${v}`),
            "vectora-inbox-yaml-minimal-dev:1",
        ]);
    });

    it("stops with a clear error when the emulator fails half-way, and a second run finishes the job", async () => {
        const { endpoint } = await incident();
        const proxy = await flakyProxy(endpoint, 3);
        try {
            const broken = await against(proxy.endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", tempDir());
            assert.strictEqual(broken.code, 1);
            assert.match(
                broken.err,
                /^error: clean-up stopped after 3 of 13 deletion\(s\): deleting .* failed \(.*\); nothing else was deleted\. Run the same command again to finish\.$/m,
            );
            proxy.heal();
            const rerun = await against(proxy.endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", tempDir());
            assert.strictEqual(rerun.code, 0, rerun.err);
            assert.match(rerun.out, /^Deleted 10 item\(s\)\.$/m);
            assert.deepStrictEqual(planNames(await against(endpoint, cleanup, "--env", "stage", "--json")), []);
        } finally {
            await proxy.close();
        }
    });

    it("pages through 1,100 versions of one zip (S3 pages hold 1,000) and a layer with 1,000 versions", async () => {
        moto = await startMoto();
        moto.seed("large");
        const found = classes(await against(moto.endpoint, inventory, "--env", "stage", "--json"));
        const values = Object.values(found);
        assert.strictEqual(values.length, 2100);
        assert.strictEqual(found["vectora-inbox-common-deps-stage:1000"], "current");
        assert.strictEqual(found["vectora-inbox-common-deps-stage:997"], "stale");
        assert.strictEqual(values.filter((c) => c === "current").length, 4); // three layer versions and the latest zip
    });

    it("refuses to delete in prod without --yes-prod, and a missing or unknown --env, before calling AWS", async () => {
        const prod = await runIn(cleanup, "--env", "prod", "--execute");
        assert.strictEqual(prod.code, 2);
        assert.match(prod.err, /^error: --execute --env prod deletes in prod; add --yes-prod to confirm/);
        const unknown = await runIn(inventory, "--env", "qa");
        assert.strictEqual(unknown.code, 2);
        assert.match(unknown.err, /^error: unknown environment "qa"; usage: npm run inventory -- --env <dev\|stage\|prod>/);
    });
});
