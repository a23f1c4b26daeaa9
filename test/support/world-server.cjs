/**
 * The simulated world's server: a worker thread of the test process that answers the stub tools' calls over TCP on
 * 127.0.0.1, so a call costs a bash start instead of a Node start (the shims use bash's /dev/tcp; no process starts).
 * It runs beside the test's main thread, which stays blocked in spawnSync while a script runs.
 *
 * A request: NUL-terminated fields: world directory, tool, working directory, KUBECONFIG, WORLD_BOUNDED, the file
 * holding the call's standard input (empty: none read), the argument count, then the arguments.
 * The answer: NUL-terminated fields: exit code (or `hang`), standard output, standard error.
 */
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const { workerData } = require("node:worker_threads");
const { call } = require("./world-tool.cjs");

/** The request in `buf`, or undefined while it is incomplete. */
function parse(buf) {
  const fields = buf.toString("utf8").split("\0");
  fields.pop(); // what follows the last NUL: an incomplete field, or ""
  if (fields.length < 7 || fields.length < 7 + Number(fields[6])) return undefined;
  const [dir, tool, cwd, KUBECONFIG, WORLD_BOUNDED, stdinFile, argc] = fields;
  return { dir, tool, cwd, env: { KUBECONFIG, WORLD_BOUNDED }, stdinFile, args: fields.slice(7, 7 + Number(argc)) };
}

function answer(req) {
  try {
    let stdin = "";
    if (req.stdinFile) {
      stdin = fs.readFileSync(req.stdinFile, "utf8");
      fs.rmSync(req.stdinFile);
    }
    const r = call({ ...req, stdin });
    return r.hang ? "hang\0\0\0" : `${r.code}\0${r.stdout}\0${r.stderr}\0`;
  } catch (e) {
    return `1\0\0world: ${e.stack}\n\0`;
  }
}

const server = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on("data", (chunk) => {
    if (buf === undefined) return; // answered already
    buf = Buffer.concat([buf, chunk]);
    const req = parse(buf);
    if (!req) return;
    buf = undefined;
    sock.end(answer(req));
  });
  sock.on("error", () => {}); // a caller killed mid-call (the test's time bound) is no error of the world's
});
// Tell the main thread, waiting on the shared flag, the port the shims are to call.
server.listen(0, "127.0.0.1", () => {
  const flag = new Int32Array(workerData.ready);
  Atomics.store(flag, 1, server.address().port);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
