/** Path predicates shared by module and package resolution. */
import { isAbsolute, relative } from "node:path";

/** True when `path` is `root` or lies below it. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
