import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { preflight } from "../lib/preflight";
import { loadConstellation } from "../lib/constellation/load";
import { PROJECT_ROOT, recordExample } from "./helpers";
import { stubBin } from "./support/stubs";

const c = loadConstellation(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml")).constellation;
const COMPLETE = {
  "gocy:metalProjectId": "5f2b3c1d-0000-4000-8000-000000000001",
  "gcp:project": "real-project",
  "gocy:domain": "real.dev",
  "gocy:dnsZone": "real-dev",
  "gocy:adminEmail": "ops@real.dev",
};

test("a machine with every tool at a working version passes; GITHUB_TOKEN is recommended", () => {
  const stubs = stubBin();
  const r = preflight(c, false, { PATH: stubs.path });
  assert.deepEqual(r.problems, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /GITHUB_TOKEN is not set/);
  assert.deepEqual(preflight(c, false, { PATH: stubs.path, GITHUB_TOKEN: "x" }).warnings, []);
});

test("missing and wrong tools are all listed, each with how to install it", () => {
  const stubs = stubBin();
  stubs.remove("docker");
  stubs.remove("kind");
  stubs.behave("clusterctl", `[[ "$1" == version ]] && { echo v1.11.2; exit 0; }`);
  stubs.behave("kubectl", `[[ "$1" == version ]] && { echo '{"clientVersion":{"gitVersion":"v1.30.4"}}'; exit 0; }`);
  const r = preflight(c, false, { PATH: stubs.path, GITHUB_TOKEN: "x" });
  assert.deepEqual(r.problems, [
    "preflight  docker: not found, or its daemon does not answer (kind runs the bootstrap cluster in it); install: https://docs.docker.com/engine/install/",
    "preflight  kind: not found on PATH; install: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (v0.31.0 or newer)",
    "preflight  clusterctl: expected v1.10.x to match capi v1.10.10 (clusterctl v1.11+ refuses v1beta1 management clusters), got v1.11.2; install: https://github.com/kubernetes-sigs/cluster-api/releases/tag/v1.10.10 (clusterctl-<os>-<arch>)",
    "preflight  kubectl: expected v1.32 to v1.34 (within one minor of every cluster's Kubernetes), got v1.30.4; install: https://kubernetes.io/docs/tasks/tools/ (v1.32 to v1.34)",
  ]);
});

test("a real up stops before registering anything when a tool is missing; a preview and the plan need none", async () => {
  const stubs = stubBin();
  stubs.remove("clusterctl");
  const up = await recordExample({ offlineSignal: false, overrides: COMPLETE, env: { PATH: stubs.path } });
  assert.match(up.error ?? "", /^preflight: tools a real pulumi up needs are missing or too old:\npreflight {2}clusterctl: not found on PATH/);
  assert.deepEqual(up.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
  const fresh = stubBin();
  fresh.remove("clusterctl");
  const preview = await recordExample({ offlineSignal: false, preview: true, overrides: COMPLETE, env: { PATH: fresh.path } });
  assert.equal(preview.error, null);
  assert.deepEqual(fresh.calls(), [], "the preview ran no tool");
});
