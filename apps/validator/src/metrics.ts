import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OrganicRouterDeps } from './api/organic.js';
import type { LoopObserver } from './loop.js';
import type { ValidatorState } from './state.js';

/** Prometheus metrics of one validator; `observer` feeds them from the loop. */
export function createMetrics(state: () => ValidatorState) {
  const registry = new Registry();
  const steps = new Counter({
    name: 'omron_validator_steps_total',
    help: 'Completed steps',
    registers: [registry],
  });
  const responses = new Counter({
    name: 'omron_validator_responses_total',
    help: 'Miner responses by result (verified or the failure reason)',
    labelNames: ['circuit', 'result'] as const,
    registers: [registry],
  });
  const responseTime = new Histogram({
    name: 'omron_validator_response_time_seconds',
    help: 'Response time measured by the dendrite',
    labelNames: ['circuit'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'omron_validator_step_duration_seconds',
    help: 'Wall time of a step',
    buckets: [0.5, 1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  const weights = new Counter({
    name: 'omron_validator_weight_sets_total',
    help: 'Weight-setting attempts by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const organic = new Counter({
    name: 'omron_validator_organic_requests_total',
    help: 'Inference API requests routed to miners, by result (verified or the error code)',
    labelNames: ['circuit', 'result'] as const,
    registers: [registry],
  });
  const organicTime = new Histogram({
    name: 'omron_validator_organic_seconds',
    help: 'Wall time of an inference API request, routing to verified answer',
    labelNames: ['circuit'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  new Gauge({
    name: 'omron_validator_miner_score',
    help: 'Current score by uid',
    labelNames: ['uid'] as const,
    registers: [registry],
    collect() {
      this.reset();
      state()
        .book.scores()
        .forEach((score, uid) => {
          this.set({ uid: String(uid) }, score);
        });
    },
  });

  const observer: LoopObserver = {
    onResponse(circuit, _uid, verdict, responseTimeS) {
      responses.inc({ circuit: circuit.name, result: verdict.verified ? 'verified' : verdict.reason });
      if (responseTimeS !== null) responseTime.observe({ circuit: circuit.name }, responseTimeS);
    },
    onStep(record) {
      steps.inc();
      stepDuration.observe((record.finishedAt - record.startedAt) / 1000);
    },
    onWeights(outcome) {
      weights.inc({ result: outcome.ok ? 'set' : outcome.code });
    },
  };
  const onOrganic: NonNullable<OrganicRouterDeps['onOutcome']> = (circuit, { result, seconds }) => {
    organic.inc({ circuit: circuit.name, result });
    if (result === 'verified') organicTime.observe({ circuit: circuit.name }, seconds);
  };
  return { registry, observer, onOrganic };
}
