/**
 * The format's branch/tag/path globs as regular expressions, one definition for every compiler and
 * the reference interpreter: `**` any text, `*` any text but `/`, `?` one character but `/`, the
 * rest literal. The pattern uses only what JavaScript, RE2 (a build service's trigger filters) and POSIX ERE (grep -E)
 * read alike: `.*`, `[^/]`, and a backslash before each metacharacter.
 */
const META = /[.+()|[\]{}^$\\*?]/;

/** The body of the regular expression of one glob (not anchored). */
export function globPattern(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += META.test(c) ? `\\${c}` : c;
  }
  return out;
}

/** Whether `value` matches one of the globs (an empty list matches everything). */
export function globsMatch(globs: readonly string[], value: string): boolean {
  return globs.length === 0 || globs.some((g) => new RegExp(`^${globPattern(g)}$`, "s").test(value));
}
