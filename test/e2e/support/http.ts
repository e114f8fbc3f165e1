/**
 * Requests to a local stack as the e-one-stop system and the tests send them: a JSON body (or a
 * raw string, to send what is not JSON), an optional Bearer token, and the answer's status with
 * its body read as JSON when it is JSON, else as text.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field by each test.
type Json = any;

export interface Answer {
  readonly status: number;
  readonly body: Json;
}

export async function post(baseUrl: string, path: string, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the text as it came.
  }
  return { status: response.status, body: parsed };
}
