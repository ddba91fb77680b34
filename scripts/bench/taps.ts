import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// Taps on everything the code under test sends over the network from this process: DynamoDB
// commands through the shared client (a middleware) and every global fetch (the lean Cognito, SES,
// SNS and S3 adapters, the JWKS download). Listeners see each call once it has finished, with its
// start and end on performance.now()'s clock; with no listener the taps only pass calls through.

export interface DynamoCall {
  /** Low-level command name, e.g. "TransactWriteItemsCommand". */
  command: string;
  /** The marshalled input as sent (the document client has converted it already): not to be mutated. */
  input: Record<string, unknown>;
  start: number;
  end: number;
  /** Error name, when the call failed (a failed condition is a call too). */
  error?: string;
}

export interface FetchCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** undefined for no body or a body that is not a string (such a call cannot be replayed). */
  body?: string;
  hasBody: boolean;
  start: number;
  /** When the response head arrived (callers read the body after). */
  end: number;
  error?: string;
}

export interface TapListener {
  dynamo?(call: DynamoCall): void;
  fetch?(call: FetchCall): void;
}

export interface Taps {
  /** Adds a listener until the returned function is called. */
  listen(listener: TapListener): () => void;
  /** fetch as it was before the tap, for the bench's own calls (stream reads, replays). */
  realFetch: typeof fetch;
}

const errorName = (error: unknown) => (error as { name?: string })?.name ?? "Error";

/** Installs both taps, once per process. */
export function installTaps(client: DynamoDBDocumentClient): Taps {
  const listeners = new Set<TapListener>();
  const realFetch = globalThis.fetch;

  // At the end of the serialize step: after the document client's marshalling, so the input is
  // what a plain DynamoDBClient command would take (and what a replay sends again).
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (listeners.size === 0) return next(args);
      const start = performance.now();
      const report = (error?: string) => {
        const call: DynamoCall = { command: context.commandName ?? "UnknownCommand", input: args.input as Record<string, unknown>, start, end: performance.now(), error };
        for (const l of listeners) l.dynamo?.(call);
      };
      try {
        const result = await next(args);
        report();
        return result;
      } catch (error) {
        report(errorName(error));
        throw error;
      }
    },
    { step: "serialize", priority: "low", name: "benchTap" },
  );

  const tapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    if (listeners.size === 0) return realFetch(input, init);
    const isRequest = typeof input === "object" && "method" in input;
    const url = isRequest ? input.url : String(input);
    const method = (init?.method ?? (isRequest ? input.method : "GET")).toUpperCase();
    const headers = Object.fromEntries(new Headers(init?.headers ?? (isRequest ? input.headers : undefined)).entries());
    const body = typeof init?.body === "string" ? init.body : undefined;
    const hasBody = init?.body !== undefined && init.body !== null;
    const start = performance.now();
    const report = (error?: string) => {
      const call: FetchCall = { method, url, headers, body, hasBody, start, end: performance.now(), error };
      for (const l of listeners) l.fetch?.(call);
    };
    try {
      const response = await realFetch(input, init);
      report();
      return response;
    } catch (error) {
      report(errorName(error));
      throw error;
    }
  };
  globalThis.fetch = tapped as typeof fetch;

  return {
    listen: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    realFetch,
  };
}
