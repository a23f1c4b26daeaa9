/**
 * Names: every builder of lib/builders/names.ts yields DNS-1123 label characters for any cluster and constellation
 * name the schema allows, names other systems see stay within those systems' limits, and reading a built name
 * back (classify) gives the kind, owner and parameters it was built from. The golden URN list is read back too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import {
  buildName,
  capiNames,
  classify,
  dnsAccountId,
  GCP_ACCOUNT_ID,
  HELM_RELEASE_NAME_MAX,
  helmReleaseName,
  KIND_CLUSTER_NAME_MAX,
  NAME_KINDS,
  names,
  readName,
  type NameKindId,
  type Segment,
} from "../../lib/builders/names";
import { DNS_LABEL, MAX_CONSTELLATION_NAME } from "../../lib/constellation/schema";
import { CONTROL_PLANE_KEY, MAX_CLUSTER_NAME, MAX_TEMPLATE_NAME } from "../../lib/constellation/invariants";
import { CHARTS } from "../../lib/builders/helm/charts";
import { EXTERNAL_DNS, INGRESS_NGINX } from "../../lib/builders/apps/names";
import { parseConstellation } from "../../lib/constellation/load";
import { InputError } from "../../lib/constellation/problems";
import { PROJECT_ROOT } from "../helpers";

const RUNS = { numRuns: 300 };
const LABEL_MAX = 63;

const ALNUM = [..."abcdefghijklmnopqrstuvwxyz0123456789"];
const alnum = fc.constantFrom(...ALNUM);
/** A DNS-1123 label of 1..max characters, often exactly max (the limits live there), with runs of '-' inside. */
const labelOf = (max: number) =>
  fc.oneof(fc.constant(max), fc.integer({ min: 1, max })).chain((n) =>
    n === 1
      ? alnum
      : fc
          .tuple(alnum, fc.array(fc.constantFrom(...ALNUM, "-", "-", "-"), { minLength: n - 2, maxLength: n - 2 }), alnum)
          .map(([a, mid, z]) => `${a}${mid.join("")}${z}`),
  );
const clusterName = labelOf(MAX_CLUSTER_NAME);
const constellationName = labelOf(MAX_CONSTELLATION_NAME);
const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);

/** Parameter values a segment admits. */
function paramOf(seg: Exclude<Segment, string>): fc.Arbitrary<string> {
  if (seg.shape === "word") return word;
  if (seg.shape === "label") return labelOf(20).filter((v) => !seg.except?.includes(v));
  return fc.constantFrom(...seg.shape);
}

const KIND_IDS = Object.keys(NAME_KINDS) as NameKindId[];

/** A kind, an owner of the right scope and parameters for it. */
const builtName = fc.constantFrom(...KIND_IDS).chain((id) => {
  const kind = NAME_KINDS[id];
  const owner = kind.owner === "cluster" ? clusterName : kind.owner === "constellation" ? constellationName : fc.constant("");
  const segs = (kind.tail as readonly Segment[]).filter((s): s is Exclude<Segment, string> => typeof s !== "string");
  const params = fc.tuple(...segs.map(paramOf));
  return fc.tuple(fc.constant(id), owner, params as fc.Arbitrary<string[]>);
});

test("every logical name is made of DNS-1123 label characters, for any owner the schema allows", () => {
  fc.assert(
    fc.property(builtName, ([id, owner, params]) => {
      const name = buildName(id, owner, ...params);
      assert.match(name, DNS_LABEL, `${id}(${owner}, ${params.join(", ")}) = ${name}`);
    }),
    RUNS,
  );
});

test("reading a built name back gives its kind, owner and parameters, given its class and owner", () => {
  fc.assert(
    fc.property(builtName, ([id, owner, params]) => {
      const name = buildName(id, owner, ...params);
      const kind = NAME_KINDS[id];
      const ctx = kind.owner === "cluster" ? { clusters: [owner] } : kind.owner === "constellation" ? { constellation: owner } : {};
      for (const cls of kind.classes) {
        const type = cls.startsWith("pulumi:providers:") ? cls : `pkg:mod/x:${cls}`;
        const readings = readName(name, { ...ctx, type }).filter((r) => NAME_KINDS[r.kind].owner === kind.owner);
        assert.deepEqual(readings, [{ kind: id, owner: kind.owner === "none" ? "" : owner, params }], `${name} as ${cls}`);
      }
    }),
    RUNS,
  );
});

test("a lifecycle name reads back without knowing the constellation's clusters (the tools' case)", () => {
  const lifecycle: NameKindId[] = ["kind", "clusterctlInitKind", "capiApply", "waitInitialized", "adminCredential", "waitReady", "certManagerProbe", "clusterctlInitSelf", "move", "clusterctlUpgrade", "deleteKind"];
  fc.assert(
    fc.property(fc.constantFrom(...lifecycle), clusterName, (id, cluster) => {
      const reading = classify(buildName(id, cluster), { type: "command:local:Command" });
      // The cluster itself may end in a kind's words ("x-kind"): the most specific reading wins, and it is a
      // lifecycle kind with the longest fixed tail that spells the name.
      assert.ok(reading && lifecycle.includes(reading.kind));
      assert.equal(buildName(reading.kind, reading.owner), buildName(id, cluster));
      if (!/-(kind|clusterctl-init|delete|move|init)$/.test(cluster)) assert.deepEqual(reading, { kind: id, owner: cluster, params: [] });
    }),
    RUNS,
  );
});

test("names other systems see stay within those systems' limits", () => {
  fc.assert(
    fc.property(constellationName, clusterName, labelOf(LABEL_MAX), (c, cluster, group) => {
      for (const kindName of [names.kindCluster(c), names.teardownKindCluster(c)]) {
        assert.match(kindName, DNS_LABEL);
        assert.ok(kindName.length <= KIND_CLUSTER_NAME_MAX, `${kindName}: kind allows ${KIND_CLUSTER_NAME_MAX}`);
      }
      const id = dnsAccountId(c);
      assert.ok(id.length >= GCP_ACCOUNT_ID.min && id.length <= GCP_ACCOUNT_ID.max && GCP_ACCOUNT_ID.pattern.test(id), `account id ${id}`);
      for (const k8sName of [capiNames.cluster(cluster), capiNames.infraCluster(cluster), capiNames.controlPlane(cluster)]) {
        assert.match(k8sName, DNS_LABEL);
        assert.ok(k8sName.length <= LABEL_MAX, k8sName);
      }
      // Secret names are DNS-1123 subdomains (253); these stay labels.
      for (const secret of [capiNames.kubeconfigSecret(cluster), capiNames.talosconfigSecret(cluster)]) assert.ok(DNS_LABEL.test(secret) && secret.length <= LABEL_MAX, secret);
      // A group key the invariants accept keeps the template, and so the MachineDeployment, a label.
      const template = capiNames.template(cluster, group, "0123abcd");
      if (template.length <= MAX_TEMPLATE_NAME) {
        assert.match(template, DNS_LABEL);
        assert.ok(capiNames.machineDeployment(cluster, group).length <= LABEL_MAX);
      }
    }),
    RUNS,
  );
  for (const chart of [...Object.values(CHARTS).map((p) => p.chart), EXTERNAL_DNS.chart, INGRESS_NGINX.chart]) {
    const release = helmReleaseName(chart);
    assert.ok(DNS_LABEL.test(release) && release.length <= HELM_RELEASE_NAME_MAX, `release ${release}`);
  }
});

test("a long constellation's account id is cut to GCP's limit and still tells two names apart", () => {
  assert.equal(dnsAccountId("jupiter"), "gocy-dns-jupiter");
  const a = dnsAccountId("a-very-long-constellation-name-one");
  const b = dnsAccountId("a-very-long-constellation-name-two");
  assert.equal(a.length <= 30 && b.length <= 30, true);
  assert.equal(a.slice(0, 22), b.slice(0, 22));
  assert.notEqual(a, b);
  // A cut that ends on '-' drops it rather than doubling it before the hash.
  assert.equal(`gocy-dns-${"abcdefghijklm-"}`.length, 23);
  assert.doesNotMatch(dnsAccountId("abcdefghijklm-nopqrstuvwxyz"), /--/);
});

test("every name of the example's golden URN list reads back as exactly one kind that rebuilds it", () => {
  const urns = readFileSync(path.join(PROJECT_ROOT, "test", "golden", "jupiter.urns.txt"), "utf8").trim().split("\n");
  const ctx = { constellation: "jupiter", clusters: ["jupiter", "ganymede", "callisto"] };
  const unread: string[] = [];
  for (const urn of urns) {
    const [, , qualified, name] = urn.split("::") as [string, string, string, string];
    const type = qualified.slice(qualified.lastIndexOf("$") + 1);
    if (type === "pulumi:pulumi:Stack") continue;
    const readings = readName(name, { ...ctx, type });
    if (readings.length !== 1) {
      unread.push(`${name} (${type}): ${readings.length} readings`);
      continue;
    }
    const r = readings[0]!;
    assert.equal(buildName(r.kind, r.owner, ...r.params), name);
  }
  assert.deepEqual(unread, []);
});

test("the group key the invariants keep for the control plane is the one the names keep", () => {
  for (const id of ["capiWorkerTemplate", "capiWorkerConfig", "capiMachineDeployment"] as const) {
    const seg = NAME_KINDS[id].tail[0];
    assert.ok(seg !== undefined && typeof seg !== "string");
    assert.deepEqual(seg.except, [CONTROL_PLANE_KEY]);
  }
  assert.equal(capiNames.controlPlane("x"), `x-${CONTROL_PLANE_KEY}`);
});

test("a reservation, a credential and a read are told apart by their class, not their name alone", () => {
  assert.deepEqual(classify("jupiter-vip-mesh", { type: "equinix-metal:index/reservedIpBlock:ReservedIpBlock" }), { kind: "vip", owner: "jupiter", params: ["mesh"] });
  assert.deepEqual(classify("jupiter-vip-mesh-tags", { type: "command:local:Command" }), { kind: "vipTags", owner: "jupiter", params: ["mesh"] });
  assert.equal(classify("jupiter-kubeconfig", { type: "kubernetes:core/v1:Secret" })?.kind, "kubeconfigRead");
  assert.equal(classify("jupiter-dns-key-cert-manager", { type: "kubernetes:helm.sh/v3:Release" })?.kind, "helmRelease");
  assert.equal(classify("jupiter-dns-key-cert-manager", { type: "kubernetes:core/v1:Secret" })?.kind, "dnsKeySecret");
  assert.equal(classify("jupiter-kind", { type: "pulumi:providers:kubernetes" })?.kind, "k8sProvider");
  assert.equal(classify("x-vip-cp", { type: "command:local:Command" }), undefined, "no command is named like a reservation");
});

test("the loader refuses the names the kinds above cannot take: a long constellation, a group keyed control-plane", () => {
  const text = readFileSync(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml"), "utf8");
  const refused = (t: string) => {
    try {
      parseConstellation("n.yaml", t);
      return "";
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.message;
    }
  };
  assert.equal(refused(text.replace(/^name: jupiter$/m, `name: ${"j".repeat(MAX_CONSTELLATION_NAME)}`)), "");
  assert.match(refused(text.replace(/^name: jupiter$/m, `name: ${"j".repeat(MAX_CONSTELLATION_NAME + 1)}`)), /at most 36 characters/);
  assert.match(refused(text.replace("    plan: m3.small.x86\nsatellites:", "    plan: m3.small.x86\n    name: control-plane\nsatellites:")), /other than "control-plane"/);
});
