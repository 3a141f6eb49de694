package com.suse.telemetry.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of a source key: {@code tlmk_<id>_<secret>}, the id 12 hexadecimal digits (public, how
 * logs name the key), the secret 32 random bytes in URL-safe base64. A key is made here and its
 * secret never kept: only its SHA-256.
 */
public final class SourceKeyTokens {

  private static final String PREFIX = "tlmk_";
  private static final Pattern FORM = Pattern.compile("tlmk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SourceKeyTokens() {}

  /** A key made now: what is kept, and the token to hand out once. */
  public record Issued(SourceKey key, String token) {}

  /** Makes a key for {@code applications}. */
  public static Issued issue(Set<String> applications, String note, Instant now) {
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String idText = HexFormat.of().formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(
        new SourceKey(idText, hash(secretText), applications, note, now, null),
        PREFIX + idText + "_" + secretText);
  }

  /** A token's parts, when it has the form of one. */
  record Parts(String id, String secret) {}

  /** The parts of {@code token}, or null when it is not of a key's form. */
  static Parts parse(String token) {
    Matcher matcher = FORM.matcher(token);
    return matcher.matches() ? new Parts(matcher.group(1), matcher.group(2)) : null;
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
