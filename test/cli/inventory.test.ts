import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { LambdaClient, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { cleanup } from "../../cli/cleanup";
import { inventory } from "../../cli/inventory";
import { copyProject, edit, tempDir } from "../helpers/fixtures";
import { CommandRun, Json, runIn, withEnv } from "../helpers/io";
import { Moto, flakyProxy, startMoto } from "../helpers/moto";

const LAYER = "arn:aws:lambda:eu-west-3:123456789012:layer:";
const LAYER_TYPE = "vectora:lambda:VersionedLayer$aws:lambda/layerVersion:LayerVersion";
const AWS_VARIABLES = [
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
];
const TEST_CREDENTIALS = { AWS_REGION: "eu-west-3", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

/** Runs a command with these AWS settings (the SDK reads AWS_ENDPOINT_URL itself), the others unset. */
async function withAws(settings: Record<string, string>, main: typeof inventory, ...argv: string[]): Promise<CommandRun> {
    const unset = Object.fromEntries(AWS_VARIABLES.map((k) => [k, undefined]));
    return withEnv({ ...unset, ...settings }, () => runIn(main, ...argv));
}

/** Runs a command against the emulator with test credentials. */
function against(endpoint: string, main: typeof inventory, ...argv: string[]): Promise<CommandRun> {
    return withAws({ ...TEST_CREDENTIALS, AWS_ENDPOINT_URL: endpoint }, main, ...argv);
}

/** name -> class, from `--json` (object versions as `key#versionId`). */
function classes(run: CommandRun): Record<string, string> {
    assert.doesNotThrow(() => JSON.parse(run.out), run.err || run.out.slice(0, 300));
    const doc: Json = JSON.parse(run.out);
    return Object.fromEntries(
        doc.items.map((i: Json) => [i.kind === "object version" ? `${i.name}#${i.id.split("#")[1]}` : i.name, i.class]),
    );
}

/** The classes of every version of one key, sorted. */
function objectClasses(found: Record<string, string>, key: string): string[] {
    return Object.entries(found)
        .filter(([name]) => name.startsWith(`${key}#`))
        .map(([, c]) => c)
        .sort();
}

/** The item names of a list of the clean-up's JSON (`plan`, `marked`, `deleted`...), sorted. */
function names(run: CommandRun, list = "plan"): string[] {
    const doc: Json = JSON.parse(run.out);
    return (doc[list] as Json[]).map((i) => i.name).sort();
}

/**
 * What stage's clean-up plans in the incident, written out by hand from test/emulator/seed.py: the stage layer's
 * versions 1, 3, 4 and 5 (2 runs behind the alias live, 6-8 are the newest), the zips whose bytes nothing kept
 * holds (the version of layers/vectora-core-1.2.7.zip that overwrote what version 8 came from, the first upload
 * of lambdas/ingest-v2-1.5.0.zip), and the legacy key. No legacy layer: dependencies:1 is billing-report's
 * rollback, :2 it runs, and the dev names are dev's.
 */
const STAGE_PLAN = [
    "lambdas/ingest-v2-1.5.0.zip",
    "lambdas/newsletter-v2-1.7.0.zip",
    "layers/vectora-core-1.2.0.zip",
    "layers/vectora-core-1.2.2.zip",
    "layers/vectora-core-1.2.3.zip",
    "layers/vectora-core-1.2.4.zip",
    "layers/vectora-core-1.2.7.zip",
    "layers/vectora-core-v42.zip",
    "vectora-inbox-vectora-core-stage:1",
    "vectora-inbox-vectora-core-stage:3",
    "vectora-inbox-vectora-core-stage:4",
    "vectora-inbox-vectora-core-stage:5",
];

/** Items the seeded account holds for stage's inventory (eu-west-3): 25 layer versions, 15 zip versions. */
const STAGE_ITEMS = 40;

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

    it("classifies the incident for stage: the alias's layer in use, look-alikes not ours, and exits 1 naming both incidents", async () => {
        const { endpoint } = await incident();
        const run = await against(endpoint, inventory, "--env", "stage", "--json");
        assert.strictEqual(run.code, 1, run.err);
        assert.strictEqual(
            run.err,
            `error: legacy in use: vectora-inbox-ingest-v2-stage runs ${LAYER}vectora-inbox-vectora-core-approche-b-dev:9; ` +
                "deploy stage from the repository to replace it\n" +
                "error: cross-environment layer: vectora-inbox-newsletter-v2-stage (stage) runs " +
                `${LAYER}vectora-inbox-vectora-core-dev:2, ` +
                "a layer of dev; deploy stage from the repository to replace it\n",
        );
        const found = classes(run);
        assert.strictEqual(Object.keys(found).length, STAGE_ITEMS);
        const layerClass = (name: string, versions: number[]) => versions.map((v) => found[`${name}:${v}`]);
        assert.deepStrictEqual(layerClass("vectora-inbox-vectora-core-stage", [1, 2, 3, 4, 5, 6, 7, 8]), [
            "stale",
            "in use", // only the published version 1, behind the alias live, runs it
            "stale",
            "stale",
            "stale",
            "current",
            "current",
            "in use",
        ]);
        const doc: Json = JSON.parse(run.out);
        const item = (name: string) => doc.items.find((i: Json) => i.name === name);
        assert.deepStrictEqual(item("vectora-inbox-vectora-core-stage:2").usedBy, [
            "vectora-inbox-normalize-score-v2-stage:1 (alias live)",
        ]);
        assert.strictEqual(found["vectora-inbox-common-deps-stage:1"], "in use");
        assert.deepStrictEqual(layerClass("vectora-inbox-vectora-core-dev", [1, 2]), ["other environment", "other environment"]);
        assert.deepStrictEqual(
            layerClass("vectora-inbox-vectora-core-approche-b-dev", [1, 2, 3, 4, 5, 6, 7, 8, 9]),
            Array(9).fill("other environment"),
        );
        assert.strictEqual(found["vectora-inbox-vectora-core-dev2:1"], "unknown, not ours");
        assert.deepStrictEqual(layerClass("vectora-inbox-dependencies", [1, 2]), ["rollback", "in use"]);
        assert.match(
            item("vectora-inbox-dependencies:1").why,
            /older than version 2, which billing-report \(another team's function\) runs/,
        );
        // Zips by content: the noncurrent version of 1.2.7 holds version 8's bytes; the version that overwrote it holds nothing kept.
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-1.2.7.zip"), ["in use", "stale"]);
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-1.2.1.zip"), ["in use"]);
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-1.2.5.zip"), ["current"]);
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-1.2.0.zip"), ["stale"]);
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-v42.zip"), ["legacy"]);
        assert.deepStrictEqual(objectClasses(found, "lambdas/ingest-v2-1.5.0.zip"), ["in use", "stale"]);
        assert.deepStrictEqual(objectClasses(found, "lambdas/normalize-score-v2-2.1.0.zip"), ["in use"]);
        const latest = doc.items.filter((i: Json) => i.name === "layers/vectora-core-1.2.7.zip" && i.class === "in use");
        assert.deepStrictEqual(
            latest.map((i: Json) => i.why),
            ["the bytes of layer version vectora-inbox-vectora-core-stage:8 (in use)"],
        );
        assert.strictEqual(Object.keys(found).filter((n) => n.includes("#")).length, 15, "canonical/ objects are not listed");
    });

    it("plans the clean-up, marks it on --execute, deletes it once marked for the grace period, then has nothing to do", async () => {
        const { endpoint } = await incident();
        const dry = await against(endpoint, cleanup, "--env", "stage", "--json");
        assert.strictEqual(dry.code, 0, dry.err);
        assert.deepStrictEqual(names(dry), STAGE_PLAN);
        assert.ok(JSON.parse(dry.out).plan.every((i: Json) => i.grace.action === "mark"));
        assert.match(dry.err, /^warning: kept: legacy in use: vectora-inbox-ingest-v2-stage runs .*approche-b-dev:9; deploy stage/m);

        // First run: everything planned is marked, nothing is deleted (the default grace period is 7 days).
        const snapshots = tempDir();
        const first = await against(endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", snapshots, "--json");
        assert.strictEqual(first.code, 0, first.err);
        assert.deepStrictEqual(names(first, "marked"), STAGE_PLAN);
        assert.deepStrictEqual(names(first, "deleted"), []);
        assert.strictEqual(Object.keys(classes(await against(endpoint, inventory, "--env", "stage", "--json"))).length, STAGE_ITEMS);
        // Again at once: still within the grace period.
        const second = await against(endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", snapshots, "--json");
        assert.deepStrictEqual(names(second, "waiting"), STAGE_PLAN);
        assert.deepStrictEqual(names(second, "deleted"), []);

        // With no grace period left, a later run deletes what the first one marked, and only that.
        const run = await against(endpoint, cleanup, "--env", "stage", "--execute", "--grace-days", "0", "--snapshot-dir", snapshots);
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Deleted 12 item\(s\)\.$/m);
        const inventories = fs.readdirSync(snapshots).filter((n) => /^inventory-stage-.*\.json$/.test(n));
        // One inventory per --execute run (two runs within the same second share a name).
        assert.ok(inventories.length >= 2, inventories.join(", "));
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(snapshots, inventories[0]), "utf8")).items.length, STAGE_ITEMS);
        const after = classes(await against(endpoint, inventory, "--env", "stage", "--json"));
        assert.strictEqual(Object.keys(after).length, STAGE_ITEMS - STAGE_PLAN.length);
        for (const kept of [2, 6, 7, 8]) {
            assert.ok(`vectora-inbox-vectora-core-stage:${kept}` in after, `version ${kept} must stay`);
        }
        for (const kept of [
            "vectora-inbox-vectora-core-approche-b-dev:9",
            "vectora-inbox-vectora-core-dev:1",
            "vectora-inbox-vectora-core-dev2:1",
            "vectora-inbox-dependencies:1",
            "vectora-inbox-dependencies:2",
        ]) {
            assert.ok(kept in after, `${kept} (in use, another environment's, not ours or another team's rollback) must stay`);
        }
        assert.deepStrictEqual(objectClasses(after, "layers/vectora-core-1.2.7.zip"), ["in use"]);
        assert.deepStrictEqual(names(await against(endpoint, cleanup, "--env", "stage", "--json")), []);
    });

    it("takes the mark off an item a function runs again, so that its grace period starts over", async () => {
        const { endpoint } = await incident();
        await against(endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", tempDir());
        const lambda = new LambdaClient({ ...TEST_REGION, endpoint, credentials: TEST_KEYS });
        const use = (layers: string[]) =>
            lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "vectora-inbox-ingest-v2-stage", Layers: layers }));
        await use([`${LAYER}vectora-inbox-vectora-core-stage:3`]);
        const run = await against(
            endpoint,
            cleanup,
            "--env",
            "stage",
            "--execute",
            "--grace-days",
            "0",
            "--snapshot-dir",
            tempDir(),
            "--json",
        );
        assert.strictEqual(run.code, 0, run.err);
        // The layer version it runs again, and the zip that holds its bytes, stay.
        const kept = ["vectora-inbox-vectora-core-stage:3", "layers/vectora-core-1.2.2.zip"];
        assert.deepStrictEqual(
            names(run, "deleted"),
            STAGE_PLAN.filter((n) => !kept.includes(n)),
        );
        // Unused again: planned again, with a new mark (not deleted by the old one).
        await use([]);
        const plan = JSON.parse((await against(endpoint, cleanup, "--env", "stage", "--json", "--grace-days", "0")).out).plan;
        assert.deepStrictEqual(plan.map((i: Json) => [i.name, i.grace.action]).sort(), [
            ["layers/vectora-core-1.2.2.zip", "mark"],
            ["vectora-inbox-vectora-core-stage:3", "mark"],
        ]);
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
        assert.deepStrictEqual(
            items.filter((i) => i.managed === true).map((i) => i.name),
            ["vectora-inbox-vectora-core-stage:1"],
        );
        assert.ok(items.every((i) => typeof i.managed === "boolean"));
        // The managed layer version stays, and so does the zip that holds its bytes.
        const plan = names(await against(endpoint, cleanup, "--env", "stage", "--state", file, "--json"));
        const kept = ["vectora-inbox-vectora-core-stage:1", "layers/vectora-core-1.2.0.zip"];
        assert.deepStrictEqual(
            plan,
            STAGE_PLAN.filter((name) => !kept.includes(name)),
        );
    });

    it("keeps what the last deploy snapshots reference (the rollback buffer), and plans it again once they no longer do", async () => {
        const { endpoint } = await incident();
        const s3 = new S3Client({ ...TEST_REGION, endpoint, credentials: TEST_KEYS, forcePathStyle: true });
        const listed = await s3.send(
            new ListObjectVersionsCommand({ Bucket: "vectora-inbox-lambda-code-stage", Prefix: "layers/vectora-core-1.2.2.zip" }),
        );
        const versionId = listed.Versions?.[0]?.VersionId as string;
        const dir = tempDir();
        const stack = "urn:pulumi:stage::vectora-inbox::pulumi:pulumi:Stack::vectora-inbox-stage";
        const layer = {
            urn: `urn:pulumi:stage::vectora-inbox::${LAYER_TYPE}::vectora-core`,
            type: "aws:lambda/layerVersion:LayerVersion",
            parent: stack,
            inputs: { s3Key: "layers/vectora-core-1.2.2.zip", s3ObjectVersion: versionId },
            outputs: { arn: `${LAYER}vectora-inbox-vectora-core-stage:3` },
        };
        const snapshot = {
            version: 3,
            deployment: { manifest: {}, resources: [{ urn: stack, type: "pulumi:pulumi:Stack", outputs: {} }, layer] },
        };
        fs.writeFileSync(path.join(dir, "stage-2026-01-30T08-02-11Z.export.json"), JSON.stringify(snapshot));
        // An older snapshot beyond the buffer of one, and another stack's, change nothing.
        fs.writeFileSync(path.join(dir, "stage-2025-01-01T00-00-00Z.export.json"), "not read");
        fs.writeFileSync(path.join(dir, "prod-2026-02-01T00-00-00Z.export.json"), "not read either");

        const found = classes(
            await against(endpoint, inventory, "--env", "stage", "--snapshot-dir", dir, "--rollback-snapshots", "1", "--json"),
        );
        assert.strictEqual(found["vectora-inbox-vectora-core-stage:3"], "rollback");
        assert.deepStrictEqual(objectClasses(found, "layers/vectora-core-1.2.2.zip"), ["rollback"]);
        const kept = ["vectora-inbox-vectora-core-stage:3", "layers/vectora-core-1.2.2.zip"];
        const plan = names(
            await against(endpoint, cleanup, "--env", "stage", "--snapshot-dir", dir, "--rollback-snapshots", "1", "--json"),
        );
        assert.deepStrictEqual(
            plan,
            STAGE_PLAN.filter((n) => !kept.includes(n)),
        );
        const none = names(
            await against(endpoint, cleanup, "--env", "stage", "--snapshot-dir", dir, "--rollback-snapshots", "0", "--json"),
        );
        assert.deepStrictEqual(none, STAGE_PLAN);
    });

    it("never plans what a function runs, what is not ours or this environment's, nor another team's rollback unless asked", async () => {
        const { endpoint } = await incident();
        const devPlan = [
            ...[1, 2, 3, 4, 5, 6, 7, 8].map((v) => `vectora-inbox-vectora-core-approche-b-dev:${v}`),
            "vectora-inbox-yaml-minimal-dev:1",
        ];
        assert.deepStrictEqual(names(await against(endpoint, cleanup, "--env", "dev", "--json")), devPlan);
        const asked = names(await against(endpoint, cleanup, "--env", "dev", "--delete-rollbacks", "--json"));
        assert.deepStrictEqual(asked, ["vectora-inbox-dependencies:1", ...devPlan]);
        for (const env of ["dev", "stage", "prod"]) {
            const plan = names(await against(endpoint, cleanup, "--env", env, "--delete-rollbacks", "--json"));
            assert.ok(!plan.includes("vectora-inbox-vectora-core-dev2:1"), `${env} plans the look-alike`);
            assert.ok(!plan.includes("vectora-inbox-dependencies:2"), `${env} plans what billing-report runs`);
        }
        assert.deepStrictEqual(names(await against(endpoint, cleanup, "--env", "prod", "--json")), []);
    });

    it("lists every region the stacks use: a layer in eu-west-1 appears once a stack config names that region", async () => {
        const { endpoint } = await incident();
        const root = copyProject();
        const ireland = "arn:aws:lambda:eu-west-1:123456789012:layer:vectora-inbox-common-deps-stage:1";
        const ids = async () =>
            JSON.parse((await against(endpoint, inventory, "--env", "stage", "--cwd", root, "--json")).out).items.map((i: Json) => i.id);
        assert.ok(!(await ids()).includes(ireland));
        edit(root, "Pulumi.prod.yaml", (t) => t.replace("aws:region: eu-west-3", "aws:region: eu-west-1"));
        const doc: Json = JSON.parse((await against(endpoint, inventory, "--env", "stage", "--cwd", root, "--json")).out);
        assert.deepStrictEqual(doc.regions, ["eu-west-3", "eu-west-1"]);
        const item = doc.items.find((i: Json) => i.id === ireland);
        assert.deepStrictEqual([item.class, item.usedBy], ["in use", ["analytics-export"]]);
    });

    it("stops with a clear error when the emulator fails half-way, and a second run finishes the job", async () => {
        const { endpoint } = await incident();
        await against(endpoint, cleanup, "--env", "stage", "--execute", "--snapshot-dir", tempDir());
        const proxy = await flakyProxy(endpoint, 3);
        try {
            // Everything was marked by the first run: with no grace period left, this run deletes.
            const deleteMarked = () =>
                against(proxy.endpoint, cleanup, "--env", "stage", "--execute", "--grace-days", "0", "--snapshot-dir", tempDir());
            const broken = await deleteMarked();
            assert.strictEqual(broken.code, 1);
            assert.match(
                broken.err,
                /^error: clean-up stopped after 3 of 12 deletion\(s\): deleting .* failed \(.*\); nothing else was deleted\. Run the same command again to finish\.$/m,
            );
            proxy.heal();
            const rerun = await deleteMarked();
            assert.strictEqual(rerun.code, 0, rerun.err);
            assert.match(rerun.out, /^Deleted 9 item\(s\)\.$/m);
            assert.deepStrictEqual(names(await against(endpoint, cleanup, "--env", "stage", "--json")), []);
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
        assert.strictEqual(values.filter((c) => c === "current").length, 3);
        // No kept layer holds the bytes of any of the 1,100 versions (they were never published as a layer).
        assert.strictEqual(values.filter((c) => c === "stale").length, 997 + 1100);
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

const TEST_REGION = { region: "eu-west-3" };
const TEST_KEYS = { accessKeyId: "test", secretAccessKey: "test" };

/** One line on stderr, exit 2, nothing on stdout. */
function assertOneLine(run: CommandRun, pattern: RegExp): void {
    assert.strictEqual(run.code, 2, run.err || run.out);
    assert.strictEqual(run.out, "");
    assert.strictEqual(run.err.split("\n").length, 2, run.err);
    assert.match(run.err, pattern);
}

describe("npm run inventory and cleanup: every AWS call bounded, every setting problem one line (exit 2)", function () {
    this.timeout(120_000);

    it("answers within its bound, with one line, when the endpoint accepts connections and never answers", async () => {
        const server = net.createServer(() => undefined);
        const port = await new Promise<number>((resolve) =>
            server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
        );
        try {
            for (const main of [inventory, cleanup]) {
                const started = Date.now();
                const run = await against(`http://127.0.0.1:${port}`, main, "--env", "stage");
                const seconds = (Date.now() - started) / 1000;
                assertOneLine(
                    run,
                    /^error: http:\/\/127\.0\.0\.1:\d+ \(AWS_ENDPOINT_URL\): no answer to ListLayers in eu-west-3 within 10 s, 3 attempts \(at most 31 s in all\)/,
                );
                // Three attempts of 10 s each (the README's bound), and the backoff between them.
                assert.ok(seconds >= 29 && seconds <= 35, `answered after ${seconds} s`);
            }
        } finally {
            server.close();
        }
    });

    it("a refused connection, no credentials, an unknown or malformed region", async () => {
        const closed = await new Promise<number>((resolve) => {
            const server = net.createServer();
            server.listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                server.close(() => resolve(port));
            });
        });
        assertOneLine(
            await against(`http://127.0.0.1:${closed}`, inventory, "--env", "stage"),
            /^error: http:\/\/127\.0\.0\.1:\d+ \(AWS_ENDPOINT_URL\): connection refused \(ListLayers\); check AWS_ENDPOINT_URL/,
        );
        const nowhere = tempDir();
        assertOneLine(
            await withAws(
                {
                    AWS_REGION: "eu-west-3",
                    AWS_ENDPOINT_URL: `http://127.0.0.1:${closed}`,
                    AWS_SHARED_CREDENTIALS_FILE: path.join(nowhere, "credentials"),
                    AWS_CONFIG_FILE: path.join(nowhere, "config"),
                },
                cleanup,
                "--env",
                "stage",
            ),
            /^error: no AWS credentials found for ListLayers; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
        );
        assertOneLine(
            await withAws({ ...TEST_CREDENTIALS, AWS_REGION: "eu-nowhere-9" }, inventory, "--env", "stage"),
            /^error: lambda\.eu-nowhere-9\.amazonaws\.com: host not found \(ListLayers in eu-nowhere-9\); check AWS_REGION/,
        );
        assertOneLine(
            await withAws({ ...TEST_CREDENTIALS, AWS_REGION: "Paris" }, cleanup, "--env", "stage"),
            /^error: AWS_REGION is "Paris", which is not an AWS region; expected a region such as eu-west-3\n$/,
        );
    });
});
