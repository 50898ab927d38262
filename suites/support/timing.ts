// Waits measured from what a provider answered, not from when the harness got round to waiting:
// a code redeemed again "30 s after its first use" is 30 s after that answer arrived.
import type { Exchange } from '../../harness/http/types.ts';

/** Resolves once `ms` have passed since the exchange's answer arrived. */
export async function sinceAnswer(exchange: Exchange, ms: number): Promise<void> {
  const wait = Date.parse(exchange.startedAt) + exchange.durationMs + ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
