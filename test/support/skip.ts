/** Suites for servers that cannot run here say so in one visible line instead of vanishing. */
export function requireEnv(variable: string, suite: string): string | undefined {
  const value = process.env[variable];
  if (!value) {
    console.log(`  [skipped] ${suite}: ${variable} is not set, so no server to test against (set ${variable} to run it)`);
  }
  return value;
}
