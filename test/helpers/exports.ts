import * as fs from "fs";
import * as path from "path";
import { REPO, tempDir, write } from "./fixtures";
import type { Json } from "./io";

/** The stage export the incident left (test/fixtures/stage-incident.export.json). */
export const INCIDENT = path.join(REPO, "test/fixtures/stage-incident.export.json");

/** A fresh copy of the incident export, to change. */
export function incident(): Json {
    return JSON.parse(fs.readFileSync(INCIDENT, "utf8"));
}

/** An export written to a file of its own. */
export function writeExport(doc: unknown): string {
    return write(tempDir(), "export.json", JSON.stringify(doc));
}

/**
 * The promotion gate's record in a prod export: it read stage running ingest-v2 1.5.0 with bytes "aaa...", and
 * listed the same as deployed, while prod's own ingest-v2 runs other bytes (the incident's).
 */
export const GATE_EVIDENCE = {
    sourceStack: "organization/vectora-inbox/stage",
    source: { digest: "d".repeat(64), artifacts: { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64) } }, problems: [] },
    deploys: { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64), built: true } },
};

/**
 * The incident's export as prod's: its URNs moved to prod, a StackReference to stage (as programs before the gate
 * read stage's outputs kept it), and (optionally) the promotion gate the program registers.
 */
export function prodIncident(withGate: boolean): Json {
    const prod = JSON.parse(JSON.stringify(incident()).replace(/urn:pulumi:stage::/g, "urn:pulumi:prod::"));
    const root = prod.deployment.resources[0];
    prod.deployment.resources.push({
        urn: "urn:pulumi:prod::vectora-inbox::pulumi:pulumi:StackReference::stage",
        custom: true,
        external: true,
        id: "organization/vectora-inbox/stage",
        type: "pulumi:pulumi:StackReference",
        inputs: { name: "organization/vectora-inbox/stage" },
        outputs: { name: "organization/vectora-inbox/stage", outputs: { env: "stage", artifacts: {} }, secretOutputNames: [] },
        parent: root.urn,
    });
    if (withGate) {
        prod.deployment.resources.push({
            urn: "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate",
            custom: false,
            type: "vectora:promotion:PromotionGate",
            inputs: GATE_EVIDENCE,
            outputs: GATE_EVIDENCE,
            parent: root.urn,
        });
    }
    return prod;
}
