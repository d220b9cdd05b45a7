import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../policy/contract/resourceTypes";

/** One artifact as the gate records it: the version and the sha256 of its bytes. */
export interface GateArtifact {
    readonly version: string;
    readonly sha256: string;
    /** False when this machine could not build it completely (common-deps without a package index). */
    readonly built?: boolean;
}

/** What the gate records of stage: the outputs prod's gate compares with, read through a StackReference. */
export interface StageEvidence {
    /** Stage's `artifacts` output: version and sha256 of everything stage runs. */
    readonly artifacts?: unknown;
    /** Stage's `deployedAt` output, for the soak check. */
    readonly deployedAt?: unknown;
}

/** Arguments of a PromotionGate. */
export interface PromotionGateArgs {
    /** Fully qualified name of the stage stack the evidence was read from. */
    readonly stageStack: string;
    /** Stage's outputs as the StackReference read them. */
    readonly stage: pulumi.Input<StageEvidence>;
    /** What this deployment of prod is about to run, per artifact (layers, functions, canonical set). */
    readonly deploys: Readonly<Record<string, GateArtifact>>;
}

/**
 * Carries stage's evidence to the policy pack, where the engine sends it. The engine never sends a read
 * resource (a StackReference) to a policy pack, but it analyzes every registered resource, components
 * included, with their inputs, before the resource's step. So prod registers this component first, with
 * stage's outputs and prod's artifacts as inputs, and every other resource of prod depends on it: the
 * pack's `vectora-promotion-stage-first` decides on the gate before anything of prod is created or updated,
 * even under `pulumi up --skip-preview`. Its outputs repeat the evidence for the stack policies and for
 * audits of exported state.
 */
export class PromotionGate extends pulumi.ComponentResource {
    constructor(name: string, args: PromotionGateArgs, opts?: pulumi.ComponentResourceOptions) {
        const evidence = { stageStack: args.stageStack, stage: args.stage, deploys: args.deploys };
        super(TYPES.promotionGate, name, evidence, opts);
        this.registerOutputs(evidence);
    }
}
