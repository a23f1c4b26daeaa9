/**
 * ClusterMesh: the constellation's Cilium Cluster Mesh. It owns the shared CA (a P-256 key, the key a Pulumi secret),
 * the cluster IDs (pinned: docs/architecture.md#cluster-ids), the membership every cluster's Cilium lists, the check that each
 * cluster reaches every other one.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type * as command from "@pulumi/command";
import { names, TYPES } from "../../lib/builders/names";
import type { MeshMember } from "../../lib/builders/mesh";
import { meshVerifyScript, whoamiAcrossMeshScript } from "../../lib/builders/scripts/bring-up";
import { CURL_IMAGE } from "../../lib/builders/apps/names";
import { USE_ENV_KUBECONFIG } from "../../lib/builders/scripts/self-hosting";
import { allClusters } from "../../lib/constellation/model";
import { script } from "../support/commands";
import type { Platform } from "../support/context";

/** What one cluster's Cilium takes from the mesh. */
export interface MeshForCluster {
  readonly members: readonly MeshMember<pulumi.Output<string>>[];
  /** base64 of the CA certificate's PEM: plain, so a membership change stays a readable diff. */
  readonly caCert: pulumi.Output<string>;
  /** base64 of the CA key's PEM: a secret. */
  readonly caKey: pulumi.Output<string>;
}

export interface MeshEndpoint {
  readonly name: string;
  /** The cluster's kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Cilium and the mesh address check: verification comes after them. */
  readonly ready: readonly pulumi.Resource[];
  /** What serves whoami on that cluster (a request across the mesh is checked once all of it exists). */
  readonly whoami: readonly pulumi.Resource[];
}

export class ClusterMesh extends pulumi.ComponentResource {
  /** Cluster name → Cilium cluster ID, in constellation order. */
  readonly clusterIds: Readonly<Record<string, number>>;
  readonly forClusters: MeshForCluster;
  /** Cluster name → id and mesh address (no secrets). */
  readonly membership: pulumi.Output<Record<string, { id: number; meshAddress: string }>>;
  private readonly platform: Platform;

  /**
   * @param members every cluster of the constellation with its reserved mesh address, in constellation order: each
   *   Cilium lists them all, so every Cilium depends on every member's reservation and nothing more.
   */
  constructor(platform: Platform, members: readonly MeshMember<pulumi.Output<string>>[], opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.clusterMesh, names.clusterMesh(platform.constellation.name), {}, opts);
    this.platform = platform;
    const expected = allClusters(platform.constellation).map((c) => c.name);
    if (members.map((m) => m.name).join() !== expected.join()) {
      throw new Error(`ClusterMesh: members ${members.map((m) => m.name).join(", ")} are not the constellation's clusters ${expected.join(", ")}`);
    }
    this.clusterIds = Object.fromEntries(platform.clusterIds);
    const name = platform.constellation.name;
    const key = new tls.PrivateKey(names.meshCaKey(name), { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
    const cert = new tls.SelfSignedCert(
      names.meshCa(name),
      {
        privateKeyPem: key.privateKeyPem,
        isCaCertificate: true,
        // Ten years: re-keying a running mesh means rolling every cluster's Cilium.
        validityPeriodHours: 87600,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
        subject: { commonName: `gocy ${name} Cilium Cluster Mesh CA`, organization: "gocy" },
      },
      { parent: this },
    );
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    this.forClusters = { members: [...members], caCert: cert.certPem.apply(b64), caKey: pulumi.secret(key.privateKeyPem.apply(b64)) };
    this.membership = pulumi
      .all(members.map((m) => m.meshAddress))
      .apply((addresses) => Object.fromEntries(members.map((m, i) => [m.name, { id: m.id, meshAddress: addresses[i]! }])));
    this.registerOutputs({ clusterIds: this.clusterIds, membership: this.membership });
  }

  /**
   * A bounded check per cluster that it is connected to every other one, after every cluster's Cilium and mesh
   * address. Its inputs list the peers by name and address: a new member changes them, so the check runs again.
   * Off with `gocy:meshVerify: false` (no cilium CLI needed then).
   */
  verify(endpoints: readonly MeshEndpoint[]): command.local.Command[] {
    if (!this.platform.config.meshVerify) return [];
    const after = endpoints.flatMap((e) => e.ready);
    // One combined output of every address, each check's peers derived from it: N outputs, not N × N.
    const all = pulumi.all(this.forClusters.members.map((m) => m.meshAddress));
    const checks = endpoints.map((e) => {
      const peers = all.apply((addresses) =>
        JSON.stringify(Object.fromEntries(this.forClusters.members.map((m, i) => [m.name, addresses[i]] as const).filter(([name]) => name !== e.name))),
      );
      // No delete: a check leaves nothing behind.
      return script(
        names.meshVerify(e.name),
        { create: meshVerifyScript(USE_ENV_KUBECONFIG, e.name, this.platform.config.waitTimeoutSeconds), environment: { GOCY_KUBECONFIG: e.kubeconfig, GOCY_MESH_PEERS: peers } },
        { parent: this, dependsOn: after },
      );
    });
    // And a request crosses it: from the barycenter to every satellite's whoami, through the global service.
    const [bary, ...satellites] = endpoints;
    if (bary && satellites.length > 0) {
      checks.push(
        script(
          names.whoamiAcrossMesh(bary.name),
          {
            create: whoamiAcrossMeshScript(USE_ENV_KUBECONFIG, bary.name, satellites.map((s) => s.name), CURL_IMAGE, this.platform.config.waitTimeoutSeconds),
            environment: { GOCY_KUBECONFIG: bary.kubeconfig, GOCY_MESH_MEMBERS: satellites.map((s) => s.name).join(",") },
          },
          { parent: this, dependsOn: [...checks, ...endpoints.flatMap((e) => e.whoami)] },
        ),
      );
    }
    return checks;
  }
}
