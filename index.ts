import { findProjectRoot } from "./config/projectRoot";
import { program } from "./program";

// The Pulumi CLI calls an exported function and awaits it: every input is checked and every artifact
// built before the first resource is declared.
export = () => program({ root: findProjectRoot(__dirname) });
