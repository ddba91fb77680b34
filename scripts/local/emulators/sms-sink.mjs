// The local stack's SMS sink: answers SNS Publish (the Query protocol the sender uses on AWS) and
// appends each message to a JSON-lines file, which GET /local/sms of the API reads. It stands in
// for the phone network, so it can be stopped like any emulator to try an SMS outage.
// Plain Node, no dependencies: run as `node sms-sink.mjs` with HOST, PORT and SMS_FILE set.
import { randomUUID } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";

const { HOST = "127.0.0.1", PORT = "8006", SMS_FILE } = process.env;
if (!SMS_FILE) throw new Error("SMS_FILE is required");

const xml = (res, status, body) => res.writeHead(status, { "content-type": "text/xml" }).end(`<?xml version="1.0"?>\n${body}`);
const error = (res, code, message) => xml(res, 400, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`);

createServer((req, res) => {
  if (req.method === "GET") {
    const lines = readFileSync(SMS_FILE, "utf8").split("\n").filter(Boolean);
    return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: lines.map((l) => JSON.parse(l)) }));
  }
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const form = new URLSearchParams(body);
    if (form.get("Action") !== "Publish") return error(res, "InvalidAction", "Only Publish is supported");
    const to = form.get("PhoneNumber");
    const text = form.get("Message");
    if (!to || !/^\+[1-9]\d{7,14}$/.test(to) || !text) return error(res, "InvalidParameter", "PhoneNumber (E.164) and Message are required");
    appendFileSync(SMS_FILE, `${JSON.stringify({ at: new Date().toISOString(), to, text })}\n`);
    const id = randomUUID();
    xml(res, 200, `<PublishResponse><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></PublishResponse>`);
  });
}).listen(Number(PORT), HOST, () => console.log(`sms sink listening on ${HOST}:${PORT}, writing ${SMS_FILE}`));
