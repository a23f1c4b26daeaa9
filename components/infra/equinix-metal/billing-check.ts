/**
 * The safety net of a destroy (lib/infra/equinix-metal/billing-check-script.ts): one command per constellation that every
 * resource able to leave something billing depends on (every non-protected reservation, and the kind cluster from
 * which the barycenter and, through the adoption, every satellite descend), so `pulumi destroy`, which runs the graph
 * backwards, deletes it last; its delete fails while anything of the constellation still bills. It depends on the
 * protected anycast reservation (to except it), never the reverse: `--exclude-protected` keeps only that address.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { names } from "../../../lib/builders/names";
import { BILLING_CHECK_CREATE, billingCheckScript } from "../../../lib/infra/equinix-metal/billing-check-script";
import { NO_OP_UPDATE } from "../../../lib/builders/scripts/common";
import { allClusters, type Constellation } from "../../../lib/constellation/model";
import { script } from "../../support/commands";
import type { EquinixContext } from "./ip-reservation";

export function createBillingCheck(c: Constellation, ctx: EquinixContext, anycastReservationId: pulumi.Output<string>): command.local.Command {
  return script(
    names.billingCheck(c.name),
    {
      create: BILLING_CHECK_CREATE,
      delete: billingCheckScript(c.name),
      // A new satellite, a rotated token: stored by a no-op update, for the delete to use.
      update: NO_OP_UPDATE,
      environment: {
        METAL_AUTH_TOKEN: ctx.token,
        GOCY_PROJECT_ID: ctx.projectId,
        GOCY_CLUSTERS: allClusters(c).map((x) => x.name).join(" "),
        GOCY_KEEP_RESERVATION: anycastReservationId,
      },
    },
    {},
  );
}
