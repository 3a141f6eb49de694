package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.client.PublishResult.Outcome;
import com.suse.telemetry.client.ScriptedCollector.Arrival;
import com.suse.telemetry.client.ScriptedCollector.Reply;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.Violation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** The publisher against a scripted collector over real HTTP. */
class TelemetryPublisherTest {

  private static final RetryPolicy QUICK =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(30));

  private final ScriptedCollector collector = ScriptedCollector.start();

  @AfterEach
  void stopCollector() {
    collector.close();
  }

  private TelemetryPublisher.Builder publisher() {
    return TelemetryPublisher.builder(collector.uri())
        .registry(Payloads.REGISTRY)
        .retryPolicy(QUICK);
  }

  @Test
  void sendsAGzippedEnvelopeWithAFreshIdAndTheTimeAndReportsTheCounts() {
    Instant now = Instant.parse("2024-05-17T03:12:45.123456789Z");
    PublishResult result;
    try (TelemetryPublisher publisher =
        publisher().sourceKey("s3cr3t").clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.duplicates()).isZero();
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.status()).hasValue(202);
    Arrival arrival = collector.arrivals().get(0);
    assertThat(collector.arrivals()).hasSize(1);
    assertThat(arrival.path()).isEqualTo("/api/v1/telemetry");
    assertThat(arrival.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
    assertThat(arrival.headers().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(arrival.headers().getFirst("Authorization")).isEqualTo("Bearer s3cr3t");
    ValidationResult received =
        TelemetryValidator.create(Payloads.REGISTRY).validate(arrival.envelope());
    assertThat(received.isValid()).as(received.toString()).isTrue();
    assertThat(received.submission().envelopeId()).isEqualTo(result.envelopeId());
    assertThat(Instant.parse(arrival.envelopeJson().get("time").asString())).isEqualTo(now);
    assertThat(arrival.envelopeJson().get("schema_version").asInt()).isEqualTo(1);
  }

  @Test
  void eachEnvelopeGetsAnIdOfItsOwn() {
    try (TelemetryPublisher publisher = publisher().build()) {
      PublishResult first = publisher.publish("sles", "system_profile", 1, Payloads.profile());
      PublishResult second = publisher.publish("sles", "system_profile", 1, Payloads.profile());
      assertThat(first.envelopeId()).isPresent().isNotEqualTo(second.envelopeId());
    }
    assertThat(collector.arrivals()).extracting(Arrival::id).doesNotHaveDuplicates();
  }

  @Test
  void postsUnderTheCollectorsPathWhenItIsBehindAProxy() {
    try (TelemetryPublisher publisher =
        TelemetryPublisher.builder(URI.create(collector.uri() + "/telemetry/")).build()) {
      assertThat(publisher.publish("sles", "system_profile", 1, Payloads.profile()).isAccepted())
          .isTrue();
    }
    assertThat(collector.arrivals().get(0).path()).isEqualTo("/telemetry/api/v1/telemetry");
  }

  @Test
  void retriesTheSameBytesWithTheSameIdUntilAccepted() {
    collector.script(
        envelope -> Reply.status(503),
        envelope -> Reply.status(500),
        envelope -> Reply.drop(),
        envelope -> Reply.status(429),
        envelope -> Reply.status(408));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(result.attempts()).isEqualTo(6);
    List<Arrival> arrivals = collector.arrivals();
    assertThat(arrivals).extracting(Arrival::status).containsExactly(503, 500, 0, 429, 408, 202);
    assertThat(arrivals).extracting(Arrival::id).containsOnly(result.envelopeId().orElseThrow());
    assertThat(arrivals)
        .extracting(a -> new String(a.envelope(), StandardCharsets.UTF_8))
        .containsOnly(new String(arrivals.get(0).envelope(), StandardCharsets.UTF_8));
  }

  @Test
  void waitsAtLeastTheRetryAfterSecondsOf503And429() {
    collector.script(
        envelope -> Reply.status(503).header("Retry-After", "1"),
        envelope -> Reply.status(429).header("Retry-After", "1"));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.isAccepted()).isTrue();
    List<Arrival> arrivals = collector.arrivals();
    assertThat(arrivals).hasSize(3);
    assertThat(Duration.ofNanos(arrivals.get(1).nanos() - arrivals.get(0).nanos()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(Duration.ofNanos(arrivals.get(2).nanos() - arrivals.get(1).nanos()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void waitsUntilTheRetryAfterDate() {
    Instant[] askedFor = new Instant[1];
    collector.script(
        envelope -> {
          // An HTTP date has whole seconds: two seconds on, cut down, is one to two seconds away.
          ZonedDateTime date =
              ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
          askedFor[0] = date.toInstant();
          return Reply.status(503)
              .header("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(date));
        });

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.isAccepted()).isTrue();
    List<Arrival> arrivals = collector.arrivals();
    assertThat(arrivals).hasSize(2);
    assertThat(arrivals.get(1).at()).isAfterOrEqualTo(askedFor[0]);
  }

  @Test
  void reportsA400sProblemWithItsPointersAndDoesNotRetry() {
    collector.script(envelope -> Reply.problem(400, "/payload/cpu_count", "must be at most 4096"));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(result.status()).hasValue(400);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.violations())
        .containsExactly(new Violation("/payload/cpu_count", "must be at most 4096"));
    assertThat(result.detail()).contains("400").contains("1 violation; see errors");
    assertThat(collector.arrivals()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 413, 415})
  void doesNotRetryARefusal(int status) {
    collector.otherwise(envelope -> Reply.problem(status, "", "refused with " + status));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(result.status()).hasValue(status);
    assertThat(result.violations()).containsExactly(new Violation("", "refused with " + status));
    assertThat(collector.arrivals()).hasSize(1);
  }

  @Test
  void aRefusalWithoutProblemDetailsStillSaysWhat() {
    collector.script(envelope -> Reply.status(401).body("<html>Log in first</html>"));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(result.violations()).containsExactly(new Violation("", "HTTP 401"));
  }

  @Test
  void refusesAnInvalidPayloadLocallyWithEveryPointerAndSendsNothing() {
    String payload = Payloads.profile().replace("\"cpu_count\": 32", "\"cpu_count\": \"many\"");
    payload = payload.replace("\"arch\": \"x86_64\"", "\"arch\": \"z80\"");

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, payload);
    }

    assertThat(result.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(result.envelopeId()).isEmpty();
    assertThat(result.attempts()).isZero();
    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder("/payload/cpu_count", "/payload/arch");
    assertThat(collector.arrivals()).isEmpty();
  }

  @Test
  void anUnknownTypeABadNameOrMalformedJsonIsAnInvalidResultNotAnException() {
    try (TelemetryPublisher publisher = publisher().build()) {
      assertThat(publisher.publish("sles", "no_such_type", 1, Payloads.profile()).violations())
          .extracting(Violation::pointer)
          .containsExactly("/telemetry_type");
      assertThat(publisher.publish("SLES!", "system_profile", 1, Payloads.profile()).violations())
          .extracting(Violation::pointer)
          .containsExactly("/application");
      assertThat(publisher.publish("sles", "system_profile", 0, Payloads.profile()).violations())
          .extracting(Violation::pointer)
          .containsExactly("/schema_version");
      assertThat(publisher.publish("sles", "system_profile", 1, "{\"system_id\": ").outcome())
          .isEqualTo(Outcome.INVALID);
      // Trailing text cannot pass for envelope fields.
      assertThat(
              publisher
                  .publish(
                      "sles", "system_profile", 1, Payloads.profile() + ", \"application\": \"x\"")
                  .outcome())
          .isEqualTo(Outcome.INVALID);
    }
    assertThat(collector.arrivals()).isEmpty();
  }

  @Test
  void givesUpOnceTheTimeBudgetIsSpent() {
    collector.otherwise(envelope -> Reply.status(503));
    Duration budget = Duration.ofMillis(1500);

    PublishResult result;
    long started;
    Duration took;
    try (TelemetryPublisher publisher =
        publisher()
            .retryPolicy(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), budget))
            .build()) {
      started = System.nanoTime();
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
      took = Duration.ofNanos(System.nanoTime() - started);
    }

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.status()).hasValue(503);
    assertThat(result.detail()).contains("time budget").contains("HTTP 503");
    List<Arrival> arrivals = collector.arrivals();
    assertThat(arrivals).hasSizeGreaterThan(2).hasSize(result.attempts());
    // No attempt starts past the budget: the last one is sent before it ends, and arrives within
    // the time a request takes to reach the collector on a busy machine.
    assertThat(arrivals.get(arrivals.size() - 1).nanos())
        .isLessThan(started + budget.plusMillis(250).toNanos());
    // The bound holds: the publisher gives up within its budget, plus one answer's time.
    assertThat(took).isLessThan(budget.plusSeconds(5));
  }

  @Test
  void givesUpAtOnceWhenTheCollectorAsksToWaitBeyondTheBudget() {
    collector.otherwise(envelope -> Reply.status(503).header("Retry-After", "3600"));

    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.detail()).contains("asked to wait 3600 s");
  }

  @Test
  void retriesWhenNoCollectorListens() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    PublishResult result;
    try (TelemetryPublisher publisher =
        TelemetryPublisher.builder(URI.create("http://127.0.0.1:" + port))
            .registry(Payloads.REGISTRY)
            .retryPolicy(QUICK.withTimeBudget(Duration.ofSeconds(1)))
            .build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.attempts()).isGreaterThan(1);
    assertThat(result.status()).isEmpty();
    // Refused, or, for an attempt left only the last sliver of the budget, timed out connecting.
    assertThat(result.detail()).containsAnyOf("ConnectException", "HttpConnectTimeoutException");
  }

  @Test
  void retriesAnAnswerThatTakesLongerThanTheRequestTimeout() {
    collector.script(envelope -> collector.accept(envelope).after(Duration.ofSeconds(2)));

    PublishResult result;
    try (TelemetryPublisher publisher =
        publisher().requestTimeout(Duration.ofMillis(300)).build()) {
      result = publisher.publish("sles", "system_profile", 1, Payloads.profile());
    }

    // The slow answer stored the envelope; the retry learns so as duplicates.
    assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(collector.arrivals())
        .extracting(Arrival::id)
        .containsOnly(result.envelopeId().orElseThrow());
  }

  @Test
  void publishesABuiltEnvelopeAsItIsAddingAnIdOnlyWhenItHasNone() {
    byte[] withId = Payloads.schemaFile("examples/envelope/valid/with-id-and-schema-version.json");
    byte[] withoutId = Payloads.schemaFile("examples/envelope/valid/design-document-example.json");

    PublishResult identified;
    PublishResult anonymous;
    try (TelemetryPublisher publisher = publisher().build()) {
      identified = publisher.publishEnvelope(withId);
      anonymous = publisher.publishEnvelope(withoutId);
    }

    assertThat(identified.isAccepted()).isTrue();
    assertThat(identified.envelopeId())
        .hasValue(UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"));
    assertThat(collector.arrivals().get(0).envelope()).isEqualTo(withId);
    assertThat(anonymous.isAccepted()).isTrue();
    assertThat(anonymous.accepted()).isEqualTo(2);
    ObjectNode sent = (ObjectNode) collector.arrivals().get(1).envelopeJson();
    assertThat(sent.remove("id").asString())
        .isEqualTo(anonymous.envelopeId().orElseThrow().toString());
    assertThat(sent).isEqualTo(tools.jackson.databind.json.JsonMapper.shared().readTree(withoutId));
  }

  @Test
  void refusesAnInvalidBuiltEnvelopeLocally() {
    PublishResult result;
    try (TelemetryPublisher publisher = publisher().build()) {
      result =
          publisher.publishEnvelope(
              Payloads.schemaFile("examples/envelope/invalid/payload-violation.json"));
    }

    assertThat(result.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(result.violations())
        .containsExactly(new Violation("/payload/1/cpu_count", "string found, integer expected"));
    assertThat(collector.arrivals()).isEmpty();
  }

  @Test
  void anEnvelopeAlreadyUnderWayIsNotSentTwice() {
    collector.script(envelope -> Reply.status(503).header("Retry-After", "1"));
    byte[] envelope =
        Payloads.schemaFile("examples/envelope/valid/with-id-and-schema-version.json");

    try (TelemetryPublisher publisher = publisher().build()) {
      CompletableFuture<PublishResult> first = publisher.publishEnvelopeAsync(envelope);
      CompletableFuture<PublishResult> second = publisher.publishEnvelopeAsync(envelope);
      assertThat(second).isSameAs(first);
      assertThat(first.join().isAccepted()).isTrue();
    }
    assertThat(collector.arrivals()).hasSize(2);
  }

  @Test
  void closeWaitsForDeliveriesUnderWay() {
    collector.script(envelope -> Reply.status(503).header("Retry-After", "1"));

    CompletableFuture<PublishResult> result;
    try (TelemetryPublisher publisher = publisher().closeTimeout(Duration.ofSeconds(20)).build()) {
      result = publisher.publishAsync("sles", "system_profile", 1, Payloads.profile());
    }

    assertThat(result).isCompleted();
    assertThat(result.join().isAccepted()).isTrue();
  }

  @Test
  void closeStopsWhatItCannotFinishByItsTimeout() {
    collector.otherwise(envelope -> Reply.status(503).header("Retry-After", "20"));

    CompletableFuture<PublishResult> result;
    TelemetryPublisher publisher = publisher().closeTimeout(Duration.ofMillis(200)).build();
    result = publisher.publishAsync("sles", "system_profile", 1, Payloads.profile());
    publisher.close();

    assertThat(result).isCompleted();
    assertThat(result.join().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.join().detail()).contains("closed");
    assertThatThrownBy(() -> publisher.publish("sles", "system_profile", 1, Payloads.profile()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAUrlThatIsNotHttp() {
    assertThatThrownBy(() -> TelemetryPublisher.builder(URI.create("ftp://collector")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TelemetryPublisher.builder(URI.create("/api/v1/telemetry")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
