import type { PolicyResource } from "@pulumi/policy";
import { isUnknown, raw, strings } from "./props";

/**
 * How one resource of a stack refers to another. A program passes outputs (`fn.arn`, `role.name`), and during
 * a preview of a new stack those are unknown, so the engine's property dependencies come first (it sends
 * them to AnalyzeStack: pulumi/pulumi `pkg/resource/deploy/step_generator.go`, AnalyzerStackResource); a
 * known name or ARN is matched otherwise, so that a stack written with literal names is checked too.
 */

/** The resources of some types. */
export function ofTypes(resources: readonly PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** A property's value without the unknown-value proxy (unknowns stay as their sentinels: see isUnknown). */
export function valueOf(resource: PolicyResource, property: string): unknown {
    return raw(resource.props)[property];
}

/** A property's value when it is a known string. */
export function knownString(resource: PolicyResource, property: string): string | undefined {
    const value = valueOf(resource, property);
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** The name of a function in a function name, a function ARN or a qualified ARN. */
export function functionNameOf(reference: string): string {
    const match = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(:[^:]+)?$/.exec(reference);
    return match ? match[1] : reference;
}

/** The name of a role in a role name or a role ARN (with or without a path). */
export function roleNameOf(reference: string): string {
    const match = /^arn:[a-z-]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(reference);
    return match ? match[1] : reference;
}

/**
 * True when `resource`'s `property` refers to `target`: through the engine's property dependencies, or by a
 * known value that `identify` turns into the same identity as one of the target's own known properties.
 */
export function refersTo(
    resource: PolicyResource,
    property: string,
    target: PolicyResource,
    targetKeys: readonly string[],
    identify: (value: string) => string = (v) => v,
): boolean {
    if ((resource.propertyDependencies?.[property] ?? []).some((d) => d.urn === target.urn)) {
        return true;
    }
    // Every known string at that property, nested ones included (a schedule's target.arn, a notification's list).
    const mine = [...strings(valueOf(resource, property))].map((s) => identify(s.value));
    const theirs = targetKeys
        .map((k) => knownString(target, k))
        .filter((v): v is string => v !== undefined)
        .map(identify);
    return mine.some((m) => theirs.includes(m));
}

/** True when `resource`'s `property` refers to the function `fn` (its name, ARN or qualified ARN). */
export function refersToFunction(resource: PolicyResource, property: string, fn: PolicyResource): boolean {
    return refersTo(resource, property, fn, ["name", "arn"], functionNameOf);
}

/** True when `resource`'s `property` refers to the role `role` (its name or ARN). */
export function refersToRole(resource: PolicyResource, property: string, role: PolicyResource): boolean {
    return refersTo(resource, property, role, ["name", "arn"], roleNameOf);
}

/** True when `resource`'s `bucket` property names the bucket `bucket`. */
export function forBucket(resource: PolicyResource, bucket: PolicyResource): boolean {
    return refersTo(resource, "bucket", bucket, ["bucket", "id"]);
}

/** A label for a resource in messages: its physical name when known, else its Pulumi name. */
export function labelOf(resource: PolicyResource, nameProperty: string): string {
    return JSON.stringify(knownString(resource, nameProperty) ?? resource.name);
}
