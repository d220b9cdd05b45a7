/**
 * The key under which a bridged provider (pulumi-aws) lists, in each object of its checked inputs, the properties
 * its Check filled in: schema defaults and generated names (pulumi-terraform-bridge pkg/reservedkeys, Defaults).
 * The engine hands a pack the checked inputs, so a policy sees `name: "r-6a99970"` for a role the program left
 * unnamed, with "name" listed here.
 */
export const DEFAULTS_KEY = "__defaults";

/** Whether the provider, not the program, set this property of these (checked) inputs. */
export function setByProvider(props: Readonly<Record<string, unknown>>, key: string): boolean {
    const filled = props[DEFAULTS_KEY];
    return Array.isArray(filled) && filled.includes(key);
}
