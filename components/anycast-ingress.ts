/**
 * AnycastIngress: the one Equinix Global Anycast IPv4 the satellites share as their ingress address, announced
 * over BGP by MetalLB in every satellite. Only the reservation is protected — never this component, whose
 * children would inherit it — and it depends on nothing but the Equinix provider (DESIGN §1), so
 * `pulumi destroy --exclude-protected` removes everything else and keeps the address until it is released on purpose.
 */
import * as pulumi from "@pulumi/pulumi";
import { anycastReservation } from "../lib/builders/reservations";
import { names, TYPES } from "../lib/builders/names";
import { createIpReservation, type IpReservation } from "./ip-reservation";
import type { Platform } from "./context";

export class AnycastIngress extends pulumi.ComponentResource {
  readonly reservation: IpReservation;
  /** The anycast address every satellite's ingress pool holds. */
  readonly address: pulumi.Output<string>;

  constructor(platform: Platform, opts: pulumi.ComponentResourceOptions = {}) {
    const name = platform.constellation.name;
    super(TYPES.anycastIngress, name, {}, opts);
    this.reservation = createIpReservation(names.anycast(name), names.anycastTags(name), anycastReservation(name), platform, this, true);
    this.address = this.reservation.address;
    this.registerOutputs({ address: this.address });
  }
}
