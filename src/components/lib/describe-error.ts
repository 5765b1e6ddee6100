/** An error as the page shows it: its class and message (anything else as text). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
