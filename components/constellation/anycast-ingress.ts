/**
 * AnycastIngress: the one global anycast IPv4 the satellites share as their ingress address, announced
 * over BGP by MetalLB in every satellite. Only the reservation is protected — never this component, whose
 * children would inherit it — and it depends on nothing but the platform's provider (docs/architecture.md#anycast-ingress), so
 * `pulumi destroy --exclude-protected` removes everything else and keeps the address until it is released on purpose.
 */
import * as pulumi from "@pulumi/pulumi";
import { names, TYPES } from "../../lib/builders/names";
import * as gcp from "@pulumi/gcp";
import type { ReservedAddress } from "../infra";
import { anycastName } from "../../lib/builders/apps/names";
import type { Platform } from "../support/context";

export class AnycastIngress extends pulumi.ComponentResource {
  readonly reservation: ReservedAddress;
  /** The anycast address every satellite's ingress pool holds. */
  readonly address: pulumi.Output<string>;
  readonly record: gcp.dns.RecordSet;
  /** `https://whoami.<subdomain>.<domain>/`. */
  readonly url: string;

  constructor(platform: Platform, opts: pulumi.ComponentResourceOptions = {}) {
    const name = platform.constellation.name;
    super(TYPES.anycastIngress, names.anycastIngress(name), {}, opts);
    this.reservation = platform.infra.reserveAnycast(this);
    this.address = this.reservation.address;
    // The one public record of the anycast name, created once for the constellation (never per satellite);
    // external-dns is told to leave the whoami Ingresses alone, so it never fights this record.
    const fqdn = `${anycastName(platform.config.subdomain, platform.config.domain)}.`;
    this.record = new gcp.dns.RecordSet(
      names.anycastDns(name),
      { project: platform.config.gcpProject, managedZone: platform.config.dnsZone, name: fqdn, type: "A", ttl: 300, rrdatas: [this.address] },
      { parent: this, provider: platform.gcp },
    );
    this.url = `https://${anycastName(platform.config.subdomain, platform.config.domain)}/`;
    this.registerOutputs({ address: this.address });
  }
}
