/**
 * Registers an Image Factory schematic: `POST /schematics` with its YAML on stdin. Image Factory serves iPXE scripts
 * and installer images only for schematics it has stored (frontend/http pxe.go and registry.go look the ID up and
 * answer 404 otherwise); storing one is idempotent and answers 201 with `{"id": ...}` (configuration.go). The script
 * checks that the factory computed the ID the program put into the machine templates. No delete: schematics are
 * content-addressed and shared.
 */
import { PRELUDE } from "./common";

export const IMAGE_FACTORY = "https://factory.talos.dev";

export function registerSchematicScript(factory: string = IMAGE_FACTORY): string {
  return `${PRELUDE}: "\${GOCY_SCHEMATIC_ID:?GOCY_SCHEMATIC_ID is not set}"
answer=$(curl -sS --fail-with-body --retry 5 --retry-all-errors --connect-timeout 20 --max-time 120 \\
  -X POST -H 'Content-Type: application/yaml' --data-binary @- '${factory}/schematics' 2>"$work/curl.err") \\
  || fail "Image Factory did not store the schematic $GOCY_SCHEMATIC_ID: $(head -c 300 "$work/curl.err") $(head -c 300 <<<"\${answer:-}")"
case "$(tr -d ' \\t\\n' <<<"$answer")" in
  *"\\"id\\":\\"$GOCY_SCHEMATIC_ID\\""*) echo "Image Factory holds schematic $GOCY_SCHEMATIC_ID" ;;
  *) fail "Image Factory answered another schematic ID than the program computed ($GOCY_SCHEMATIC_ID): $(head -c 300 <<<"$answer")" ;;
esac
`;
}
