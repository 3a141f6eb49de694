package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.keys.KeyCheck;
import com.suse.telemetry.core.keys.SourceKeyring;

/**
 * Who may publish what: the request's key (if any) checked against the keyring before its body is
 * read (401), and the application it publishes for checked against the key once known (403).
 */
final class SourceAuthorization {

  private final AuthSettings settings;
  private final SourceKeyring keyring;
  private final Problem notReady;

  private SourceAuthorization(AuthSettings settings, SourceKeyring keyring, Problem notReady) {
    this.settings = settings;
    this.keyring = keyring;
    this.notReady = notReady;
  }

  /**
   * Checks as {@code settings} say, against {@code keyring} (null only when keys are off); while
   * the keyring is not read yet, a key cannot be judged and is answered {@code notReady}.
   */
  static SourceAuthorization of(AuthSettings settings, SourceKeyring keyring, Problem notReady) {
    if (settings.mode() == AuthSettings.Mode.OFF) {
      return new SourceAuthorization(settings, null, notReady);
    }
    if (keyring == null) {
      throw new IllegalArgumentException("source keys are " + settings.mode() + " but no keyring");
    }
    return new SourceAuthorization(settings, keyring, notReady);
  }

  /**
   * The key a request shows, checked.
   *
   * @param legacy whether it came to one of Trento's legacy routes
   * @return the check, {@link KeyCheck#ABSENT} when keys are off or none was sent and none is
   *     needed
   * @throws Problem 401 when the key is needed and missing, or sent and not valid
   */
  KeyCheck check(String authorization, boolean legacy) {
    if (keyring == null) {
      return KeyCheck.ABSENT;
    }
    KeyCheck check = keyring.check(authorization);
    return switch (check.outcome()) {
      case VALID -> check;
      case NOT_READY -> throw notReady;
      case ABSENT -> {
        if (settings.mode() == AuthSettings.Mode.REQUIRED && !(legacy && settings.exemptLegacy())) {
          throw Problem.unauthorized(null, "a source key is required: send Authorization: Bearer");
        }
        yield check;
      }
      case MALFORMED ->
          throw Problem.unauthorized(
              "invalid_request", "the Authorization header is not a source key as a Bearer token");
      case UNKNOWN ->
          throw Problem.unauthorized("invalid_token", "unknown source key " + check.id());
      case REVOKED ->
          throw Problem.unauthorized("invalid_token", "source key " + check.id() + " was revoked");
    };
  }

  /**
   * Checks that the key a request showed may publish the type it claims.
   *
   * @throws Problem 403 when it may not
   */
  void requireCovered(KeyCheck check, TelemetryTypeId type) {
    if (check.key() != null && type != null && !check.key().covers(type.application())) {
      throw Problem.forbidden(
          "source key "
              + check.id()
              + " may not publish for application '"
              + type.application()
              + "'");
    }
  }
}
