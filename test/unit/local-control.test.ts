import { afterEach, describe, expect, it } from "vitest";
import { type ControlServer, type PartControl, type PartStatus, route, startControlServer } from "#scripts/local/control";

// The control server's routing against a fake supervisor, then once over real HTTP.

function fakeControl() {
  const calls: string[] = [];
  const status: Record<string, PartStatus> = {
    ses: { state: "running", pid: 42, restarts: 0 },
    sqs: { state: "stopped", pid: null, restarts: 1 },
  };
  const act = (action: string) => async (name: string) => {
    if (name === "sqs" && action === "pause") throw new Error("sqs is stopped: only a running part can be paused");
    calls.push(`${action} ${name}`);
  };
  const control: PartControl = {
    names: () => Object.keys(status),
    status: () => status,
    stop: act("stop"),
    start: act("start"),
    pause: act("pause"),
    resume: act("resume"),
  };
  return { control, calls, status };
}

describe("control server routing", () => {
  it("GET /parts lists every part; GET /parts/<part> one", async () => {
    const { control, status } = fakeControl();
    expect(await route(control, "GET", "/parts")).toEqual({ status: 200, body: status });
    expect(await route(control, "GET", "/parts/")).toEqual({ status: 200, body: status });
    expect(await route(control, "GET", "/parts/ses")).toEqual({ status: 200, body: status.ses });
  });

  it("POST /parts/<part>/<action> runs the action and answers 204", async () => {
    const { control, calls } = fakeControl();
    for (const action of ["stop", "start", "pause", "resume"]) {
      expect(await route(control, "POST", `/parts/ses/${action}`)).toEqual({ status: 204 });
    }
    expect(calls).toEqual(["stop ses", "start ses", "pause ses", "resume ses"]);
  });

  it("answers 400 on an unknown part or action, 500 with the message when the action fails", async () => {
    const { control, calls } = fakeControl();
    expect(await route(control, "POST", "/parts/redis/stop")).toMatchObject({ status: 400, body: expect.stringMatching(/unknown part "redis".*ses, sqs/) });
    expect(await route(control, "GET", "/parts/redis")).toMatchObject({ status: 400 });
    expect(await route(control, "POST", "/parts/ses/explode")).toMatchObject({ status: 400, body: expect.stringMatching(/unknown action "explode"/) });
    expect(await route(control, "POST", "/parts/sqs/pause")).toEqual({ status: 500, body: "sqs is stopped: only a running part can be paused" });
    expect(calls).toEqual([]);
  });

  it("answers 404 elsewhere and 405 on the wrong method", async () => {
    const { control, calls } = fakeControl();
    expect(await route(control, "GET", "/")).toMatchObject({ status: 404 });
    expect(await route(control, "GET", "/parts/ses/stop/now")).toMatchObject({ status: 404 });
    expect(await route(control, "GET", "/parts/ses/stop")).toMatchObject({ status: 405 });
    expect(await route(control, "POST", "/parts")).toMatchObject({ status: 405 });
    expect(calls).toEqual([]);
  });
});

describe("control server over HTTP", () => {
  let server: ControlServer | undefined;
  afterEach(async () => server?.close());

  it("serves the routes on 127.0.0.1", async () => {
    const { control, calls, status } = fakeControl();
    server = await startControlServer(control);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const list = await fetch(`${server.url}/parts`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("application/json");
    expect(await list.json()).toEqual(status);
    const stop = await fetch(`${server.url}/parts/ses/stop`, { method: "POST" });
    expect(stop.status).toBe(204);
    expect(calls).toEqual(["stop ses"]);
    const failed = await fetch(`${server.url}/parts/sqs/pause`, { method: "POST" });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("sqs is stopped: only a running part can be paused\n");
  });
});
