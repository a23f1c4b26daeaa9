/** A pinned chart as a helm.v3.Release, named `<cluster>-<chart>`, release name the chart's. */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ChartPin } from "../../lib/builders/helm/charts";
import { helmReleaseName, names } from "../../lib/builders/names";

export function helmRelease(
  cluster: string,
  pin: ChartPin,
  values: Record<string, unknown>,
  extra: Partial<k8s.helm.v3.ReleaseArgs>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    names.helmRelease(cluster, pin.chart),
    { name: helmReleaseName(pin.chart), chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo }, namespace: pin.namespace, values, ...extra },
    opts,
  );
}
