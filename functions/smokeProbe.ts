/**
 * What the smoke test asks of an account and what the account answers (cli/smokeRun.ts): the same questions to AWS
 * (through the SDK) and to the sandbox's simulated account (through its child process, sandbox/lambdaForCommands.ts,
 * which answers in the wire form below).
 */

/** An S3 object version a stack deployed code from (a function's or a layer's zip). */
export interface ObjectRef {
    readonly bucket: string;
    readonly key: string;
    /** The version the stack deployed; the current one when absent. */
    readonly versionId?: string;
}

/** One function to invoke, with the event it gets. */
export interface InvokeRequest {
    readonly functionName: string;
    readonly event: Readonly<Record<string, unknown>>;
}

/** The questions: which functions to describe and invoke, which layer versions and zips to read, and the bound. */
export interface ProbeRequest {
    readonly stack: string;
    readonly functions: readonly InvokeRequest[];
    /** Layer version ARNs. */
    readonly layers: readonly string[];
    readonly objects: readonly ObjectRef[];
    /** How long one invocation may take, in milliseconds. */
    readonly timeoutMs: number;
}

/** A function as the account holds it now. */
export interface FunctionConfiguration {
    /** Lambda's CodeSha256 (base64 of the sha256 of the zip it runs). */
    readonly codeSha256: string;
    /** The layer version ARNs it runs with, in order. */
    readonly layers: readonly string[];
    readonly runtime?: string;
}

/** How one invocation ended (Invoke with InvocationType RequestResponse). */
export interface InvocationResult {
    /** `Handled` or `Unhandled` when the function failed (Lambda's FunctionError); the payload then holds the error. */
    readonly functionError?: string;
    /** The function's answer, as text. */
    readonly payload?: string;
    /** Why there is no answer at all: no answer within the bound, a refused call. */
    readonly error?: string;
    readonly durationMs: number;
}

/** Where the account unpacks a function's code and its layers (/var/task and /opt on Lambda). */
export interface CodeRoots {
    readonly task: string;
    readonly opt: string;
}

/** The account's answer about one function. */
export interface FunctionProbe {
    readonly functionName: string;
    /** Undefined when the account has no such function (then `missing` says why). */
    readonly configuration?: FunctionConfiguration;
    readonly missing?: string;
    /** Undefined when the function was not invoked (it does not exist). */
    readonly invocation?: InvocationResult;
    readonly roots: CodeRoots;
}

/** The account's answer about one layer version. */
export interface LayerProbe {
    readonly arn: string;
    readonly codeSha256?: string;
    readonly missing?: string;
}

/** The bytes of one object version, or why S3 did not give them. */
export interface ObjectProbe extends ObjectRef {
    readonly data?: Buffer;
    readonly missing?: string;
}

/** Every answer, the objects' bytes given as `O`. */
export interface ProbeOf<O extends ObjectRef> {
    readonly functions: readonly FunctionProbe[];
    readonly layers: readonly LayerProbe[];
    readonly objects: readonly O[];
}

/** Every answer, with the objects' bytes. */
export type Probe = ProbeOf<ObjectProbe>;

/** An account the smoke test can ask: AWS, or the sandbox's simulated one. */
export interface SmokeTarget {
    readonly kind: "aws" | "sandbox";
    /** Where the questions go, in words ("AWS eu-west-3", "the sandbox's simulated account 123456789012"). */
    readonly where: string;
    probe(request: ProbeRequest): Promise<Probe>;
}

/** An object's answer on the wire from the sandbox's child process: a file holding the bytes instead of the bytes. */
export interface WireObjectProbe extends ObjectRef {
    readonly file?: string;
    readonly missing?: string;
}

/** The sandbox's answer on the wire. */
export type WireProbe = ProbeOf<WireObjectProbe>;

/** The key an object is found by in an answer. */
export function objectKey(ref: ObjectRef): string {
    return `${ref.bucket}/${ref.key}#${ref.versionId ?? ""}`;
}
