/**
 * The barycenter takes over its own CAPI state (docs/architecture.md#the-move, #adoption): cert-manager answers → clusterctl
 * init on the barycenter (reusing that cert-manager) → clusterctl move from kind → its CAPI objects adopted as
 * Kubernetes resources on a provider of their own → kind deleted. From then on nothing talks to kind.
 */
import { infra } from "../../lib/infra";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { adoptionClusterIdentifier, names } from "../../lib/builders/names";
import {
  certManagerProbeScript,
  clusterctlInitSelfScript,
  deleteKindScript,
  moveScript,
  teardownScript,
  upgradeScript,
} from "../../lib/builders/scripts/self-hosting";
import { script } from "../support/commands";
import { NO_OP_UPDATE } from "../../lib/builders/scripts/common";
import { createCapiResources, type CapiResources } from "../cluster/capi-resources";
import type { BarycenterBoot } from "./boot";
import type { ClusterAddons } from "../cluster/addons";
import type { ClusterDefinitionSeam } from "../cluster/definition";
import type { Platform } from "../support/context";

export interface Takeover {
  readonly certManagerProbe: command.local.Command;
  readonly clusterctlInit: command.local.Command;
  /** The move; its delete is the barycenter's teardown. */
  readonly move: command.local.Command;
  readonly upgrade: command.local.Command;
  readonly adoptionProvider: k8s.Provider;
  readonly adopted: CapiResources;
  readonly deleteKind: command.local.Command | undefined;
}

export interface TakeoverArgs {
  readonly platform: Platform;
  readonly definition: ClusterDefinitionSeam;
  readonly boot: BarycenterBoot;
  readonly addons: ClusterAddons;
  readonly ready: command.local.Command;
  /** What the move waits for besides the barycenter's own readiness (the barycenter's DNS cleanup). */
  readonly moveDependsOn?: pulumi.Resource[];
}

export function createTakeover(n: string, a: TakeoverArgs, parent: pulumi.Resource): Takeover {
  const { platform, boot } = a;
  const versions = platform.constellation.versions;
  const timeout = platform.config.waitTimeoutSeconds;
  // Refreshed on every `up` (never frozen): a command's delete runs with the inputs stored at its last create or
  // update, and a destroy a year from now must still hold working credentials.
  const credentials = {
    GOCY_KUBECONFIG: boot.credential.stdout,
    ...platform.infra.apiEnvironment,
  };

  // No delete: the probe removes what it creates.
  const certManagerProbe = script(
    names.certManagerProbe(n),
    { create: certManagerProbeScript(n, timeout), environment: { GOCY_KUBECONFIG: boot.credential.stdout }, frozen: true },
    { parent, dependsOn: [a.addons.certManager, a.ready] },
  );
  // No delete: the providers go with the barycenter.
  const clusterctlInit = script(
    names.clusterctlInitSelf(n),
    { create: clusterctlInitSelfScript(n, versions, timeout), environment: credentials, frozen: true },
    { parent, dependsOn: [certManagerProbe] },
  );
  // Never replaced or re-run by an edit: frozen (a no-op update stores fresh credentials), no triggers.
  const move = script(
    names.move(n),
    {
      create: moveScript(boot.kindCluster, n, timeout),
      delete: teardownScript(n, names.teardownKindCluster(platform.constellation.name), versions, timeout, platform.constellation.name),
      environment: credentials,
      frozen: true,
    },
    { parent, dependsOn: [clusterctlInit, a.ready, ...(a.moveDependsOn ?? [])] },
  );
  // A provider version change, and only that, runs `clusterctl upgrade apply`: the versions are its `triggers`, the
  // one input whose change makes pulumi-command replace it (common/inputs.go), and a replacement runs `create`. Any
  // other change (a rotated token, a re-read credential) is an update, which runs the no-op `update` and stores the
  // fresh credentials. The create checks the installed versions first, so its first run (right after the move's
  // `clusterctl init`, at the same versions) changes nothing.
  // The trigger names the infrastructure provider's version by its key in the constellation file, as it always has:
  // a stored trigger that reads differently would replace the command on the next up for no reason.
  const { infrastructure, ...core } = versions;
  const trigger = JSON.stringify({ ...core, [infra.versions.provider.key]: infrastructure });
  const upgrade = script(
    names.clusterctlUpgrade(n),
    { create: upgradeScript(n, versions, timeout), update: NO_OP_UPDATE, environment: credentials, triggers: [trigger] },
    { parent, dependsOn: [move] },
  );

  // A provider of its own for the adopted objects: upsertExistingObjects is provider-wide and must reach nothing else.
  const adoptionProvider = new k8s.Provider(
    names.adoptionProvider(n),
    { kubeconfig: boot.credential.stdout, upsertExistingObjects: true, clusterIdentifier: adoptionClusterIdentifier(platform.constellation.name, n) },
    { parent },
  );
  const adopted = createCapiResources(n, { definition: a.definition, provider: adoptionProvider, clusterDependsOn: [move], adopt: true, deleteTimeoutSeconds: timeout }, parent);
  // No delete: the command that created kind deletes it (and succeeds when it is gone).
  const deleteKind = platform.config.keepBootstrapCluster
    ? undefined
    : script(names.deleteKind(n), { create: deleteKindScript(boot.kindCluster, n), frozen: true }, { parent, dependsOn: [...adopted.all] });
  return { certManagerProbe, clusterctlInit, move, upgrade, adoptionProvider, adopted, deleteKind };
}
