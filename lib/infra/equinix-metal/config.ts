/**
 * Equinix Metal's stack configuration keys: the project and the API token.
 */
import type { ConfigKey } from "../../stack/config";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const PROJECT_ID_KEY = "gocy:metalProjectId";

export const EQUINIX_CONFIG_KEYS: readonly ConfigKey[] = [
  {
    key: "gocy:metalProjectId",
    type: "string",
    description: "Equinix Metal project (UUID) that holds the devices and reserved addresses.",
    secret: false,
    requiredForUp: true,
    default: "",
    placeholder: "00000000-0000-0000-0000-000000000000",
    check: (v) => (UUID.test(v) ? undefined : "expected an Equinix Metal project UUID"),
  },
  {
    key: "equinix-metal:authToken",
    type: "string",
    description: "Equinix Metal API token (secret). Used by the Equinix provider, the reservation tagging, clusterctl for CAPP and the teardown's last resort; a project API key is recommended.",
    secret: true,
    requiredForUp: true,
  },
];
