/**
 * The fast layer: one component or `create…` function at a time, built in this process under Pulumi's mocks
 * (test/support/in-process.ts), its registrations asserted. The whole-program recordings (test/components,
 * test/lifecycle) keep what only the whole graph shows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as command from "@pulumi/command";
import * as gcp from "@pulumi/gcp";
import { inProcess } from "../support/in-process";
import { examplePlatform } from "../support/platform";
import { createClusterServices } from "../../components/cluster/services";
import { ClusterMesh } from "../../components/constellation/cluster-mesh";
import { ManagementCluster } from "../../components/barycenter/management-cluster";
import { USE_ENV_KUBECONFIG } from "../../lib/builders/scripts/self-hosting";
import { allClusters } from "../../lib/constellation/model";
import type { RecordedResource } from "../../tools/record/types";
import { EXAMPLE_IDS, TYPE } from "../helpers";

const opts = { clusterIds: EXAMPLE_IDS, config: { "equinix-metal:authToken": "t" }, secretKeys: ["equinix-metal:authToken"] };
const named = (rs: readonly RecordedResource[], name: string, type?: string) => {
  const r = rs.find((x) => x.name === name && (type === undefined || x.type === type));
  assert.ok(r, `${name} is registered (have: ${rs.map((x) => x.name).join(", ")})`);
  return r;
};

test("a cluster's reservations: cp, ingress and mesh on the barycenter, cp and mesh on a satellite, each tagged", async () => {
  const { resources } = await inProcess(() => {
    const p = examplePlatform();
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    p.infra.createBillingCheck(p.infra.reserveAnycast(parent));
    p.infra.reserveClusterAddresses(p.constellation.barycenter, parent);
    p.infra.reserveClusterAddresses(p.constellation.satellites[0]!, parent);
  }, opts);
  const blocks = resources.filter((r) => r.type === TYPE.reservation && r.name.includes("-vip-"));
  assert.deepEqual(blocks.map((b) => `${b.name} ${String(b.inputs.metro)} ${String(b.inputs.type)}`), [
    "jupiter-vip-cp pa public_ipv4",
    "jupiter-vip-ingress pa public_ipv4",
    "jupiter-vip-mesh pa public_ipv4",
    "ganymede-vip-cp md public_ipv4",
    "ganymede-vip-mesh md public_ipv4",
  ]);
  for (const b of blocks) {
    const tags = named(resources, `${b.name}-tags`);
    assert.ok(tags.dependencies.includes(b.urn), `${tags.name} tags ${b.name}`);
    assert.deepEqual(b.options.ignoreChanges, ["description"]);
    assert.equal(b.options.protect, false);
  }
  const cpTags = JSON.parse(String((named(resources, "jupiter-vip-cp-tags").inputs.environment as Record<string, unknown>).GOCY_TAGS)) as string[];
  assert.ok(cpTags.includes("cluster-api-provider-packet:cluster-id:jupiter"), cpTags.join(", "));
});

test("a cluster's addresses are refused before the billing check exists, which every reservation but the anycast one depends on", async () => {
  await assert.rejects(
    inProcess(() => {
      const p = examplePlatform();
      p.infra.reserveClusterAddresses(p.constellation.barycenter, new pulumi.ComponentResource("test:index:Parent", "parent"));
    }, opts),
    /jupiter: reserve the anycast address and create the billing check before any cluster's addresses/,
  );
});

test("the anycast reservation is protected and global; reservations made after the billing check depend on it", async () => {
  const { resources } = await inProcess(() => {
    const p = examplePlatform();
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const anycast = p.infra.reserveAnycast(parent);
    p.infra.createBillingCheck(anycast);
    p.infra.reserveClusterAddresses(p.constellation.satellites[1]!, parent);
  }, opts);
  const anycast = named(resources, "jupiter-anycast-ingress");
  assert.equal(anycast.options.protect, true);
  assert.equal(anycast.inputs.type, "global_ipv4");
  assert.equal(anycast.inputs.metro, undefined);
  const check = named(resources, "jupiter-billing-check");
  assert.ok(!anycast.dependencies.includes(check.urn), "the protected address never waits for the billing check");
  for (const name of ["callisto-vip-cp", "callisto-vip-mesh"]) assert.ok(named(resources, name).dependencies.includes(check.urn), `${name} depends on the billing check`);
});

test("createClusterServices: add-ons, the ready wait after the CAPI objects and Cilium, network and apps, all on the cluster's provider and deleted with it", async () => {
  const { resources } = await inProcess(() => {
    const p = examplePlatform();
    const sat = p.constellation.satellites[0]!;
    const parent = new pulumi.ComponentResource("test:index:Parent", "ganymede");
    const provider = new k8s.Provider("ganymede", { kubeconfig: "{}" }, { parent });
    const capiObject = new command.local.Command("ganymede-capi-stand-in", { create: "true" }, { parent });
    const address = pulumi.output("192.0.2.2");
    const mesh = new ClusterMesh(p, allClusters(p.constellation).map((c) => ({ name: c.name, id: p.clusterIds.get(c.name)!, meshAddress: pulumi.output(`203.0.113.${p.clusterIds.get(c.name)}`) })));
    createClusterServices(
      sat.name,
      {
        cluster: sat,
        platform: p,
        provider,
        kubeconfig: pulumi.secret("kubeconfig"),
        deletedWith: capiObject,
        addresses: { cp: address, ingress: pulumi.output("192.0.2.0"), mesh: pulumi.output("203.0.113.2") },
        mesh: mesh.forClusters,
        readyWait: { prelude: USE_ENV_KUBECONFIG, environment: { GOCY_KUBECONFIG: pulumi.secret("kubeconfig") } },
        readyAfter: [capiObject],
      },
      parent,
    );
  }, opts);
  const provider = named(resources, "ganymede", "pulumi:providers:kubernetes");
  const stand = named(resources, "ganymede-capi-stand-in");
  const cilium = named(resources, "ganymede-cilium");
  const ready = named(resources, "ganymede-wait-ready");
  assert.ok(ready.dependencies.includes(stand.urn) && ready.dependencies.includes(cilium.urn), "ready waits for the CAPI objects and Cilium");
  const inCluster = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
  assert.ok(inCluster.length >= 15, `in-cluster objects: ${inCluster.length}`);
  for (const r of inCluster) {
    assert.equal(r.provider, provider.urn, `${r.name} is on the cluster's provider`);
    assert.equal(r.options.deletedWith, stand.urn, `${r.name} goes with the cluster`);
  }
  for (const name of ["ganymede-metallb", "ganymede-cert-manager", "ganymede-deny-equinix-metadata", "ganymede-wait-mesh-address", "ganymede-whoami", "ganymede-whoami-ingress", "ganymede-external-dns"]) named(resources, name);
  // The kubeconfig reaches the scripts only as a secret.
  const env = ready.inputs.environment as Record<string, unknown>;
  assert.deepEqual(env.GOCY_KUBECONFIG, { "[secret]": "kubeconfig" });
});

test("ClusterMesh refuses members that are not the constellation's clusters, and keeps its CA key secret", async () => {
  await assert.rejects(
    inProcess(() => {
      const p = examplePlatform();
      return new ClusterMesh(p, [{ name: "jupiter", id: 1, meshAddress: pulumi.output("203.0.113.1") }]);
    }, opts),
    /ClusterMesh: members jupiter are not the constellation's clusters jupiter, ganymede, callisto/,
  );
  const { resources } = await inProcess(() => {
    const p = examplePlatform();
    return new ClusterMesh(p, allClusters(p.constellation).map((c) => ({ name: c.name, id: p.clusterIds.get(c.name)!, meshAddress: pulumi.output("203.0.113.9") })));
  }, opts);
  assert.deepEqual(named(resources, "jupiter-mesh-ca-key").inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  assert.equal(named(resources, "jupiter-mesh-ca").inputs.isCaCertificate, true);
});

test("a cluster component is brought up once: a second bringUp is refused before it registers anything twice", async () => {
  await assert.rejects(
    inProcess(() => {
      const p = examplePlatform();
      p.infra.createBillingCheck(p.infra.reserveAnycast(new pulumi.ComponentResource("test:index:Parent", "parent")));
      const bary = new ManagementCluster(p.constellation.barycenter, p);
      const mesh = new ClusterMesh(p, allClusters(p.constellation).map((c) => ({ name: c.name, id: p.clusterIds.get(c.name)!, meshAddress: bary.addresses.mesh })));
      bary.bringUp(mesh.forClusters);
      bary.bringUp(mesh.forClusters);
    }, opts),
    /jupiter: bringUp called twice/,
  );
});

test("a resource the provider's Check refuses ends the in-process run with the provider's message", async () => {
  await assert.rejects(
    inProcess(() => {
      const provider = new gcp.Provider("gcp", { project: "my-gcp-project" });
      new gcp.dns.RecordSet("no-trailing-dot", { project: "my-gcp-project", managedZone: "example-com", name: "whoami.example.com", type: "A", ttl: 300, rrdatas: ["192.0.2.1"] }, { provider });
    }, opts),
    /gcp:dns\/recordSet:RecordSet resource 'no-trailing-dot': the provider's Check refuses it: "name" \("whoami\.example\.com"\) must end with a trailing dot/,
  );
});
