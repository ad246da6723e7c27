/**
 * Names of the metrics the policy decision point publishes (namespace `GovernedRecognition`,
 * default dimension `service` = `policy`), defined with the other shared contracts.
 */
export { DECISION_DIMENSIONS, POLICY_METRICS } from '../shared/contracts';
