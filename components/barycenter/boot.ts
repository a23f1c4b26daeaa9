/**
 * The barycenter's bring-up from kind (docs/architecture.md#the-barycenter-boot): kind → clusterctl init → its CAPI objects
 * applied to kind → ControlPlaneInitialized → the long-lived credential → its Kubernetes provider. Every command
 * that runs against kind is frozen once done: no later change of the constellation, a timeout or the token runs
 * one again (day-2 changes flow through the adopted objects: takeover.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { clusterIdentifier, names } from "../../lib/builders/names";
import type { ClusterDefinitionSeam } from "../cluster/definition";
import {
  applyDeleteScript,
  applyToKindScript,
  clusterctlInitScript,
  kindCreateScript,
  kindDeleteScript,
  mintCredentialScript,
  waitInitializedScript,
} from "../../lib/builders/scripts/bring-up";
import { useKind } from "../../lib/builders/scripts/common";
import { script } from "../support/commands";
import type { Platform } from "../support/context";

export interface BarycenterBoot {
  readonly kindCluster: string;
  readonly kind: command.local.Command;
  readonly clusterctlInit: command.local.Command;
  /** Applies the CAPI objects to kind; its delete tears down a barycenter whose bring-up failed before the move. */
  readonly apply: command.local.Command;
  readonly waitInitialized: command.local.Command;
  /** Prints the long-lived kubeconfig (a secret output). */
  readonly credential: command.local.Command;
  readonly provider: k8s.Provider;
}

export interface BarycenterBootArgs {
  readonly platform: Platform;
  readonly definition: ClusterDefinitionSeam;
}

export function createBarycenterBoot(n: string, a: BarycenterBootArgs, parent: pulumi.Resource): BarycenterBoot {
  const { platform, definition } = a;
  const kindCluster = names.kindCluster(platform.constellation.name);
  const timeout = platform.config.waitTimeoutSeconds;
  const api = platform.infra.apiEnvironment;

  // Its delete also tears down any Cluster kind still holds (a bring-up that failed before its apply was recorded).
  const kind = script(
    names.kind(n),
    {
      create: kindCreateScript(kindCluster, timeout),
      delete: kindDeleteScript(kindCluster, timeout),
      environment: { ...api },
      frozen: true,
    },
    // Everything of the barycenter and, through the adoption, of every satellite descends from kind: a destroy
    // deletes the billing check after all of it.
    { parent, ...(platform.infra.billingCheck ? { dependsOn: [platform.infra.billingCheck] } : {}) },
  );
  // No delete: the providers go with the kind cluster.
  const clusterctlInit = script(
    names.clusterctlInitKind(n),
    { create: clusterctlInitScript(kindCluster, useKind(kindCluster), platform.constellation.versions, { timeoutSeconds: timeout }), environment: { ...platform.infra.clusterctlEnvironment }, frozen: true },
    { parent, dependsOn: [kind] },
  );
  // The manifest depends on the cp reservation's readiness (cluster/definition.ts), so the infrastructure provider finds the reserved address.
  const apply = script(
    names.capiApply(n),
    {
      create: applyToKindScript(kindCluster, n),
      delete: applyDeleteScript(kindCluster, n, timeout),
      stdin: definition.manifest,
      environment: { ...api },
      frozen: true,
    },
    { parent, dependsOn: [clusterctlInit, definition.cpTag, ...definition.bootImages] },
  );
  // No delete: a wait leaves nothing behind.
  const waitInitialized = script(
    names.waitInitialized(n),
    { create: waitInitializedScript(useKind(kindCluster), n, timeout), frozen: true },
    { parent, dependsOn: [apply] },
  );
  // No delete: the ServiceAccount and its token live on the barycenter and go with it.
  const credential = script(
    names.adminCredential(n),
    { create: mintCredentialScript(kindCluster, n, timeout), secretStdout: true, frozen: true, stdoutConsumed: true },
    { parent, dependsOn: [waitInitialized] },
  );
  const provider = new k8s.Provider(
    names.k8sProvider(n),
    {
      kubeconfig: credential.stdout,
      // The provider keeps its identity when its credential changes: an update, never a replacement of everything
      // it manages.
      clusterIdentifier: clusterIdentifier(platform.constellation.name, n),
    },
    { parent },
  );
  return { kindCluster, kind, clusterctlInit, apply, waitInitialized, credential, provider };
}
