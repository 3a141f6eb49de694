package com.suse.telemetry.core;

/**
 * Why a submission was rejected as a whole: the first stage of validation it failed. Its violations
 * say exactly what is wrong; this says where to look first (and is what operators count).
 */
public enum RejectionReason {
  /** Not well-formed JSON, or beyond a limit on nesting, string length or the like. */
  MALFORMED_JSON,
  /** The envelope violates the envelope schema (a missing or unknown field, a bad time, ...). */
  INVALID_ENVELOPE,
  /** The envelope names an application, telemetry type or schema version nobody registered. */
  UNKNOWN_TYPE,
  /** The payload violates its telemetry type's schema. */
  INVALID_PAYLOAD
}
