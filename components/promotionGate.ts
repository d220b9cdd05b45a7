import * as pulumi from "@pulumi/pulumi";
import type { DeployedArtifact } from "../policy/contract/promotion";
import { TYPES } from "../policy/contract/resourceTypes";
import type { Attestation, UrgentException } from "../policy/contract/attestation";
import type { GateBasis } from "../policy/contract/tested";

/** One artifact as the gate records its source running it. */
export interface GateRunningArtifact {
    readonly version: string;
    readonly sha256: string;
    /** When AWS last wrote it in the source (for the soak check). */
    readonly since?: string;
}

/** What the program read of the source stack's resources. */
export interface GateSource {
    /** The release digest of what the source runs. */
    readonly digest: string;
    readonly artifacts: Readonly<Record<string, GateRunningArtifact>>;
    /** Why the source's state cannot be trusted (empty when it hangs together). */
    readonly problems: readonly string[];
}

/** Arguments of a PromotionGate. */
export interface PromotionGateArgs {
    /** Fully qualified name of the stack the evidence was read from (dev for stage, stage for prod): the pinned one. */
    readonly sourceStack: string;
    /** What the program read of that stack's resources, from its state. */
    readonly source: GateSource;
    /** What this deployment is about to run, per artifact (layers, functions, canonical set). */
    readonly deploys: Readonly<Record<string, DeployedArtifact>>;
    /** What the deploy rests on. */
    readonly basis: GateBasis;
    /** The smoke attestation it rests on (the source's, or the stack's own for a rollback), as the program read it. */
    readonly tested?: Attestation;
    /** prod: the urgent exception that waived the soak, shown in the stack's state and outputs. */
    readonly urgent?: UrgentException;
}

/**
 * Records, in the stack being deployed, what its source stack ran and what it deploys, where the policy pack
 * decides before anything else changes. The engine analyzes every registered resource, components included,
 * with its inputs, before the resource's step; stage and prod register this component first, and every other
 * resource depends on it, so the pack's gate policy (which reads the source's state itself and compares it
 * with this record) blocks a deploy before anything is created or updated, even under `pulumi up
 * --skip-preview`. Its outputs keep the record in the stack's state, for audits.
 */
export class PromotionGate extends pulumi.ComponentResource {
    constructor(name: string, args: PromotionGateArgs, opts?: pulumi.ComponentResourceOptions) {
        const record = {
            sourceStack: args.sourceStack,
            source: args.source,
            deploys: args.deploys,
            basis: args.basis,
            ...(args.tested ? { tested: args.tested } : {}),
            ...(args.urgent ? { urgent: args.urgent } : {}),
        };
        super(TYPES.promotionGate, name, record, opts);
        this.registerOutputs(record);
    }
}
