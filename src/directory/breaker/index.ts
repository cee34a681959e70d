export { CircuitBreaker, CIRCUIT_STATE_VALUE } from './circuitBreaker';
export type { CallTicket, CircuitBreakerOptions, CircuitBreakerStats, CircuitState } from './circuitBreaker';
export { BreakerBulkLookup, BreakerSingleLookup, CIRCUIT_OPEN_REASON } from './breakerLookups';
