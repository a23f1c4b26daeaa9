/**
 * The DNS service account, created by the program instead of by hand (the original's manual step): a service
 * account in `gcp:project` with the narrowest grants that let cert-manager solve DNS01 and external-dns manage
 * records — `roles/dns.admin` on the one managed zone only, and `roles/dns.reader` on the project (both tools list
 * the project's zones to find theirs) — and a key, a Pulumi secret that reaches the clusters only as Secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { dnsAccountId, names, TYPES } from "../../lib/builders/names";
import type { StackConfig } from "../../lib/stack/config";

export class DnsAccount extends pulumi.ComponentResource {
  /** The service-account key JSON (secret). */
  readonly keyJson: pulumi.Output<string>;
  /** The roles the key needs: zone admin and project DNS reader. */
  readonly grants: readonly pulumi.CustomResource[];

  constructor(c: string, config: StackConfig, provider: gcp.Provider, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.dnsAccount, names.dnsAccount(c), {}, opts);
    const o = { parent: this, provider };
    const project = config.gcpProject;
    // Account IDs are 6–30 characters: dnsAccountId cuts a longer name and adds a short hash.
    const accountId = dnsAccountId(c);
    const account = new gcp.serviceaccount.Account(names.dnsServiceAccount(c), { project, accountId, displayName: `gocy ${c}: DNS01 and external-dns` }, o);
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    const zoneAdmin = new gcp.dns.DnsManagedZoneIamMember(names.dnsZoneAdmin(c), { project, managedZone: config.dnsZone, role: "roles/dns.admin", member }, o);
    const reader = new gcp.projects.IAMMember(names.dnsReader(c), { project, role: "roles/dns.reader", member }, o);
    this.grants = [zoneAdmin, reader];
    const key = new gcp.serviceaccount.Key(names.dnsKey(c), { serviceAccountId: account.name }, o);
    // The key carries its grants as dependencies, so everything that uses it depends on them: `pulumi destroy` runs
    // the graph backwards and removes the grants only after the last user of the key (the per-cluster DNS cleanups,
    // whose deletes call Cloud DNS with it; without the roles they get HTTP 403 and leave records behind).
    this.keyJson = pulumi.secret(pulumi.all([key.privateKey, zoneAdmin.urn, reader.urn]).apply(([k]) => Buffer.from(k ?? "", "base64").toString("utf8")));
    this.registerOutputs({});
  }
}
