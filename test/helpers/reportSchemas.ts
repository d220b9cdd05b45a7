import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLParser } from "fast-xml-parser";
import { validateXML } from "xmllint-wasm";
import { REPO } from "./fixtures";

/**
 * The official schemas the reports are checked against (test/fixtures/sarif/SOURCE.md, test/fixtures/junit/SOURCE.md
 * say where each comes from), with the sha256 each must keep, so that a hand edit cannot make a report pass.
 */
export const SARIF_SCHEMA = path.join(REPO, "test/fixtures/sarif/sarif-schema-2.1.0.json");
export const JUNIT_XSD = path.join(REPO, "test/fixtures/junit/junit-10.xsd");
export const SCHEMA_SHA256: Readonly<Record<string, string>> = {
    [SARIF_SCHEMA]: "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
    [JUNIT_XSD]: "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6",
};

export function sha256Of(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

let sarifValidator: ReturnType<Ajv["compile"]> | undefined;

/** SARIF 2.1.0 schema errors of a document, one line each ([] when valid); formats (uri, date-time...) checked too. */
export function sarifSchemaErrors(document: unknown): string[] {
    if (!sarifValidator) {
        // The schema is JSON Schema draft-04 (its "$schema"), hence ajv's draft-04 class; strict mode holds for it.
        const ajv = new Ajv({ allErrors: true });
        addFormats(ajv);
        sarifValidator = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, "utf8")));
    }
    return sarifValidator(document) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

/** junit-10.xsd errors of an XML document, one line each ([] when valid), from libxml2's own validator. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
    const result = await validateXML({
        xml: [{ fileName: "report.xml", contents: xml }],
        schema: [fs.readFileSync(JUNIT_XSD, "utf8")],
    });
    return result.errors.map((e) => e.rawMessage);
}

/** A JUnit report read back: its suites, each with its cases, as a reader of the format sees them. */
export interface ReadSuite {
    readonly name: string;
    readonly tests: number;
    readonly failures: number;
    readonly properties: Record<string, string>;
    readonly cases: Array<{ name: string; classname: string; failure?: string; failureType?: string; skipped?: string; out?: string }>;
}

export function readJunit(xml: string): { name: string; tests: number; failures: number; suites: ReadSuite[] } {
    const parser = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: "",
        textNodeName: "text",
        isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
    });
    // The parser's output is untyped by nature: each field read below is checked by the assertions that use it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = parser.parse(xml) as any;
    const root = doc.testsuites;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const suites: ReadSuite[] = (root.testsuite ?? []).map((s: any) => ({
        name: s.name,
        tests: Number(s.tests),
        failures: Number(s.failures),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        properties: Object.fromEntries((s.properties?.property ?? []).map((p: any) => [p.name, p.value])),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        cases: (s.testcase ?? []).map((c: any) => ({
            name: c.name,
            classname: c.classname,
            ...(c.failure ? { failure: c.failure.text, failureType: c.failure.type } : {}),
            ...(c.skipped !== undefined ? { skipped: c.skipped.message } : {}),
            ...(c["system-out"] !== undefined ? { out: c["system-out"] } : {}),
        })),
    }));
    return { name: root.name, tests: Number(root.tests), failures: Number(root.failures), suites };
}
