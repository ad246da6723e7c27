/**
 * Names of the metrics the recognition worker publishes (namespace `GovernedRecognition`,
 * default dimension `service` = `recognition`). The review console's dashboard and alarms import
 * these, so a rename here cannot silently leave a widget or alarm on a metric nobody emits.
 */
import { POLICY_METRICS } from '../decision/metric-names';

export const RECOGNITION_METRICS = {
  /**
   * The policy decision point's `Decisions` metric (same name, same Effect/Reason/Category
   * dimension sets), one per denial this worker writes to the ledger itself, so the console's
   * decision widgets can sum both services and match the ledger.
   */
  decisions: POLICY_METRICS.decisions,
  /** Count per upload, dimension `Outcome` (RECOGNIZED, QUARANTINED, REJECTED, GONE, UNAVAILABLE, DUPLICATE). */
  uploads: 'Uploads',
  /** Count of objects moved to quarantine, no extra dimension. */
  quarantined: 'Quarantined',
  /** Milliseconds from the upload's event time to its recorded outcome, no extra dimension. */
  endToEndLatency: 'EndToEndLatency',
  /** Count of Rekognition attempts, dimension `Operation` (SearchFacesByImage, DetectFaces, IndexFaces). */
  rekognitionCalls: 'RekognitionCalls',
  /** Count of failed Rekognition attempts (throttles included), dimension `Operation`. */
  rekognitionErrors: 'RekognitionErrors',
  /** Count of throttled Rekognition attempts, dimension `Operation`. */
  rekognitionThrottles: 'RekognitionThrottles',
} as const;
