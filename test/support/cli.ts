import { main } from "../../local/cli/main.ts";

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(argv: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
