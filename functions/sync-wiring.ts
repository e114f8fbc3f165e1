export function buildReceiveSync(): never {
  throw new Error("not wired yet");
}
