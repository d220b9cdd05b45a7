/** The parts of an ARN (`arn:partition:service:region:account:resource`). */
export interface Arn {
    readonly partition: string;
    readonly service: string;
    readonly region: string;
    readonly account: string;
    readonly resource: string;
}

export function parseArn(value: string): Arn | undefined {
    const match = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-*]*):([0-9*]*):(.+)$/.exec(value);
    return match ? { partition: match[1], service: match[2], region: match[3], account: match[4], resource: match[5] } : undefined;
}

/** Name and version of a layer version ARN (`...:layer:<name>:<version>`). */
export function parseLayerVersionArn(value: string): { name: string; version: string } | undefined {
    const arn = parseArn(value);
    const match = arn?.service === "lambda" ? /^layer:([A-Za-z0-9_-]+):(\d+)$/.exec(arn.resource) : null;
    return match ? { name: match[1], version: match[2] } : undefined;
}
