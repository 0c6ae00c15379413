import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleType,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { RetryableError } from '../../adapters/adapter';

export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
}

/**
 * One breaker per portal and process. Only retryable failures (timeouts, 5xx, refused
 * connections) count: a 400 means the portal is up and answering.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  for(portalCode: string, settings: CircuitSettings): CircuitBreakerPolicy {
    let breaker = this.breakers.get(portalCode);
    if (!breaker) {
      breaker = circuitBreaker(handleType(RetryableError), {
        halfOpenAfter: settings.openMs,
        breaker: new ConsecutiveBreaker(settings.failureThreshold),
      });
      this.breakers.set(portalCode, breaker);
    }
    return breaker;
  }

  state(portalCode: string): 'closed' | 'open' | 'half-open' {
    const state = this.breakers.get(portalCode)?.state ?? CircuitState.Closed;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }
}
