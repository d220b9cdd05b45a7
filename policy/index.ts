import { PolicyPack } from "@pulumi/policy";
import { vectoraPolicies } from "./policies";

// The entry file only builds the pack: constructing it starts the analyzer server and never returns,
// so nothing else may live here (tests import ./policies instead).
new PolicyPack("vectora-inbox", { policies: vectoraPolicies });
