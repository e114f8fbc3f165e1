#!/usr/bin/env node
// The `dunghan` CLI launcher: runs the TypeScript entry point through tsx, so `npx dunghan …`
// works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../local/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
