/**
 * One Equinix Metal IP reservation and the command that tags it. The provider's ReservedIpBlock cannot tag
 * (docs/architecture.md#address-reservations), so tagging is a local command against the Equinix API; CAPP finds the control-plane address by tag.
 */
import * as pulumi from "@pulumi/pulumi";
import * as metal from "@pulumi/equinix-metal";
import * as command from "@pulumi/command";
import type { ReservationPlan } from "../../../lib/infra/equinix-metal/reservations";
import { equinixIpTagsScript } from "../../../lib/infra/equinix-metal/ip-tags-script";

/** What every Equinix resource and API call of the constellation shares. */
export interface EquinixContext {
  readonly provider: metal.Provider;
  readonly projectId: string;
  /** `equinix-metal:authToken`, a Pulumi secret. */
  readonly token: pulumi.Output<string>;
  /** The billing check, once created: every later reservation but the protected one depends on it. */
  readonly billingCheck: () => pulumi.Resource | undefined;
}

export interface IpReservation {
  readonly block: metal.ReservedIpBlock;
  readonly tags: command.local.Command;
  /** The reserved address (a /32). */
  readonly address: pulumi.Output<string>;
}

/**
 * Registers the reservation and its tag command under `parent`.
 * Both depend on nothing but the Equinix provider and the reservation itself: the barycenter's network layer needs
 * the satellites' mesh addresses before the move, so a reservation may never wait for anything else (docs/architecture.md#address-reservations).
 * @param protect set for the anycast address only: losing it is an outage for every satellite.
 */
export function createIpReservation(
  name: string,
  tagsName: string,
  plan: ReservationPlan,
  ctx: EquinixContext,
  parent: pulumi.Resource,
  protect = false,
): IpReservation {
  const billingCheck = ctx.billingCheck();
  const block = new metal.ReservedIpBlock(
    name,
    {
      projectId: ctx.projectId,
      type: plan.type,
      quantity: 1,
      description: plan.description,
      ...(plan.metro === undefined ? {} : { metro: plan.metro }),
    },
    // The provider build behind @pulumi/equinix-metal 2.0.0 makes `description` ForceNew: a reworded description
    // would replace the reservation and hand out a new address. Descriptions are labels; never let one do that.
    // Every reservation but the protected one depends on the billing check, which a destroy therefore deletes after it.
    { parent, provider: ctx.provider, protect, ignoreChanges: ["description"], ...(protect || !billingCheck ? {} : { dependsOn: [billingCheck] }) },
  );
  const tags = new command.local.Command(
    tagsName,
    {
      interpreter: ["/bin/bash", "-c"],
      create: equinixIpTagsScript,
      // No delete: the tags are deleted with the reservation. A change of tags or token runs `create` again,
      // which is idempotent (the PATCH sends the whole tag set).
      environment: {
        GOCY_IP_ID: block.id,
        GOCY_PROJECT_ID: ctx.projectId,
        GOCY_TAGS: JSON.stringify(plan.tags),
        ...(plan.exclusiveTag === undefined ? {} : { GOCY_EXCLUSIVE_TAG: plan.exclusiveTag }),
        METAL_AUTH_TOKEN: ctx.token,
      },
      addPreviousOutputInEnv: false,
    },
    { parent },
  );
  return { block, tags, address: block.address };
}
