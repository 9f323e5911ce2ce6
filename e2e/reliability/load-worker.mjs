// The paced load of ./load.ts, in a worker thread so the test's own work (browser driver, provider
// emulator) never delays a send or a measurement. Plain JavaScript: worker threads load it as is.
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { urls, headers, rate, giveUpMs } = workerData;
// Keep-alive, every socket in turn (fifo) and idle ones dropped after 4 s, before the server's 5 s
// keep-alive timeout: never a socket reused just as the server closes it (a client-side ECONNRESET).
const agent = new Agent({ keepAlive: true, scheduling: "fifo", timeout: 4000, maxSockets: Infinity });
const pending = [];
const interval = 1000 / rate;
const began = Date.now();
let sent = 0;

function once(i) {
  const target = i % urls.length;
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (status, retryAfter, body) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ target, startedAt, endedAt: Date.now(), status, retryAfter, body });
    };
    const req = request(urls[target], { agent, headers: headers[Math.floor(i / urls.length) % headers.length] }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => done(res.statusCode ?? 0, res.headers["retry-after"], body));
      res.on("error", () => done(0, undefined, "response error"));
    });
    const timer = setTimeout(() => {
      done(0, undefined, `no answer within ${giveUpMs} ms`);
      req.destroy();
    }, giveUpMs);
    req.on("error", (error) => done(0, undefined, `request error: ${error.message}`));
    req.end();
  });
}

// A coarse timer catches up with the schedule, so the rate holds on a busy machine.
const timer = setInterval(() => {
  const due = Math.floor((Date.now() - began) / interval);
  for (; sent < due; sent++) pending.push(once(sent));
}, 5);

parentPort.once("message", async () => {
  clearInterval(timer);
  const samples = await Promise.all(pending);
  agent.destroy();
  parentPort.postMessage(samples);
});
