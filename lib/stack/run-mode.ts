/**
 * The one signal by which the recording engine tells the program it is the offline plan (docs/architecture.md#proving-it-offline).
 * A real `pulumi` run never sets it; refusals meant for a real `up` act only when it is absent.
 */
export const OFFLINE_PLAN_ENV = "GOCY_OFFLINE_PLAN";

export function isOfflinePlan(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_PLAN_ENV] === "1";
}

/**
 * Settings of the Kubernetes provider's environment that the bring-up cannot run under. The `pulumi` process hands
 * its environment to the provider plugins, so the program sees what they will see.
 *
 * PULUMI_K8S_AWAIT_ALL=true makes pulumi-kubernetes wait for every object without an awaiter of its own, custom
 * resources included, to become Ready (metadata/overrides.go, condition/ready.go): the satellites' Cluster API
 * objects become Ready only once their cluster runs a CNI, which the program installs after them, so the first
 * `up` would wait on each until it timed out.
 */
export function providerEnvironmentProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const awaitAll = env.PULUMI_K8S_AWAIT_ALL;
  // The provider acts on exactly "true" (metadata/overrides.go).
  if (awaitAll === "true") {
    return [
      `PULUMI_K8S_AWAIT_ALL=${awaitAll} is set: the Kubernetes provider would wait for every Cluster API object to become Ready, ` +
        "which happens only after the program installs the CNI later in the same run, so the bring-up would stall until each wait timed out. " +
        "Unset it (the program awaits what it needs with commands of its own): env -u PULUMI_K8S_AWAIT_ALL pulumi up",
    ];
  }
  return [];
}
