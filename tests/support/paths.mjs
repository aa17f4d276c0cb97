import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = join(ROOT, "dist");
export const PKG = join(ROOT, "pkg");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");
