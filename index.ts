/**
 * GOCY: a constellation of Talos Linux clusters on bare metal through Cluster API (the infrastructure target: lib/infra).
 * stack config → validated constellation → components → stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { validateStack } from "./lib/stack/validate";
import { InputError } from "./lib/constellation/problems";
import { preflight } from "./lib/preflight";
import { isOfflinePlan, providerEnvironmentProblems } from "./lib/stack/run-mode";
import { CONFIG_KEYS, unknownConfigKeys, type RunMode } from "./lib/stack/config";
import { names } from "./lib/builders/names";
import { AnycastIngress } from "./components/constellation/anycast-ingress";
import { ManagementCluster } from "./components/barycenter/management-cluster";
import { SatelliteCluster } from "./components/satellite/satellite-cluster";
import { ClusterMesh } from "./components/constellation/cluster-mesh";
import { DnsAccount } from "./components/constellation/dns-account";
import { createBootImages } from "./components/constellation/boot-images";
import { createInfra } from "./components/infra";
import type { Platform } from "./components/support/context";
import type { ConstellationCluster } from "./components/cluster/services";

const SECRET_KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS.filter((k) => k.secret).map((k) => k.key));

/** `gocy:domain` → the `gocy` namespace's Config and the key `domain`. */
function configOf(key: string): { config: pulumi.Config; name: string } {
  const at = key.indexOf(":");
  return { config: new pulumi.Config(key.slice(0, at)), name: key.slice(at + 1) };
}

export = async () => {
  const stack = pulumi.getStack();
  const mode: RunMode = isOfflinePlan() ? "offline-plan" : pulumi.runtime.isDryRun() ? "preview" : "up";
  // A gocy: key the program does not know is a typo that would silently drop a setting.
  const unknown = unknownConfigKeys(Object.keys(pulumi.runtime.allConfig()));
  if (unknown.length > 0) throw new pulumi.RunError(`invalid stack configuration:\n${unknown.map((u) => `${u.key}: ${u.message}`).join("\n")}`);
  let validated;
  try {
    validated = validateStack({
      stack,
      mode,
      // Secret keys are only checked for presence: their values are never read as plain strings.
      get: (key) => (SECRET_KEYS.has(key) ? undefined : configOf(key).config.get(configOf(key).name)),
      has: (key) => {
        const { config, name } = configOf(key);
        return SECRET_KEYS.has(key) ? config.getSecret(name) !== undefined : config.get(name) !== undefined;
      },
    });
  } catch (err) {
    // A user's mistake: every problem, one line each, no stack trace, nothing registered.
    if (err instanceof InputError) throw new pulumi.RunError(`invalid constellation or stack configuration:\n${err.message}`);
    throw err;
  }
  for (const line of validated.warnings) pulumi.log.warn(line);
  // Before anything is registered, in a preview too: the providers run with this process's environment.
  const environment = providerEnvironmentProblems();
  if (environment.length > 0) {
    if (mode === "offline-plan") for (const line of environment) pulumi.log.warn(line);
    else throw new pulumi.RunError(`the environment would stall the bring-up:\n${environment.join("\n")}`);
  }
  if (mode === "up") {
    // Before anything is created: every tool the commands call, with a version that works.
    const check = preflight(validated.constellation, validated.config.meshVerify);
    for (const line of check.warnings) pulumi.log.warn(line);
    if (check.problems.length > 0) throw new pulumi.RunError(`preflight: tools a real pulumi up needs are missing or too old:\n${check.problems.join("\n")}`);
  }

  const credentials = configOf("gcp:credentials");
  const gcpCredentials = credentials.config.getSecret(credentials.name);
  // Without gcp:credentials the provider uses application default credentials.
  const gcpProvider = new gcp.Provider(names.gcpProvider, { project: validated.config.gcpProject, ...(gcpCredentials ? { credentials: gcpCredentials } : {}) });
  const dns = new DnsAccount(validated.constellation.name, validated.config, gcpProvider);
  const platform: Platform = {
    constellation: validated.constellation,
    config: validated.config,
    clusterIds: validated.clusterIds,
    infra: createInfra(validated.constellation, validated.config.infraProjectId),
    gcp: gcpProvider,
    dnsKeyJson: dns.keyJson,
    bootImages: createBootImages(validated.constellation.name, { constellation: validated.constellation }),
  };

  const anycast = new AnycastIngress(platform);
  // Before every other reservation and the kind cluster: they depend on it, so a destroy deletes it last.
  platform.infra.createBillingCheck(anycast.reservation);
  // Every cluster reserves its addresses first: the mesh lists every member's mesh address in each Cilium, so the
  // mesh is built from all of them before any cluster is brought up. Each step takes the previous one's data.
  const barycenterShell = new ManagementCluster(platform.constellation.barycenter, platform);
  const satelliteShells = platform.constellation.satellites.map((s) => new SatelliteCluster(s, platform, anycast.address));
  const mesh = new ClusterMesh(platform, [barycenterShell, ...satelliteShells].map((c) => c.meshMember));
  const barycenter = barycenterShell.bringUp(mesh.forClusters);
  const clusters: ConstellationCluster[] = [barycenter, ...satelliteShells.map((s) => s.bringUp(mesh.forClusters, barycenter.forSatellites))];
  mesh.verify(clusters.map((c) => c.meshEndpoint));
  const byCluster = <T>(pick: (c: ConstellationCluster) => T) => Object.fromEntries(clusters.map((c) => [c.name, pick(c)]));

  return {
    /** VIP addresses per cluster and role (a satellite's ingress is the shared anycast address). */
    vips: byCluster((c) => pulumi.output(c.addresses)),
    anycastAddress: anycast.address,
    clusterIds: mesh.clusterIds,
    /** The demo's public URL, on the anycast address: the nearest satellite answers. */
    whoamiUrl: anycast.url,
    /** The Cluster Mesh: cluster → Cilium cluster ID and mesh address (no secrets). */
    mesh: mesh.membership,
    /** Admin kubeconfigs by cluster, read on every `up` (secret). `npm run kubeconfig -- <cluster>` merges one. */
    kubeconfigs: pulumi.secret(pulumi.all(byCluster((c) => c.kubeconfig))),
    /** talosconfigs by cluster, public endpoints only (secret). */
    talosconfigs: pulumi.secret(pulumi.all(byCluster((c) => c.talosconfig))),
  };
};
