/**
 * The host firewall admits what Cilium calls the other nodes. Cilium gives every node but the local one the
 * reserved identity `remote-node`, the nodes of the other mesh clusters (the management cluster's too) included;
 * `world` is only what it knows no node for. A node-to-node port admitting `world` alone drops CACPPT's Talos API
 * calls and every KubeSpan and Cilium WireGuard tunnel.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIREWALL_RULES, hostFirewallPolicy } from "../../lib/builders/network/policies";

function admits(port: number, protocol: "TCP" | "UDP", entity: string): boolean {
  const spec = hostFirewallPolicy().spec as { ingress: { fromEntities?: string[]; toPorts?: { ports: { port: string; endPort?: number; protocol: string }[] }[] }[] };
  return spec.ingress.some(
    (rule) =>
      (rule.fromEntities ?? []).includes(entity) &&
      (rule.toPorts ?? []).some((tp) => tp.ports.some((p) => p.protocol === protocol && Number(p.port) <= port && port <= (p.endPort ?? Number(p.port)))),
  );
}

test("node-to-node and management traffic is admitted from remote-node: Talos API, KubeSpan, Cilium WireGuard", () => {
  for (const [port, protocol, what] of [
    [50000, "TCP", "apid (CACPPT on the management cluster)"],
    [50001, "TCP", "trustd"],
    [51820, "UDP", "KubeSpan"],
    [51871, "UDP", "Cilium WireGuard"],
    [2379, "TCP", "etcd"],
    [10250, "TCP", "kubelet"],
  ] as const) {
    assert.ok(admits(port, protocol, "remote-node"), `${what} (${port}/${protocol}) from remote-node`);
  }
  // What users reach stays open to the world.
  for (const [port, protocol] of [[443, "TCP"], [6443, "TCP"], [50000, "TCP"]] as const) assert.ok(admits(port, protocol, "world"), `${port} from world`);
  // No rule names a node address: adding a satellite changes no firewall.
  assert.ok(FIREWALL_RULES.every((r) => (r.from.cidrs ?? []).every((c) => c.startsWith("169.254.255."))));
});
